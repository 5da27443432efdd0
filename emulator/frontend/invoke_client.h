// A client of the Invoke API, for `invoke --remote`: sends one synchronous invocation to a
// running `serve` or `watch`, asking for the log tail.
#pragma once

#include <cstdint>
#include <string>

#include "util/result.h"

namespace lambda_emu::frontend {

struct RemoteInvocation {
    int status = 0;              // the HTTP status (200 for a function's own failure)
    std::string payload;         // the response body
    std::string function_error;  // X-Amz-Function-Error, empty on success
    std::string error_type;      // X-Amzn-ErrorType of a service error
    std::string log_tail;        // X-Amz-Log-Result, decoded
    std::string request_id;
};

// An error when nothing answers at host:port.
util::Result<RemoteInvocation> invoke_remote(const std::string& host, std::uint16_t port,
                                             const std::string& function,
                                             const std::string& payload);

}  // namespace lambda_emu::frontend
