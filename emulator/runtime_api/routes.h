// The Runtime API (2018-06-01) as a pure function from request to response over a
// RuntimeExchange: no sockets, testable on its own.
#pragma once

#include <cstddef>

#include "core/runtime_exchange.h"
#include "runtime_api/http_message.h"

namespace lambda_emu::runtime_api {

// The body a request to this API may carry before it is refused.
std::size_t body_limit_for(const HttpRequest& head);

// Answers one Runtime API request. GET /next blocks until an invocation is handed over.
HttpResponse handle_runtime_request(const HttpRequest& request, core::RuntimeExchange& exchange);

}  // namespace lambda_emu::runtime_api
