// A client-facing HTTP listener (cpp-httplib) that hands every request to a handler as an
// ApiRequest. TCP_NODELAY on, a worker pool sized for requests that wait on functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "frontend/api_message.h"
#include "util/result.h"

namespace lambda_emu::frontend {

// The length of a request's body: the bytes read, or, for a body the listener did not read
// (one over its cap: the handler gets the head alone), the length the head declares.
std::size_t body_length(const ApiRequest& request);

class HttpListener {
  public:
    using Handler = std::function<ApiResponse(const ApiRequest&)>;
    virtual ~HttpListener() = default;
    virtual std::uint16_t port() const = 0;
    // Serve until stop(); returns when stopped.
    virtual void serve() = 0;
    virtual void stop() = 0;

    // Binds now, so that the port is known (and taken) before serve().
    static util::Result<std::unique_ptr<HttpListener>> bind(const std::string& host,
                                                            std::uint16_t port, Handler handler,
                                                            int worker_threads);
};

}  // namespace lambda_emu::frontend
