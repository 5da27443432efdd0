// errorType values the service reports (lambda-facts sections 1 and 3).
#pragma once

namespace lambda_emu::model::error_types {

inline constexpr const char* k_runtime_exit = "Runtime.ExitError";
inline constexpr const char* k_out_of_memory = "Runtime.OutOfMemory";
inline constexpr const char* k_runtime_unknown = "Runtime.Unknown";
inline constexpr const char* k_timed_out = "Sandbox.Timedout";
inline constexpr const char* k_sandbox_failure = "Sandbox.Failure";
inline constexpr const char* k_response_too_large = "Function.ResponseSizeTooLarge";
inline constexpr const char* k_invalid_response_mode = "Runtime.InvalidResponseModeHeader";
inline constexpr const char* k_truncated_response = "Runtime.TruncatedResponse";
inline constexpr const char* k_unhandled = "Unhandled";

// Runtime API errors (the runtime receives these).
inline constexpr const char* k_invalid_request_id = "InvalidRequestID";
inline constexpr const char* k_invalid_state_transition = "InvalidStateTransition";
inline constexpr const char* k_request_too_large = "RequestEntityTooLarge";
inline constexpr const char* k_invalid_response_mode_api = "InvalidFunctionResponseMode";
inline constexpr const char* k_internal_error = "InternalServerError";
inline constexpr const char* k_truncated_request = "TruncatedHTTPRequest";

}  // namespace lambda_emu::model::error_types
