#include "frontend/http_listener.h"

#include <httplib.h>

#include <strings.h>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <memory>
#include <optional>
#include <thread>

namespace lambda_emu::frontend {

namespace {

// Bodies above the Invoke API's limit are read and then refused with the service's 413; far
// larger ones are cut off by the library first.
constexpr std::size_t k_max_body = 16 * 1024 * 1024;
// How long stop() waits for a serve() that has begun to be listening.
constexpr int k_start_wait_ms = 5000;
// Largest header block accepted (as an ALB's 64 KB); cpp-httplib has no limit of its own but
// 8 KiB per line.
constexpr std::size_t k_max_header_bytes = 64 * 1024;
// Where a form's Content-Type is kept while the library reads the body: it would otherwise parse
// form bodies itself (url-encoded ones into the query parameters, refusing those over 8 KiB with
// an empty 413; multipart ones into files, leaving the body empty). The handler sees the body as
// sent, under its Content-Type.
constexpr const char* k_kept_content_type = "lambda-emu kept Content-Type";

bool is_form(const std::string& content_type) {
    return ::strncasecmp(content_type.c_str(), "application/x-www-form-urlencoded", 33) == 0 ||
           ::strncasecmp(content_type.c_str(), "multipart/form-data", 19) == 0;
}

// A request head that must be refused before its body is read (RFC 9112 sections 6.1 and 6.3):
// framing that two parsers could read differently (request smuggling), and too many headers.
std::optional<int> refusal(const httplib::Request& req) {
    std::size_t header_bytes = 0;
    for (const auto& [k, v] : req.headers) header_bytes += k.size() + v.size() + 4;
    if (header_bytes > k_max_header_bytes) return 431;
    std::size_t lengths = req.get_header_value_count("Content-Length");
    std::size_t codings = req.get_header_value_count("Transfer-Encoding");
    if (lengths > 1 || codings > 1 || (lengths > 0 && codings > 0)) return 400;
    if (codings == 1 &&
        ::strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") != 0)
        return 501;
    if (lengths == 1) {
        const std::string value = req.get_header_value("Content-Length");
        std::uint64_t n = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
        if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) return 400;
    }
    return std::nullopt;
}

std::uint64_t declared_length(const httplib::Request& req) {
    const std::string value = req.get_header_value("Content-Length");
    std::uint64_t n = 0;
    std::from_chars(value.data(), value.data() + value.size(), n);
    return n;
}

const char* reason(int status) {
    switch (status) {
        case 400:
            return "Bad Request";
        case 431:
            return "Request Header Fields Too Large";
        case 501:
            return "Not Implemented";
        default:
            return "Error";
    }
}

// Sends `body` and then closes the connection: the request's body was not read, and must not be
// taken for the next request. (cpp-httplib closes a connection whose content provider fails; a
// "Connection: close" header alone does not close it.)
void answer_and_close(httplib::Response& res, int status, std::string body,
                      const std::string& content_type) {
    if (body.empty()) body = std::string(reason(status)) + "\n";
    res.status = status;
    res.set_header("Connection", "close");
    auto shared = std::make_shared<std::string>(std::move(body));
    res.set_content_provider(
        shared->size(), content_type,
        [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            sink.write(shared->data() + offset, length);
            return false;
        });
}

class HttplibListener final : public HttpListener {
  public:
    HttplibListener(Handler handler, int workers) : m_handler(std::move(handler)) {
        m_server.new_task_queue = [workers] {
            return new httplib::ThreadPool(static_cast<std::size_t>(workers));
        };
        m_server.set_tcp_nodelay(true);
        m_server.set_payload_max_length(k_max_body);
        m_server.set_read_timeout(std::chrono::seconds(30));
        // An idle keep-alive connection holds its worker, and the library's wait for its next
        // request does not see stop(): a graceful stop waits up to this long for idle clients.
        // 5 s, like Node.js's HTTP server; clients reconnect after it.
        m_server.set_keep_alive_timeout(5);
        m_server.set_keep_alive_max_count(100000);
        // Heads are screened before their body is read, also when the client waits for
        // "100 Continue" first.
        m_server.set_expect_100_continue_handler(
            [this](const httplib::Request& req, httplib::Response& res) {
                return screen(req, res) ? res.status : 100;
            });
        m_server.set_pre_routing_handler(
            [this](const httplib::Request& req, httplib::Response& res) {
                return screen(req, res) ? httplib::Server::HandlerResponse::Handled
                                        : httplib::Server::HandlerResponse::Unhandled;
            });
        // A chunked body over the cap: the library stops reading it and answers 413 itself.
        m_server.set_error_handler(httplib::Server::HandlerWithResponse(
            [this](const httplib::Request& req, httplib::Response& res) {
                if (res.status != 413 || res.content_provider_ || !res.body.empty())
                    return httplib::Server::HandlerResponse::Unhandled;
                answer_head_only(req, res, k_max_body + 1);
                return httplib::Server::HandlerResponse::Handled;
            }));
        auto route = [this](const httplib::Request& req, httplib::Response& res) {
            respond(req, res);
        };
        const char* any = ".*";
        m_server.Get(any, route);
        m_server.Post(any, route);
        m_server.Put(any, route);
        m_server.Delete(any, route);
        m_server.Patch(any, route);
    }

    bool bind(const std::string& host, std::uint16_t port) {
        if (port == 0) {
            int chosen = m_server.bind_to_any_port(host);
            if (chosen < 0) return false;
            m_port = static_cast<std::uint16_t>(chosen);
            return true;
        }
        if (!m_server.bind_to_port(host, port)) return false;
        m_port = port;
        return true;
    }

