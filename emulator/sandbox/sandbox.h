// One execution environment: its own Runtime API listener (bound before the spawn), the runtime
// process group, its output and memory. Serves one invocation at a time. Emits the function's
// own log lines; the platform lines (START, END, REPORT...) are the caller's.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/runtime_exchange.h"
#include "model/function_config.h"
#include "model/invocation.h"
#include "model/log_event.h"
#include "sandbox/environment.h"
#include "util/clock.h"
#include "util/result.h"

namespace lambda_emu::sandbox {

// How to start a runtime that lambda-emu does not spawn itself: its environment ("KEY=VALUE"),
// the bootstrap and the directory to run it in.
struct ExternalRuntime {
    std::vector<std::string> env;
    std::string bootstrap;
    std::string task_root;
};

struct SandboxOptions {
    std::chrono::microseconds memory_sample_interval{2000};
    HostEnvironment host = host_environment_from_process();
    // When set, the runtime is not spawned (`--no-spawn`, for debuggers): this is told how to
    // start it, and the environment waits for it on its Runtime API. Its output and memory are
    // not seen, and a timed-out invocation leaves the environment unusable.
    std::function<void(const ExternalRuntime&)> external_runtime;
    // False only for the benchmark harness (bench/), to measure what measuring costs: no memory
    // samples (Max Memory Used 0 MB, no memory limit), the runtime's output discarded, and an
    // invocation ends at its answer without waiting for the runtime to be back on /next.
    bool measure = true;
};

struct InitResult {
    // extension_error: an extension crashed, failed to start or reported an error
    enum class Kind { ready, error, exited, timeout, extension_error };
    Kind kind = Kind::ready;
    double duration_ms = 0;        // spawn until the runtime and every extension called next
    std::string error_type;        // posted by /init/error; Extension.* for extension_error
    std::string error_body;        // posted by /init/error; the message for extension_error
    std::string exit_description;  // "exit status 1"
    bool exit_clean = false;
};

struct InvokeResult {
    enum class Kind { answered, exited, timeout, out_of_memory, extension_error };
    Kind kind = Kind::answered;
    core::RuntimeAnswer answer;
    double duration_ms = 0;  // hand-over until the answer (or the end)
    std::string exit_description;
    bool exit_clean = false;
    std::string error_type;  // extension_error: Extension.Crash, Extension.ExitError
    std::string message;     // extension_error: "exit status 1"
};

// What went wrong after the runtime answered: an extension failed (its type and message), or the
// extensions were not back on event/next by the invocation's deadline (timeout).
struct SettleFailure {
    bool timeout = false;
    std::string error_type;
    std::string message;
};

// Why an environment ends: the reason its extensions' SHUTDOWN event gives.
enum class ShutdownReason { spindown, timeout, failure };

class Sandbox {
  public:
    virtual ~Sandbox() = default;
    // Until the runtime's first /next, /init/error, exit, or the deadline. Kills on failure.
    virtual InitResult wait_init(util::SteadyTime deadline) = 0;
    // Runs one invocation until its answer, the runtime's exit, or the deadline (then kills).
    virtual InvokeResult invoke(model::Invocation invocation, util::SteadyTime deadline) = 0;
    // The rest of the invocation that invoke() began: after an answer, the last memory sample
    // and the wait until the runtime is back on /next (killed at the deadline); then every line
    // the runtime wrote is delivered. Lines written until then belong to the invocation. Then
    // the wait until every extension is back on event/next (killed at the deadline).
    virtual std::optional<SettleFailure> settle(util::SteadyTime deadline) = 0;
    // How long the extensions took after the runtime, for the last settled invocation.
    virtual std::optional<model::Span> extension_overhead() const = 0;
    // The last settled invocation's platform.runtimeDone spans: responseLatency (hand-over to the
    // head of the runtime's answer), responseDuration (its body), runtimeOverhead (answer to the
    // runtime's next /next). Empty when it was not answered.
    virtual std::vector<model::Span> runtime_spans() const = 0;
    // The environment's log stream: the caller's sink and its telemetry subscribers.
    virtual model::LogSink& log() = 0;
    // Peak memory of the environment so far, in bytes.
    virtual std::uint64_t peak_memory_bytes() = 0;
    // False once the runtime died, was killed, or timed out.
    virtual bool usable() const = 0;
    // Ends a wait_init() in progress at once (it returns as a timeout); safe from any thread.
    virtual void cancel_init() = 0;
    // SIGTERM to the runtime's group, SIGKILL after `grace`; with external extensions, then
    // SHUTDOWN to them (deadline 2 s from the start) and SIGKILL to what is left. Idempotent.
    virtual void shutdown(std::chrono::milliseconds grace,
                          ShutdownReason reason = ShutdownReason::spindown) = 0;
    virtual std::string runtime_api_address() const = 0;
    // When the runtime was spawned: Init's limit counts from here.
    virtual util::SteadyTime spawned_at() const = 0;

    // Starts the extensions (then, once they have registered, the runtime) or the runtime.
    // `init_start` is written to the environment's log first, so subscribers receive it.
    static util::Result<std::unique_ptr<Sandbox>> start(
        const model::FunctionConfig& config, model::LogSink& sink, const util::Clock& clock,
        const SandboxOptions& options = {},
        const std::optional<model::InitStartEvent>& init_start = std::nullopt);
};

}  // namespace lambda_emu::sandbox
