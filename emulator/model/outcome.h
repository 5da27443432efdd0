// What one invocation produced, and its figures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lambda_emu::model {

enum class OutcomeKind {
    success,
    function_error,      // the runtime posted /error
    timeout,             // Sandbox.Timedout
    runtime_exit,        // Runtime.ExitError
    out_of_memory,       // Runtime.OutOfMemory
    init_error,          // Init failed inside this invocation (suppressed init)
    response_too_large,  // Function.ResponseSizeTooLarge
    extension_error,     // Extension.Crash, Extension.InitError, Extension.ExitError...
};

struct Metrics {
    std::optional<double> init_duration_ms;  // only on a normal cold start
    double duration_ms = 0;
    std::int64_t billed_duration_ms = 0;
    int memory_size_mb = 0;
    int max_memory_used_mb = 0;
};

struct Outcome {
    std::string request_id;
    OutcomeKind kind = OutcomeKind::success;
    std::string body;        // the response, or the error JSON the caller receives
    std::string error_type;  // the REPORT "Error Type" (empty on success)
    Metrics metrics;
    std::size_t produced_bytes = 0;
    // The execution environment that ran it (its Runtime API address): distinct among the
    // environments alive at the same time; empty when none could be started.
    std::string environment;

    bool failed() const { return kind != OutcomeKind::success; }
};

// REPORT/telemetry status: "success", "error", "timeout" or "failure".
const char* status_name(OutcomeKind kind);

}  // namespace lambda_emu::model
