#include "runtime_api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <list>
#include <mutex>
#include <thread>

#include "util/fd.h"

namespace lambda_emu::runtime_api {

namespace {

using util::Fd;

// truncated: the head was read but not the whole body; the request is still handled.
enum class ReadStatus { ok, eof, error, too_large, truncated };

// Buffered reads from a blocking socket.
class Reader {
  public:
    explicit Reader(int fd) : m_fd(fd) {}

    // One line ending in CRLF (or LF), without the terminator.
    ReadStatus line(std::string& out, std::size_t limit) {
        for (;;) {
            auto nl = m_buf.find('\n', m_pos);
            if (nl != std::string::npos) {
                std::size_t end = nl;
                if (end > m_pos && m_buf[end - 1] == '\r') --end;
                out.assign(m_buf, m_pos, end - m_pos);
                m_pos = nl + 1;
                return ReadStatus::ok;
            }
            if (m_buf.size() - m_pos > limit) return ReadStatus::too_large;
            if (auto s = fill(); s != ReadStatus::ok) return s;
        }
    }

    // Exactly n bytes; the first `keep` of them are appended to out.
    ReadStatus bytes(std::size_t n, std::string& out, std::size_t keep) {
        while (n > 0) {
            if (m_pos == m_buf.size()) {
                if (auto s = fill(); s != ReadStatus::ok) return s;
            }
            std::size_t take = std::min(n, m_buf.size() - m_pos);
            if (keep > 0) out.append(m_buf, m_pos, std::min(take, keep));
            keep -= std::min(take, keep);
            m_pos += take;
            n -= take;
        }
        return ReadStatus::ok;
    }

    bool buffered() const { return m_pos < m_buf.size(); }

  private:
    ReadStatus fill() {
        if (m_pos > 0 && m_pos == m_buf.size()) {
            m_buf.clear();
            m_pos = 0;
        } else if (m_pos > 64 * 1024) {
            m_buf.erase(0, m_pos);
            m_pos = 0;
        }
        char chunk[64 * 1024];
        for (;;) {
            ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                m_buf.append(chunk, static_cast<std::size_t>(n));
                return ReadStatus::ok;
            }
            if (n == 0) return ReadStatus::eof;
            if (errno != EINTR) return ReadStatus::error;
        }
    }

