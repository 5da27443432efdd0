// The execution environments of one function: an idle one is reused (warm), otherwise a new one
// starts (cold), up to the function's concurrency. Drives each invocation's lifecycle and writes
// its platform log events (INIT_START, START, END, REPORT...).
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/function_config.h"
#include "model/log_event.h"
#include "model/outcome.h"
#include "sandbox/sandbox.h"
#include "util/clock.h"

namespace lambda_emu::pool {

struct InvokeRequest {
    std::string payload;
    std::string request_id;            // empty: a fresh UUID
    std::string invoked_function_arn;  // empty: the function's unqualified ARN
    std::string client_context;
    std::string cognito_identity;
    std::string content_type = "application/json";
    // Receives a streamed response as it arrives (Function URLs); may be null.
    std::shared_ptr<model::ResponseStream> stream;
};

struct PoolOptions {
    int max_environments = 1;  // the function's concurrency
    // Environments idle longer than this are spun down by reap_idle(); zero keeps them.
    std::chrono::milliseconds idle_timeout{0};
    // SIGTERM, then SIGKILL after this, when an idle environment is spun down.
    std::chrono::milliseconds shutdown_grace{300};
    sandbox::SandboxOptions sandbox;
};

// What to do when every environment of the function is busy.
enum class Admission {
    wait,      // wait for one to become free, up to the function's timeout
    throttle,  // refuse at once (the service's 429 TooManyRequestsException)
};

struct PoolStats {
    int busy = 0;
    int idle = 0;
};

class FunctionPool;
struct RunningInvocation;

// An invocation whose answer is known while its end is still to come. outcome() holds its kind,
// body and error type; end() waits for the runtime to be back on /next (the lines it writes
// meanwhile are the invocation's), takes the last memory sample, writes END and REPORT, returns
// the environment to the pool, and completes the outcome's metrics. The destructor ends it if
// end() was not called. The pool must outlive it.
class AnsweredInvocation {
  public:
    AnsweredInvocation(FunctionPool& pool, std::unique_ptr<RunningInvocation> running);
    ~AnsweredInvocation();
    AnsweredInvocation(AnsweredInvocation&&) noexcept;
    AnsweredInvocation& operator=(AnsweredInvocation&&) = delete;
    AnsweredInvocation(const AnsweredInvocation&) = delete;
    AnsweredInvocation& operator=(const AnsweredInvocation&) = delete;

    // The caller may take the body; the invocation's end does not need it.
    model::Outcome& outcome();
    // Idempotent; the complete outcome.
    model::Outcome& end();

  private:
    FunctionPool* m_pool;
    std::unique_ptr<RunningInvocation> m_running;
};

class FunctionPool {
  public:
    FunctionPool(model::FunctionConfig config, model::LogSink& sink, const util::Clock& clock,
                 PoolOptions options = {});
    ~FunctionPool();
    FunctionPool(const FunctionPool&) = delete;
    FunctionPool& operator=(const FunctionPool&) = delete;

    // Runs one invocation to its end; every invocation gets exactly one Outcome. Waits as long
    // as it takes for a free environment.
    model::Outcome invoke(const InvokeRequest& request);
    // The same, or nothing when no environment was free (at once, or within the timeout).
    std::optional<model::Outcome> try_invoke(const InvokeRequest& request, Admission admission);
    // The same, returning at the runtime's answer: the caller can pass the answer on before the
    // invocation's end (see AnsweredInvocation).
    std::optional<AnsweredInvocation> try_invoke_answer(const InvokeRequest& request,
                                                        Admission admission);
    // Start n environments ahead of traffic (provisioned concurrency); false if any failed Init.
    bool prewarm(int n);
    // Spin down environments idle longer than idle_timeout; how many were.
    int reap_idle();
    PoolStats stats();
    // Shut every idle environment down; in-flight ones end with their invocation.
    void shutdown();

    const model::FunctionConfig& config() const { return m_config; }

  private:
    friend class AnsweredInvocation;
    struct Lease;
    struct IdleEnvironment {
        std::unique_ptr<sandbox::Sandbox> env;
        util::SteadyTime idle_since;
    };
    // Reserve a slot: an idle environment (warm) or room for a new one. False when none came
    // free by the deadline.
    bool reserve(Lease& lease, std::optional<util::SteadyTime> deadline);
    // A ready environment for a reserved slot, starting one if needed; nothing when its Init
    // failed (then `lease` says how).
    std::unique_ptr<sandbox::Sandbox> ready_environment(Lease& lease);
    model::Outcome run(const InvokeRequest& request, Lease& lease);
    // An invocation up to its answer (or failure), then its end.
    std::unique_ptr<RunningInvocation> begin(const InvokeRequest& request, Lease& lease);
    void end(RunningInvocation& running);
    // An extension failed, or overran the timeout, after the runtime answered.
    void after_the_answer(RunningInvocation& running, const sandbox::SettleFailure& failure);
    struct Started {
        std::unique_ptr<sandbox::Sandbox> env;  // null when the runtime could not be spawned
        sandbox::InitResult init;
        std::string start_error;
    };
    // Spawns an environment and waits for its Init, writing INIT_START and INIT_REPORT. Init ends
    // by `deadline`, or without one by the Init phase's limit counted from the spawn.
    Started start_environment(const model::FunctionConfig& config, model::InitPhase phase,
                              std::optional<util::SteadyTime> deadline);
    // Back to the idle environments, or shut down (for `reason`) when no longer usable.
    void release(std::unique_ptr<sandbox::Sandbox> env, bool finishing = false,
                 sandbox::ShutdownReason reason = sandbox::ShutdownReason::failure);

    model::FunctionConfig m_config;
    model::LogSink& m_sink;
    const util::Clock& m_clock;
    PoolOptions m_options;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<IdleEnvironment> m_idle;
    int m_busy = 0;
    int m_finishing = 0;  // busy environments that have answered and are ending the invocation
    std::set<sandbox::Sandbox*> m_starting;  // in their Init, for shutdown() to end
    // Environments discarded after a timeout, crash or OOM: the invocation that next starts an
    // environment re-runs Init inside itself (a suppressed init), as the service does.
    int m_pending_resets = 0;
    bool m_shut_down = false;
};

}  // namespace lambda_emu::pool
