#include "bench/runner.h"

#include <map>
#include <memory>
#include <thread>
#include <utility>

#include "pool/function_pool.h"
#include "util/clock.h"
#include "util/random_id.h"

namespace lambda_emu::bench {

namespace {

int cold_rounds(const BenchPlan& plan) {
    if (plan.cold <= 0) return 0;
    if (plan.burst <= 0) return plan.cold;
    return (plan.cold + plan.burst - 1) / plan.burst;
}

int per_round(const BenchPlan& plan) { return plan.burst > 0 ? plan.burst : 1; }

// One environment of a candidate (a pool of one), torn down when the Round goes.
struct Round {
    model::NullLogSink null;
    std::unique_ptr<pool::FunctionPool> pool;
    int index = 0;  // distinct per pool within the run

    Round(const model::FunctionConfig& config, model::LogSink* log, int round_index)
        : index(round_index) {
        pool::PoolOptions options;
        options.max_environments = 1;
        pool = std::make_unique<pool::FunctionPool>(config, log ? *log : null, util::system_clock(),
                                                    options);
    }
    ~Round() { pool->shutdown(); }
    Round(const Round&) = delete;
    Round& operator=(const Round&) = delete;
};

class Recorder {
  public:
    Recorder(report::BenchRun& run, int total, const Progress& progress)
        : m_run(run), m_total(total), m_progress(progress) {}

    void add(const std::string& label, int memory_mb, int burst, const Round& round,
             const model::Outcome& out) {
        report::BenchSample s;
        s.function = label;
        s.memory_mb = memory_mb;
        s.burst = burst;
        s.cold = out.metrics.init_duration_ms.has_value();
        s.environment = environment_number(round.index, out.environment);
        s.request_id = out.request_id;
        s.failed = out.failed();
        s.error_type = out.error_type;
        s.init_duration_ms = out.metrics.init_duration_ms;
        s.duration_ms = out.metrics.duration_ms;
        s.billed_duration_ms = out.metrics.billed_duration_ms;
        s.max_memory_used_mb = out.metrics.max_memory_used_mb;
        m_run.samples.push_back(std::move(s));
        ++m_done;
        if (m_progress) m_progress(m_done, m_total);
    }

  private:
    // A number per (pool, environment address): a pool has one environment at a time, and
    // addresses are unique among live environments.
    int environment_number(int round, const std::string& address) {
        auto key = std::make_pair(round, address);
        auto it = m_environments.find(key);
        if (it != m_environments.end()) return it->second;
        const int n = static_cast<int>(m_environments.size()) + 1;
        m_environments.emplace(key, n);
        return n;
    }

    report::BenchRun& m_run;
    int m_total;
    const Progress& m_progress;
    int m_done = 0;
    std::map<std::pair<int, std::string>, int> m_environments;
};

pool::InvokeRequest request_for(const BenchPlan& plan) {
    pool::InvokeRequest request;
    request.request_id = util::new_uuid();
    request.payload = plan.payload;
    return request;
}

// C simultaneous invocations on C fresh environments: C cold starts at once. Each has a pool of
// its own, so that none is served by an environment another has just freed (as the service
// starts a new environment for each concurrent request of an idle function).
std::vector<model::Outcome> burst(std::vector<std::unique_ptr<Round>>& group,
                                  const BenchPlan& plan) {
    std::vector<model::Outcome> outcomes(group.size());
    std::vector<std::thread> threads;
    threads.reserve(group.size());
    for (std::size_t k = 0; k < group.size(); ++k) {
        threads.emplace_back([&round = *group[k], &out = outcomes[k], request = request_for(plan)] {
            out = round.pool->invoke(request);
        });
    }
    for (auto& t : threads) t.join();
    return outcomes;
}

}  // namespace

int planned_invocations(const std::vector<Candidate>& candidates, const BenchPlan& plan) {
    const int per_memory = cold_rounds(plan) * per_round(plan) + std::max(0, plan.warm);
    return per_memory * static_cast<int>(candidates.size()) *
           static_cast<int>(plan.memory_sizes.size());
}

void run_bench(const std::vector<Candidate>& candidates, const BenchPlan& plan,
               report::BenchRun& run, const Progress& progress) {
    Recorder recorder(run, planned_invocations(candidates, plan), progress);
    int next_round = 0;
    for (int memory : plan.memory_sizes) {
        std::vector<model::FunctionConfig> configs;
        for (const Candidate& c : candidates) {
            configs.push_back(c.config);
            configs.back().memory_mb = memory;
        }
        // The last round's environments stay up for the warm invocations.
        std::vector<std::unique_ptr<Round>> kept(candidates.size());
        const int rounds = cold_rounds(plan);
        for (int r = 0; r < rounds; ++r) {
            for (std::size_t i = 0; i < candidates.size(); ++i) {
                std::vector<std::unique_ptr<Round>> group;
                for (int k = 0; k < per_round(plan); ++k) {
                    group.push_back(
                        std::make_unique<Round>(configs[i], candidates[i].log, next_round++));
                }
                if (plan.burst > 0) {
                    auto outcomes = burst(group, plan);
                    for (std::size_t k = 0; k < group.size(); ++k) {
                        recorder.add(candidates[i].label, memory, r, *group[k], outcomes[k]);
                    }
                } else {
                    recorder.add(candidates[i].label, memory, -1, *group[0],
                                 group[0]->pool->invoke(request_for(plan)));
                }
                kept[i] = std::move(group.back());  // the previous round's environment ends here
            }
        }
        for (int w = 0; w < plan.warm; ++w) {
            for (std::size_t i = 0; i < candidates.size(); ++i) {
                if (!kept[i])
                    kept[i] = std::make_unique<Round>(configs[i], candidates[i].log, next_round++);
                Round& round = *kept[i];
                recorder.add(candidates[i].label, memory, -1, round,
                             round.pool->invoke(request_for(plan)));
            }
        }
    }
}

}  // namespace lambda_emu::bench
