// lambda-emu benchmark workloads: the custom-runtime loop (see runtime_loop.h).
//
// POSIX sockets and the standard library only. The HTTP client follows the one in
// examples/cpp/main.cpp: one keep-alive connection with TCP_NODELAY, each request in one
// send, Content-Length, chunked and read-to-close responses, and a reconnect when the
// server has closed the idle connection.

#include "runtime_loop.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace bench {

namespace {

void write_stderr(std::string_view s) {
    while (!s.empty()) {
        ssize_t n = ::write(2, s.data(), s.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s.remove_prefix(static_cast<size_t>(n));
    }
}

[[noreturn]] void die(std::string_view what) {
    write_stderr("lambda-emu-bench: ");
    write_stderr(what);
    write_stderr("\n");
    std::exit(1);
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

struct HttpResponse {
    int status = 0;
    std::string request_id;  // Lambda-Runtime-Aws-Request-Id
    std::string body;
};

class HttpClient {
  public:
    explicit HttpClient(std::string_view host_port) : m_host_port(host_port) { parse_address(); }
    ~HttpClient() { close_socket(); }
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Sends one request and reads the whole response; false on a transport failure. A
    // request on a reused connection that got nothing back (the server had closed the idle
    // connection) is retried once on a fresh one.
    bool request(std::string_view method, std::string_view path, std::string_view body,
                 HttpResponse& out) {
        m_req.clear();
        m_req.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
        m_req.append(m_host_port).append("\r\nUser-Agent: lambda-emu-bench-cpp\r\n");
        if (method == "POST") {
            m_req.append("Content-Type: application/json\r\nContent-Length: ");
            m_req.append(std::to_string(body.size())).append("\r\n");
        }
        m_req.append("\r\n").append(body);

        for (int attempt = 0; attempt < 2; ++attempt) {
            if (m_fd >= 0 && peer_closed()) close_socket();
            bool reused = m_fd >= 0;
            if (!reused && !connect_socket()) return false;
            bool got_bytes = false;
            send_all(m_req);  // even if it fails part-way, an answer may be readable
            if (read_response(out, got_bytes)) return true;
            close_socket();
            if (!reused || got_bytes) return false;
        }
        return false;
    }

  private:
    void parse_address() {
        std::string_view hp = m_host_port;
        std::string host;
        std::string_view port;
        if (!hp.empty() && hp.front() == '[') {  // [v6]:port
            size_t close = hp.find(']');
            if (close == std::string_view::npos) die("bad AWS_LAMBDA_RUNTIME_API");
            host = std::string(hp.substr(1, close - 1));
            if (close + 1 < hp.size() && hp[close + 1] == ':') port = hp.substr(close + 2);
        } else {
            size_t colon = hp.rfind(':');
            if (colon == std::string_view::npos) die("AWS_LAMBDA_RUNTIME_API must be host:port");
            host = std::string(hp.substr(0, colon));
            port = hp.substr(colon + 1);
        }
        int p = std::atoi(std::string(port).c_str());
        if (p <= 0 || p > 65535) die("bad port in AWS_LAMBDA_RUNTIME_API");
        if (host == "localhost") host = "127.0.0.1";
        auto* v4 = reinterpret_cast<sockaddr_in*>(&m_addr);
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&m_addr);
        if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
            v4->sin_family = AF_INET;
            v4->sin_port = htons(static_cast<uint16_t>(p));
            m_addr_len = sizeof(sockaddr_in);
        } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
            v6->sin6_family = AF_INET6;
            v6->sin6_port = htons(static_cast<uint16_t>(p));
            m_addr_len = sizeof(sockaddr_in6);
        } else {
            // No resolver on purpose (the binary is static): numeric hosts only.
            die("AWS_LAMBDA_RUNTIME_API host must be a numeric address or localhost");
        }
    }

    bool connect_socket() {
        m_fd = ::socket(m_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0) return false;
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        while (::connect(m_fd, reinterpret_cast<sockaddr*>(&m_addr), m_addr_len) != 0) {
            if (errno == EINTR) continue;
            close_socket();
            return false;
        }
        return true;
    }

    void close_socket() {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
        m_rbuf.clear();
        m_rpos = 0;
    }

    // True if an idle keep-alive connection was closed (or has stray bytes).
    bool peer_closed() {
        pollfd p{m_fd, POLLIN, 0};
        return ::poll(&p, 1, 0) != 0;
    }

    void send_all(std::string_view s) {
        while (!s.empty()) {
            ssize_t n = ::send(m_fd, s.data(), s.size(), MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                return;
            }
            s.remove_prefix(static_cast<size_t>(n));
        }
    }