    int m_fd;
    std::string m_buf;
    std::size_t m_pos = 0;
};

bool send_all(int fd, const std::string& head, const std::string& body) {
    std::size_t done = 0;
    std::size_t total = head.size() + body.size();
    while (done < total) {
        iovec iov[2];
        int count = 0;
        if (done < head.size()) {
            iov[count++] = {const_cast<char*>(head.data() + done), head.size() - done};
            iov[count++] = {const_cast<char*>(body.data()), body.size()};
        } else {
            std::size_t off = done - head.size();
            iov[count++] = {const_cast<char*>(body.data() + off), body.size() - off};
        }
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = static_cast<std::size_t>(count);
        ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

bool parse_header_line(const std::string& line, HeaderList& out) {
    auto colon = line.find(':');
    if (colon == std::string::npos || colon == 0) return false;
    std::string name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string::npos) return false;
    out.emplace_back(std::move(name), trim(std::string_view(line).substr(colon + 1)));
    return true;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool contains_token(std::string_view list, std::string_view token) {
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        std::string item = trim(list.substr(
            start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
        if (iequals(item, token)) return true;
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return false;
}

HttpResponse simple_error(int status) {
    HttpResponse r;
    r.status = status;
    r.close_connection = true;
    return r;
}

class Connection {
  public:
    explicit Connection(Fd fd) : m_fd(std::move(fd)) {}
    Fd m_fd;
    std::thread m_thread;
    std::atomic<bool> m_done{false};
};

class TcpHttpServer final : public HttpServer {
  public:
    TcpHttpServer(Fd listener, std::uint16_t port, Handler handler, ServerOptions options)
        : m_listener(std::move(listener)),
          m_port(port),
          m_handler(std::move(handler)),
          m_options(std::move(options)) {
        m_accept_thread = std::thread([this] { accept_loop(); });
    }
    ~TcpHttpServer() override { stop(); }

    std::uint16_t port() const override { return m_port; }

    void stop() override {
        if (m_stopping.exchange(true)) {
            if (m_accept_thread.joinable()) m_accept_thread.join();
            return;
        }
        ::shutdown(m_listener.get(), SHUT_RDWR);
        if (m_accept_thread.joinable()) m_accept_thread.join();
        std::list<std::unique_ptr<Connection>> conns;
        {
            std::lock_guard lock(m_mutex);
            for (auto& c : m_connections) ::shutdown(c->m_fd.get(), SHUT_RDWR);
            conns.swap(m_connections);
        }
        for (auto& c : conns) {
            if (c->m_thread.joinable()) c->m_thread.join();
        }
    }

  private:
    void accept_loop() {
        while (!m_stopping) {
            int fd = ::accept4(m_listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                if (m_stopping) break;
                if (errno == EMFILE || errno == ENFILE) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    continue;
                }
                break;
            }
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            auto conn = std::make_unique<Connection>(Fd(fd));
            Connection* raw = conn.get();
            std::lock_guard lock(m_mutex);
            reap_finished();
            if (m_stopping) break;
            m_connections.push_back(std::move(conn));
            raw->m_thread = std::thread([this, raw] {
                serve(raw->m_fd.get());
                // Close the connection now; the descriptor itself is released when reaped.
                ::shutdown(raw->m_fd.get(), SHUT_RDWR);
                raw->m_done = true;
            });
        }
    }

    // Join and drop finished connections. Caller holds m_mutex.
    void reap_finished() {
        for (auto it = m_connections.begin(); it != m_connections.end();) {
            if ((*it)->m_done) {
                (*it)->m_thread.join();
                it = m_connections.erase(it);
            } else {
                ++it;
            }
        }
    }

    void serve(int fd) {
        Reader reader(fd);
        while (!m_stopping) {
            HttpRequest req;
            bool keep_alive = true;
            HttpResponse res;
            ReadStatus st = read_request(reader, fd, req, keep_alive, res);
            if (st == ReadStatus::eof || st == ReadStatus::error) return;
            if (st == ReadStatus::truncated) {
                req.truncated = true;
                keep_alive = false;
            }
            if (st == ReadStatus::ok || st == ReadStatus::truncated) res = m_handler(req);
            if (!write_response(fd, res, keep_alive) || res.close_connection || !keep_alive) return;
        }
    }

    // ok: a full request in req. too_large: res holds the error to send, then close.
    ReadStatus read_request(Reader& reader, int fd, HttpRequest& req, bool& keep_alive,
                            HttpResponse& res) {
        std::string line;
        ReadStatus st;
        do {  // tolerate stray CRLF between requests (RFC 9112 2.2)
            st = reader.line(line, m_options.max_header_bytes);
            if (st == ReadStatus::too_large) {
                res = simple_error(431);
                return st;
            }
            if (st != ReadStatus::ok) return st;
        } while (line.empty());

        auto sp1 = line.find(' ');
        auto sp2 = line.rfind(' ');
        if (sp1 == std::string::npos || sp2 == sp1) {
            res = simple_error(400);
            return ReadStatus::too_large;
        }
        req.method = line.substr(0, sp1);
        req.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
        std::string version = line.substr(sp2 + 1);
        if (version != "HTTP/1.1" && version != "HTTP/1.0") {
            res = simple_error(400);
            return ReadStatus::too_large;
        }
        std::size_t header_bytes = line.size();
        for (;;) {
            st = reader.line(line, m_options.max_header_bytes);
            if (st == ReadStatus::too_large) {
                res = simple_error(431);
                return st;
            }
            if (st != ReadStatus::ok) return ReadStatus::error;
            if (line.empty()) break;
            header_bytes += line.size() + 2;
            if (header_bytes > m_options.max_header_bytes) {
                res = simple_error(431);
                return ReadStatus::too_large;
            }
            if (!parse_header_line(line, req.headers)) {
                res = simple_error(400);
                return ReadStatus::too_large;
            }
        }

        const std::string* connection = req.header("Connection");
        if (version == "HTTP/1.0") {
            keep_alive = connection && contains_token(*connection, "keep-alive");
        } else {
            keep_alive = !(connection && contains_token(*connection, "close"));
        }

        const std::string* te = req.header("Transfer-Encoding");
        const std::string* cl = req.header("Content-Length");
        if (te && cl) {  // conflicting framing: refuse rather than guess (RFC 9112 6.1)
            res = simple_error(400);
            return ReadStatus::too_large;
        }
        std::size_t limit = m_options.body_limit ? m_options.body_limit(req) : SIZE_MAX;
        BodyObserver observer = m_options.body_observer ? m_options.body_observer(req) : nullptr;

        if (const std::string* expect = req.header("Expect");
            expect && iequals(*expect, "100-continue") && (te || cl)) {
            if (!send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", {})) return ReadStatus::error;
        }

        if (te) {
            if (!iequals(trim(*te), "chunked")) {
                res = simple_error(501);
                return ReadStatus::too_large;
            }
            req.chunked = true;
            return read_chunked(reader, req, limit, observer, res);
        }
        if (cl) {
            std::size_t length = 0;
            auto [p, ec] = std::from_chars(cl->data(), cl->data() + cl->size(), length);
            if (ec != std::errc{} || p != cl->data() + cl->size()) {
                res = simple_error(400);
                return ReadStatus::too_large;
            }
            std::size_t keep = std::min(length, limit);
            req.body.reserve(keep);
            st = reader.bytes(length, req.body, keep);
            if (st != ReadStatus::ok) return ReadStatus::truncated;
            req.body_bytes = length;
            req.body_over_limit = length > limit;
            if (observer && !req.body.empty()) observer(req.body);
        }
        return ReadStatus::ok;
    }

    ReadStatus read_chunked(Reader& reader, HttpRequest& req, std::size_t limit,
                            const BodyObserver& observer, HttpResponse& res) {
        // A body that ends early or breaks its chunked framing is truncated, as Go's net/http
        // (RIE) sees a failed body read.
        std::string line;
        for (;;) {
            if (reader.line(line, 1024) != ReadStatus::ok) return ReadStatus::truncated;
            std::size_t size = 0;
            auto semi = line.find(';');
            std::string hex = trim(std::string_view(line).substr(0, semi));
            auto [p, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), size, 16);
            if (hex.empty() || ec != std::errc{} || p != hex.data() + hex.size()) {
                return ReadStatus::truncated;
            }
            if (size == 0) break;
            std::size_t room = req.body_bytes < limit ? limit - req.body_bytes : 0;
            std::size_t kept_before = req.body.size();
            if (reader.bytes(size, req.body, std::min(size, room)) != ReadStatus::ok) {
                return ReadStatus::truncated;
            }
            if (observer && req.body.size() > kept_before) {
                observer(std::string_view(req.body).substr(kept_before));
            }
            req.body_bytes += size;
            if (reader.line(line, 2) != ReadStatus::ok || !line.empty()) {
                return ReadStatus::truncated;
            }
        }
        req.body_over_limit = req.body_bytes > limit;
        std::size_t trailer_bytes = 0;
        for (;;) {
            if (reader.line(line, m_options.max_header_bytes) != ReadStatus::ok) {
                return ReadStatus::truncated;
            }
            if (line.empty()) break;
            trailer_bytes += line.size();
            if (trailer_bytes > m_options.max_header_bytes ||
                !parse_header_line(line, req.trailers)) {
                res = simple_error(400);
                return ReadStatus::too_large;
            }
        }
        return ReadStatus::ok;
    }

    static bool write_response(int fd, const HttpResponse& res, bool keep_alive) {
        std::string head =
            "HTTP/1.1 " + std::to_string(res.status) + " " + reason_phrase(res.status) + "\r\n";
        for (const auto& [k, v] : res.headers) head += k + ": " + v + "\r\n";
        head += "Content-Length: " + std::to_string(res.body.size()) + "\r\n";
        if (res.close_connection || !keep_alive) head += "Connection: close\r\n";
        head += "\r\n";
        return send_all(fd, head, res.body);
    }

    Fd m_listener;
    std::uint16_t m_port;
    Handler m_handler;
    ServerOptions m_options;
    std::atomic<bool> m_stopping{false};
    std::thread m_accept_thread;
    std::mutex m_mutex;
    std::list<std::unique_ptr<Connection>> m_connections;
};

}  // namespace

util::Result<std::unique_ptr<HttpServer>> HttpServer::listen(const std::string& host,
                                                             std::uint16_t port, Handler handler,
                                                             ServerOptions options) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    std::string ip = host == "localhost" ? "127.0.0.1" : host;
    if (::inet_pton(AF_INET, ip.c_str(), &addr.sin_addr) != 1) {
        return util::make_error("not an IPv4 address: " + host);
    }
    Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return util::make_error("socket: " + util::errno_text(errno));
    int one = 1;
    ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        return util::make_error("bind " + host + ":" + std::to_string(port) + ": " +
                                util::errno_text(errno));
    }
    if (::listen(fd.get(), 128) != 0) return util::make_error("listen: " + util::errno_text(errno));
    socklen_t len = sizeof addr;
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    return std::unique_ptr<HttpServer>(new TcpHttpServer(std::move(fd), ntohs(addr.sin_port),
                                                         std::move(handler), std::move(options)));
}

}  // namespace lambda_emu::runtime_api
