// The Runtime API (2018-06-01) as a pure function from request to response over a
// RuntimeExchange: no sockets, testable on its own.
#pragma once

#include <cstddef>

#include "core/runtime_exchange.h"
#include "runtime_api/http_message.h"
#include "runtime_api/server.h"

namespace lambda_emu::runtime_api {

// The body a request to this API may carry before it is refused.
std::size_t body_limit_for(const HttpRequest& head);

// For a streamed POST /response of the current invocation whose caller streams it on: tells the
// caller the stream began and returns what passes it each piece of the body. Null otherwise.
BodyObserver response_stream_observer(const HttpRequest& head, core::RuntimeExchange& exchange);

// Answers one Runtime API request. GET /next blocks until an invocation is handed over.
HttpResponse handle_runtime_request(const HttpRequest& request, core::RuntimeExchange& exchange);

}  // namespace lambda_emu::runtime_api