    // Reads more bytes into m_rbuf. False on EOF or error.
    bool fill() {
        if (m_rpos > 0 && m_rpos == m_rbuf.size()) {
            m_rbuf.clear();
            m_rpos = 0;
        }
        size_t old = m_rbuf.size();
        m_rbuf.resize(old + 65536);
        ssize_t n;
        do {
            n = ::recv(m_fd, m_rbuf.data() + old, 65536, 0);
        } while (n < 0 && errno == EINTR);
        m_rbuf.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
        return n > 0;
    }

    bool read_line(std::string& line, bool& got_bytes) {
        for (;;) {
            size_t nl = m_rbuf.find('\n', m_rpos);
            if (nl != std::string::npos) {
                line.assign(m_rbuf, m_rpos, nl - m_rpos);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                m_rpos = nl + 1;
                return true;
            }
            if (!fill()) return false;
            got_bytes = true;
        }
    }

    bool read_exact(size_t n, std::string& dst) {
        size_t have = m_rbuf.size() - m_rpos;
        size_t take = have < n ? have : n;
        dst.append(m_rbuf, m_rpos, take);
        m_rpos += take;
        n -= take;
        if (n == 0) return true;
        size_t old = dst.size();
        dst.resize(old + n);
        size_t off = 0;
        while (off < n) {
            ssize_t r = ::recv(m_fd, dst.data() + old + off, n - off, 0);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return false;
            off += static_cast<size_t>(r);
        }
        return true;
    }

    bool read_response(HttpResponse& out, bool& got_bytes) {
        out.status = 0;
        out.request_id.clear();
        out.body.clear();
        std::string line;
        if (!read_line(line, got_bytes)) return false;
        got_bytes = true;
        if (line.size() < 12 || line.compare(0, 5, "HTTP/") != 0) return false;
        out.status = std::atoi(line.c_str() + 9);
        std::optional<size_t> content_length;
        bool chunked = false, close = line.compare(0, 8, "HTTP/1.0") == 0;
        for (;;) {
            if (!read_line(line, got_bytes)) return false;
            if (line.empty()) break;
            size_t colon = line.find(':');
            if (colon == std::string::npos) continue;
            std::string_view name = trim(std::string_view(line).substr(0, colon));
            std::string_view value = trim(std::string_view(line).substr(colon + 1));
            if (iequals(name, "content-length")) {
                content_length = std::strtoull(std::string(value).c_str(), nullptr, 10);
            } else if (iequals(name, "transfer-encoding")) {
                chunked = value.find("chunked") != std::string_view::npos;
            } else if (iequals(name, "connection")) {
                close = iequals(value, "close");
            } else if (iequals(name, "lambda-runtime-aws-request-id")) {
                out.request_id = value;
            }
        }
        if (chunked) {
            for (;;) {
                if (!read_line(line, got_bytes)) return false;
                size_t n = std::strtoull(line.c_str(), nullptr, 16);
                if (n == 0) {
                    do {  // trailers up to the empty line
                        if (!read_line(line, got_bytes)) return false;
                    } while (!line.empty());
                    break;
                }
                if (!read_exact(n, out.body) || !read_line(line, got_bytes)) return false;
            }
        } else if (content_length) {
            if (!read_exact(*content_length, out.body)) return false;
        } else if (out.status >= 200 && out.status != 204 && out.status != 304) {
            // No length: the body runs to the end of the connection.
            out.body.append(m_rbuf, m_rpos, std::string::npos);
            m_rpos = m_rbuf.size();
            while (fill()) {
                out.body.append(m_rbuf, m_rpos, std::string::npos);
                m_rpos = m_rbuf.size();
            }
            close = true;
        }
        if (close) close_socket();
        return true;
    }

    std::string m_host_port;
    sockaddr_storage m_addr{};
    socklen_t m_addr_len = 0;
    int m_fd = -1;
    std::string m_rbuf;
    size_t m_rpos = 0;
    std::string m_req;
};

constexpr std::string_view k_next_path = "/2018-06-01/runtime/invocation/next";

}  // namespace

void run_loop(Handler handler) {
    ::signal(SIGPIPE, SIG_IGN);
    const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
    if (api == nullptr || *api == '\0') die("AWS_LAMBDA_RUNTIME_API is not set");
    HttpClient http(api);
    HttpResponse next, posted;
    std::string response, path;
    for (;;) {
        if (!http.request("GET", k_next_path, "", next))
            die("GET /runtime/invocation/next failed (connection)");
        if (next.status != 200)
            die("GET /runtime/invocation/next returned " + std::to_string(next.status));
        response.clear();
        handler(next.body, response);
        path.assign("/2018-06-01/runtime/invocation/").append(next.request_id).append("/response");
        if (!http.request("POST", path, response, posted)) {
            write_stderr("lambda-emu-bench: POST " + path + " failed (connection)\n");
            continue;
        }
        if (posted.status == 202) continue;
        write_stderr("lambda-emu-bench: POST " + path + " returned " +
                     std::to_string(posted.status) + ": " + posted.body + "\n");
        if (posted.status >= 500) std::exit(1);
    }
}

}  // namespace bench
