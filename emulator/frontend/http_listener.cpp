#include "frontend/http_listener.h"

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace lambda_emu::frontend {

namespace {

// Bodies above the Invoke API's limit are read and then refused with the service's 413; far
// larger ones are cut off by the library first.
constexpr std::size_t k_max_body = 16 * 1024 * 1024;
// How long stop() waits for a serve() that has begun to be listening.
constexpr int k_start_wait_ms = 5000;

class HttplibListener final : public HttpListener {
  public:
    HttplibListener(Handler handler, int workers) : m_handler(std::move(handler)) {
        m_server.new_task_queue = [workers] {
            return new httplib::ThreadPool(static_cast<std::size_t>(workers));
        };
        m_server.set_tcp_nodelay(true);
        m_server.set_payload_max_length(k_max_body);
        m_server.set_read_timeout(std::chrono::seconds(30));
        m_server.set_keep_alive_timeout(60);
        m_server.set_keep_alive_max_count(100000);
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
    void respond(const httplib::Request& req, httplib::Response& res) {
        ApiRequest r;
        r.method = req.method;
        r.path = req.path;
        for (const auto& [k, v] : req.params) r.query.emplace(k, v);
        r.header = [&req](const std::string& name) -> const std::string* {
            auto it = req.headers.find(name);
            return it == req.headers.end() ? nullptr : &it->second;
        };
        r.body = req.body;
        r.target = req.target;
        for (const auto& [k, v] : req.headers) {
            // cpp-httplib adds these itself; they were not sent by the client.
            if (k == "REMOTE_ADDR" || k == "REMOTE_PORT" || k == "LOCAL_ADDR" || k == "LOCAL_PORT")
                continue;
            r.headers.emplace_back(k, v);
        }
        r.remote_addr = req.remote_addr;
        ApiResponse out = m_handler(r);
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
        if (out.status != 204) res.set_content(out.body, out.content_type.c_str());
    }

    Handler m_handler;
    httplib::Server m_server;
    std::uint16_t m_port = 0;
    std::atomic<bool> m_serving{false};
    std::atomic<bool> m_served{false};
    std::atomic<bool> m_stopping{false};
};

}  // namespace

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
