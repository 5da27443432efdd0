// A small HTTP/1.1 server for one environment's Runtime API: bound before the runtime is
// spawned, a thread per connection (a runtime holds a long-poll on /next), TCP_NODELAY on every
// socket, chunked request bodies with trailers, Expect: 100-continue. See ARCHITECTURE.md for why
// this is not cpp-httplib.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "runtime_api/http_message.h"
#include "util/result.h"

namespace lambda_emu::runtime_api {

// Sees a request's body as it is read, piece by piece (a chunked body chunk by chunk).
using BodyObserver = std::function<void(std::string_view piece)>;

struct ServerOptions {
    std::size_t max_header_bytes = 256 * 1024;
    // Largest body kept for a request, given its head; the rest is read and dropped.
    std::function<std::size_t(const HttpRequest&)> body_limit;
    // Who, if anyone, sees this request's body as it arrives, given its head.
    std::function<BodyObserver(const HttpRequest&)> body_observer;
};

class HttpServer {
  public:
    using Handler = std::function<HttpResponse(const HttpRequest&)>;

    virtual ~HttpServer() = default;
    virtual std::uint16_t port() const = 0;
    // Stop accepting, unblock and join every connection. Handlers blocked elsewhere must be
    // released by their owner first.
    virtual void stop() = 0;

    // Bind `host:port` (port 0 = ephemeral) and start serving.
    static util::Result<std::unique_ptr<HttpServer>> listen(const std::string& host,
                                                            std::uint16_t port, Handler handler,
                                                            ServerOptions options = {});
};

}  // namespace lambda_emu::runtime_api
