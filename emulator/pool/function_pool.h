// The execution environments of one function: an idle one is reused (warm), otherwise a new one
// starts (cold), up to the function's concurrency. Drives each invocation's lifecycle and writes
// its platform log events (INIT_START, START, END, REPORT...).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
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
    std::string request_id;  // empty: a fresh UUID
    std::string invoked_function_arn;  // empty: the function's unqualified ARN
    std::string client_context;
    std::string cognito_identity;
    std::string content_type = "application/json";
};

struct PoolOptions {
    int max_environments = 1;
    sandbox::SandboxOptions sandbox;
};

class FunctionPool {
public:
    FunctionPool(model::FunctionConfig config, model::LogSink& sink, const util::Clock& clock,
                 PoolOptions options = {});
    ~FunctionPool();
    FunctionPool(const FunctionPool&) = delete;
    FunctionPool& operator=(const FunctionPool&) = delete;

    // Runs one invocation to its end; every invocation gets exactly one Outcome.
    model::Outcome invoke(const InvokeRequest& request);
    // Shut every idle environment down; in-flight ones end with their invocation.
    void shutdown();

    const model::FunctionConfig& config() const { return m_config; }

private:
    struct Lease;
    // An environment ready to serve, or nothing when a cold start failed (then `lease` tells).
    std::unique_ptr<sandbox::Sandbox> acquire(Lease& lease);
    void release(std::unique_ptr<sandbox::Sandbox> env);

    model::FunctionConfig m_config;
    model::LogSink& m_sink;
    const util::Clock& m_clock;
    PoolOptions m_options;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<sandbox::Sandbox>> m_idle;
    int m_busy = 0;
    // Environments discarded after a timeout, crash or OOM: the invocation that next starts an
    // environment re-runs Init inside itself (a suppressed init), as the service does.
    int m_pending_resets = 0;
    bool m_shut_down = false;
};

}  // namespace lambda_emu::pool
