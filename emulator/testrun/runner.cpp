#include "testrun/runner.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>

#include "pool/function_pool.h"
#include "report/level_filter.h"
#include "report/tail_sink.h"
#include "testrun/expectations.h"
#include "util/clock.h"
#include "util/random_id.h"

namespace lambda_emu::testrun {

namespace {

constexpr std::size_t k_log_bytes = 1024 * 1024;

report::LogFormat format_of(const model::FunctionConfig& config) {
    return config.log_format == "JSON" ? report::LogFormat::json : report::LogFormat::text;
}

// One function's environments and the log collector in front of them: the function's log in its
// own format (JSON records when its log_format is JSON), without the lines below its levels.
struct Function {
    model::NullLogSink null;
    report::TailSink tail;
    report::LevelFilter filter;
    std::unique_ptr<pool::FunctionPool> pool;
    Function(const model::FunctionConfig& config, int environments)
        : tail(null, format_of(config), k_log_bytes), filter(tail, report::thresholds_of(config)) {
        pool::PoolOptions options;
        options.max_environments = environments;
        pool = std::make_unique<pool::FunctionPool>(config, filter, util::system_clock(), options);
    }
    ~Function() { pool->shutdown(); }
};

struct Job {
    const CaseFile* file;
    const TestCase* test;
    std::size_t index;
};

void run_one(const Job& job, Function* shared, CaseResult& result) {
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<Function> own;
    Function* function = shared;
    if (job.test->cold || !job.test->environment.empty()) {
        model::FunctionConfig config = job.file->function;
        config.environment.insert(config.environment.end(), job.test->environment.begin(),
                                  job.test->environment.end());
        own = std::make_unique<Function>(config, 1);
        function = own.get();
    }
    pool::InvokeRequest request;
    request.request_id = util::new_uuid();
    request.payload = job.test->payload;
    function->tail.watch(request.request_id);
    result.outcome = function->pool->invoke(request);
    result.log = function->tail.take(request.request_id);
    result.failures = check_case(*job.test, result.outcome, result.log);
    result.status =
        result.failures.empty() ? CaseResult::Status::passed : CaseResult::Status::failed;
    own.reset();
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

std::vector<CaseResult> run_cases(const std::vector<CaseFile>& files, const RunOptions& options,
                                  const std::function<void(const CaseResult&)>& on_result) {
    std::vector<CaseResult> results;
    std::vector<Job> jobs;
    std::vector<std::unique_ptr<Function>> shared;
    std::vector<Function*> shared_of_job;
    const int workers = std::max(1, options.jobs);
    for (const auto& file : files) {
        shared.push_back(std::make_unique<Function>(file.function, workers));
        for (const auto& test : file.cases) {
            CaseResult r;
            r.file = file.path;
            r.name = test.name;
            std::string label = file.path + ": " + test.name;
            if (!options.filter.empty() && label.find(options.filter) == std::string::npos) {
                r.status = CaseResult::Status::skipped;
            } else {
                jobs.push_back({&file, &test, results.size()});
                shared_of_job.push_back(shared.back().get());
            }
            results.push_back(std::move(r));
        }
    }
    std::mutex report_mutex;
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i = next++; i < jobs.size(); i = next++) {
            CaseResult& r = results[jobs[i].index];
            run_one(jobs[i], shared_of_job[i], r);
            std::lock_guard lock(report_mutex);
            on_result(r);
        }
    };
    std::vector<std::thread> threads;
    for (int i = 1; i < workers; ++i) threads.emplace_back(work);
    work();
    for (auto& t : threads) t.join();
    return results;
}

}  // namespace lambda_emu::testrun
