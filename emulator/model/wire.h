// Header names and fixed strings of the Runtime API (2018-06-01) and the Extensions API.
#pragma once

namespace lambda_emu::model::wire {

inline constexpr const char* k_api_version = "2018-06-01";

inline constexpr const char* k_request_id = "Lambda-Runtime-Aws-Request-Id";
inline constexpr const char* k_deadline_ms = "Lambda-Runtime-Deadline-Ms";
inline constexpr const char* k_function_arn = "Lambda-Runtime-Invoked-Function-Arn";
inline constexpr const char* k_trace_id = "Lambda-Runtime-Trace-Id";
inline constexpr const char* k_client_context = "Lambda-Runtime-Client-Context";
inline constexpr const char* k_cognito_identity = "Lambda-Runtime-Cognito-Identity";
inline constexpr const char* k_tenant_id = "Lambda-Runtime-Aws-Tenant-Id";
inline constexpr const char* k_error_type = "Lambda-Runtime-Function-Error-Type";
inline constexpr const char* k_error_body = "Lambda-Runtime-Function-Error-Body";
inline constexpr const char* k_response_mode = "Lambda-Runtime-Function-Response-Mode";
inline constexpr const char* k_streaming = "streaming";

// The Extensions API (2020-01-01).
inline constexpr const char* k_extension_name = "Lambda-Extension-Name";
inline constexpr const char* k_extension_identifier = "Lambda-Extension-Identifier";
inline constexpr const char* k_extension_event_identifier = "Lambda-Extension-Event-Identifier";
inline constexpr const char* k_extension_error_type = "Lambda-Extension-Function-Error-Type";
inline constexpr const char* k_extension_accept_feature = "Lambda-Extension-Accept-Feature";

inline constexpr const char* k_accepted_body = R"({"status":"OK"})";

}  // namespace lambda_emu::model::wire