    std::uint16_t port() const override { return m_port; }
    void serve() override {
        m_serving = true;
        if (!m_stopping) m_server.listen_after_bind();
        m_served = true;
    }

    // cpp-httplib's stop() does nothing until the listen loop runs, so a stop that comes first
    // (a signal just after start-up) is remembered: serve() then returns at once, or, if it
    // has already begun, the loop is stopped as soon as it is running.
    void stop() override {
        m_stopping = true;
        if (!m_serving) return;
        for (int i = 0; i < k_start_wait_ms && !m_served && !m_server.is_running(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        m_server.stop();
    }

  private:
    // True when the request was answered from its head (refused, or over the body cap: then the
    // handler answers from the head alone, its body length being the declared one); the
    // connection is then closed. Otherwise a form's Content-Type is kept aside (see above).
    bool screen(const httplib::Request& req, httplib::Response& res) {
        if (auto status = refusal(req)) {
            answer_and_close(res, *status, "", "text/plain");
            return true;
        }
        if (declared_length(req) > k_max_body) {
            answer_head_only(req, res, declared_length(req));
            return true;
        }
        if (req.has_header("Content-Type") && is_form(req.get_header_value("Content-Type"))) {
            // The Request is the library's own (not const) object.
            auto& mutable_req = const_cast<httplib::Request&>(req);
            mutable_req.headers.emplace(k_kept_content_type, req.get_header_value("Content-Type"));
            mutable_req.headers.erase("Content-Type");
        }
        return false;
    }

    // The handler's answer to a request whose body was not (wholly) read: a body of `length`
    // bytes, told by Content-Length.
    void answer_head_only(const httplib::Request& req, httplib::Response& res,
                          std::uint64_t length) {
        auto& mutable_req = const_cast<httplib::Request&>(req);
        mutable_req.headers.erase("Content-Length");
        mutable_req.headers.emplace("Content-Length", std::to_string(length));
        ApiRequest r = api_request(req);
        r.body.clear();
        ApiResponse out = m_handler(r);
        for (const auto& [k, v] : out.headers) res.set_header(k, v);
        answer_and_close(res, out.status, std::move(out.body), out.content_type);
    }

    static ApiRequest api_request(const httplib::Request& req) {
        ApiRequest r;
        r.method = req.method;
        r.path = req.path;
        for (const auto& [k, v] : req.params) r.query.emplace(k, v);
        r.header = [&req](const std::string& name) -> const std::string* {
            auto it = req.headers.find(name);
            if (it == req.headers.end() && ::strcasecmp(name.c_str(), "Content-Type") == 0)
                it = req.headers.find(k_kept_content_type);
            return it == req.headers.end() ? nullptr : &it->second;
        };
        r.body = req.body;
        r.target = req.target;
        for (const auto& [k, v] : req.headers) {
            // cpp-httplib adds these itself; they were not sent by the client.
            if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT")
                continue;
            r.headers.emplace_back(k == k_kept_content_type ? "Content-Type" : k, v);
        }
        r.remote_addr = req.remote_addr;
        return r;
    }

    void respond(const httplib::Request& req, httplib::Response& res) {
        ApiResponse out = m_handler(api_request(req));
        res.status = out.status;
        for (const auto& [k, v] : out.headers) res.set_header(k, v);
        if (out.stream) {
            res.set_chunked_content_provider(
                out.content_type,
                [stream = std::move(out.stream)](std::size_t, httplib::DataSink& sink) {
                    std::string piece;
                    switch (stream(piece)) {
                        case StreamStep::data:
                            return piece.empty() || sink.write(piece.data(), piece.size());
                        case StreamStep::end:
                            sink.done();
                            return true;
                        case StreamStep::abort:
                            break;
                    }
                    return false;
                });
            return;
        }
        if (out.status != 204) {
            // set_content() would copy the body (up to 6 MB).
            res.body = std::move(out.body);
            res.headers.erase("Content-Type");
            res.set_header("Content-Type", out.content_type);
        }
        if (out.after) {
            // The library runs a response's releaser when it is done with it: after writing it,
            // before reading the connection's next request. A content provider would give the
            // same hook, but the library abandons those once stop() is called, and a graceful
            // stop must still deliver the answers of invocations in flight.
            res.content_provider_resource_releaser_ = [after = std::move(out.after)](bool) {
                after();
            };
        }
    }

    Handler m_handler;
    httplib::Server m_server;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_serving{false};
    std::atomic<bool> m_served{false};
    std::atomic<bool> m_stopping{false};
};

}  // namespace

std::size_t body_length(const ApiRequest& request) {
    const std::string* declared = request.header ? request.header("Content-Length") : nullptr;
    std::size_t n = 0;
    if (declared) std::from_chars(declared->data(), declared->data() + declared->size(), n);
    return std::max(request.body.size(), n);
}

util::Result<std::unique_ptr<HttpListener>> HttpListener::bind(const std::string& host,
                                                               std::uint16_t port, Handler handler,
                                                               int worker_threads) {
    auto listener = std::make_unique<HttplibListener>(std::move(handler), worker_threads);
    if (!listener->bind(host, port)) {
        return util::make_error("cannot listen on " + host + ":" + std::to_string(port) +
                                " (in use, or not an address of this machine)");
    }
    return std::unique_ptr<HttpListener>(std::move(listener));
}

}  // namespace lambda_emu::frontend
