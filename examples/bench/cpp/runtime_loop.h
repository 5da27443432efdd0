// lambda-emu benchmark workloads: the custom-runtime loop shared by health.cpp and fib.cpp.
//
// A minimal HTTP/1.1 client over one keep-alive TCP connection (TCP_NODELAY, every request
// written with a single send) to http://$AWS_LAMBDA_RUNTIME_API/2018-06-01:
// GET /runtime/invocation/next, call the handler, POST /runtime/invocation/{id}/response.
#pragma once

#include <string>
#include <string_view>

namespace bench {

// Gets the event's bytes and writes the response body (JSON) into `response`, which is
// empty on entry.
using Handler = void (*)(std::string_view event, std::string& response);

// Runs the Runtime API loop until the process is ended. Prints nothing on the way, so that
// init stays minimal; exits with status 1 (after a line on stderr) when AWS_LAMBDA_RUNTIME_API
// is missing, when /next fails or when a POST gets a 5xx.
[[noreturn]] void run_loop(Handler handler);

}  // namespace bench
