// The service's limits (lambda-facts sections 1, 3, 6, 7).
#pragma once

#include <chrono>
#include <cstddef>

namespace lambda_emu::model {

// Runtime API: largest buffered response body a runtime may post (RIE MaxPayloadSize).
inline constexpr std::size_t k_max_response_bytes = 6 * 1024 * 1024 + 100;  // 6,291,556
// Invoke API: largest synchronous request payload.
inline constexpr std::size_t k_max_sync_request_bytes = 6 * 1024 * 1024;  // 6,291,456
// Invoke API: largest asynchronous (Event) request payload.
inline constexpr std::size_t k_max_async_request_bytes = 1024 * 1024;  // 1,048,576
// Invoke API: longest FunctionName path parameter; largest decoded client context.
inline constexpr std::size_t k_max_function_name_param = 170;
inline constexpr std::size_t k_max_client_context_bytes = 3583;
// Streamed responses.
inline constexpr std::size_t k_max_streamed_response_bytes = 200 * 1024 * 1024;

inline constexpr int k_min_memory_mb = 128;
inline constexpr int k_max_memory_mb = 10240;
inline constexpr int k_default_memory_mb = 128;

inline constexpr int k_min_timeout_s = 1;
inline constexpr int k_max_timeout_s = 900;
inline constexpr int k_default_timeout_s = 3;

// On-demand Init phase limit; an overrun is retried inside the first invocation.
inline constexpr std::chrono::milliseconds k_on_demand_init_limit{10'000};

// All environment variables of a function together.
inline constexpr std::size_t k_max_env_bytes = 4096;

}  // namespace lambda_emu::model
