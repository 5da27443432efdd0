// lambda-emu example: a custom-runtime bootstrap in C++20.
//
// Only POSIX sockets and the standard library: a minimal HTTP/1.1 client over
// one keep-alive TCP connection (TCP_NODELAY, every request written with a
// single send) and a small JSON scanner that reads just the top-level keys the
// behaviour contract needs. See README.md for the contract.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

// ---------------------------------------------------------------------------
// Output helpers: raw write(2) so nothing sits in a stdio buffer.

void write_all(int fd, std::string_view s) {
    while (!s.empty()) {
        ssize_t n = ::write(fd, s.data(), s.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        s.remove_prefix(static_cast<size_t>(n));
    }
}

void write_stdout(std::string_view s) { write_all(1, s); }
void write_stderr(std::string_view s) { write_all(2, s); }

[[noreturn]] void die(std::string_view what) {
    write_stderr("lambda-emu-example: ");
    write_stderr(what);
    write_stderr("\n");
    std::exit(1);
}

void sleep_ms(int64_t ms) {
    if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
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

// ---------------------------------------------------------------------------
// Minimal HTTP/1.1 client over one keep-alive connection.

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

    // Sends one request and reads the whole response. Returns false on a
    // transport failure. A request on a reused connection that the server had
    // already closed (nothing at all came back) is retried once on a fresh one.
    bool request(std::string_view method, std::string_view path, std::string_view extra_headers,
                 std::string_view body, HttpResponse& out) {
        std::string req;
        req.reserve(160 + extra_headers.size() + body.size());
        req.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
        req.append(m_host_port).append("\r\nUser-Agent: lambda-emu-example-cpp\r\n");
        if (method == "POST") {
            req.append("Content-Type: application/json\r\nContent-Length: ");
            req.append(std::to_string(body.size())).append("\r\n");
        }
        req.append(extra_headers).append("\r\n").append(body);

        for (int attempt = 0; attempt < 2; ++attempt) {
            if (m_fd >= 0 && peer_closed()) close_socket();
            bool reused = m_fd >= 0;
            if (!reused && !connect_socket()) return false;
            bool got_bytes = false;
            // Even if the send fails part-way (e.g. the server rejected an
            // oversized body and closed), its answer may already be readable.
            send_all(req);
            if (read_response(out, got_bytes)) return true;
            close_socket();
            // Retry only when nothing came back on a reused connection: the idle
            // keep-alive connection was already gone when the request was sent.
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
        std::memset(&m_addr, 0, sizeof(m_addr));
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

    bool send_all(std::string_view s) {
        while (!s.empty()) {
            ssize_t n = ::send(m_fd, s.data(), s.size(), MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            s.remove_prefix(static_cast<size_t>(n));
        }
        return true;
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
        out = HttpResponse{};
        std::string line;
        if (!read_line(line, got_bytes)) return false;
        got_bytes = true;
        // "HTTP/1.1 202 Accepted"
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
};

// ---------------------------------------------------------------------------
// Minimal JSON scanner: walks the top-level object, skipping nested values.

struct Event {
    std::optional<std::string> action;  // only when the top-level value is a string
    int64_t ms = 0, mb = 0, bytes = 0;
    bool no_newline = false;
    bool http = false;  // top-level "httpMethod" or "requestContext" present
};

class Scanner {
  public:
    explicit Scanner(std::string_view s) : m_s(s) {}

    // Returns the fields, or an empty Event if the input is not a JSON object.
    Event scan() {
        Event ev;
        if (!scan_object(ev)) return Event{};
        return ev;
    }

  private:
    void skip_ws() {
        while (m_i < m_s.size() &&
               (m_s[m_i] == ' ' || m_s[m_i] == '\t' || m_s[m_i] == '\n' || m_s[m_i] == '\r'))
            ++m_i;
    }
    bool eat(char c) {
        skip_ws();
        if (m_i < m_s.size() && m_s[m_i] == c) {
            ++m_i;
            return true;
        }
        return false;
    }
    char peek() {
        skip_ws();
        return m_i < m_s.size() ? m_s[m_i] : '\0';
    }

    // Parses a string; decodes escapes into *out when out is non-null.
    bool parse_string(std::string* out) {
        if (!eat('"')) return false;
        while (m_i < m_s.size()) {
            char c = m_s[m_i++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                if (out) out->push_back(c);
                continue;
            }
            if (m_i >= m_s.size()) return false;
            char e = m_s[m_i++];
            char d;
            switch (e) {
                case '"':
                    d = '"';
                    break;
                case '\\':
                    d = '\\';
                    break;
                case '/':
                    d = '/';
                    break;
                case 'b':
                    d = '\b';
                    break;
                case 'f':
                    d = '\f';
                    break;
                case 'n':
                    d = '\n';
                    break;
                case 'r':
                    d = '\r';
                    break;
                case 't':
                    d = '\t';
                    break;
                case 'u': {
                    if (m_i + 4 > m_s.size()) return false;
                    unsigned v = 0;
                    for (int k = 0; k < 4; ++k) {
                        char h = m_s[m_i++];
                        v <<= 4;
                        if (h >= '0' && h <= '9')
                            v |= static_cast<unsigned>(h - '0');
                        else if (h >= 'a' && h <= 'f')
                            v |= static_cast<unsigned>(h - 'a' + 10);
                        else if (h >= 'A' && h <= 'F')
                            v |= static_cast<unsigned>(h - 'A' + 10);
                        else
                            return false;
                    }
                    d = v < 0x80 ? static_cast<char>(v) : '?';  // non-ASCII never matches an action
                    break;
                }
                default:
                    return false;
            }
            if (out) out->push_back(d);
        }
        return false;
    }

    // A number token; *num gets its value when it is a valid number.
    bool parse_number(double* num) {
        skip_ws();
        size_t start = m_i;
        while (m_i < m_s.size() && m_s[m_i] != '\0' &&
               std::strchr("+-0123456789.eE", m_s[m_i]) != nullptr)
            ++m_i;
        if (m_i == start) return false;
        std::string tok(m_s.substr(start, m_i - start));
        char* end = nullptr;
        double v = std::strtod(tok.c_str(), &end);
        if (end != tok.c_str() + tok.size()) return false;
        if (num) *num = v;
        return true;
    }

    bool parse_literal(std::string_view word) {
        skip_ws();
        if (m_s.substr(m_i, word.size()) != word) return false;
        m_i += word.size();
        return true;
    }

    bool skip_value(int depth) {
        if (depth > 512) return false;
        switch (peek()) {
            case '"':
                return parse_string(nullptr);
            case '{': {
                ++m_i;
                if (eat('}')) return true;
                do {
                    if (!parse_string(nullptr) || !eat(':') || !skip_value(depth + 1)) return false;
                } while (eat(','));
                return eat('}');
            }
            case '[': {
                ++m_i;
                if (eat(']')) return true;
                do {
                    if (!skip_value(depth + 1)) return false;
                } while (eat(','));
                return eat(']');
            }
            case 't':
                return parse_literal("true");
            case 'f':
                return parse_literal("false");
            case 'n':
                return parse_literal("null");
            default:
                return parse_number(nullptr);
        }
    }

    static int64_t to_count(double v) {
        if (!std::isfinite(v) || v < 0) return 0;
        if (v > 9.0e15) return static_cast<int64_t>(9.0e15);
        return static_cast<int64_t>(v);  // truncates, like Python's int()
    }

    bool int_field(int64_t& field) {
        char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            double v = 0;
            if (!parse_number(&v)) return false;
            field = to_count(v);
            return true;
        }
        field = 0;
        return skip_value(1);
    }

    bool scan_object(Event& ev) {
        if (!eat('{')) return false;
        if (!eat('}')) {
            do {
                std::string key;
                if (!parse_string(&key) || !eat(':')) return false;
                bool ok;
                if (key == "action") {
                    if (peek() == '"') {
                        std::string a;
                        ok = parse_string(&a);
                        ev.action = std::move(a);
                    } else {
                        ev.action.reset();
                        ok = skip_value(1);
                    }
                } else if (key == "ms") {
                    ok = int_field(ev.ms);
                } else if (key == "mb") {
                    ok = int_field(ev.mb);
                } else if (key == "bytes") {
                    ok = int_field(ev.bytes);
                } else if (key == "no_newline") {
                    ev.no_newline = peek() == 't';
                    ok = skip_value(1);
                } else {
                    if (key == "httpMethod" || key == "requestContext") ev.http = true;
                    ok = skip_value(1);
                }
                if (!ok) return false;
            } while (eat(','));
            if (!eat('}')) return false;
        }
        skip_ws();
        return m_i == m_s.size();
    }

    std::string_view m_s;
    size_t m_i = 0;
};

// ---------------------------------------------------------------------------
// The runtime loop.

constexpr std::string_view k_apigw_response =
    R"({"statusCode":200,"headers":{"content-type":"application/json"},)"
    R"("body":"{\"status\":\"ok\"}","isBase64Encoded":false})";
constexpr std::string_view k_handler_error =
    R"({"errorMessage":"deliberate failure","errorType":"HandlerError","stackTrace":[]})";
constexpr std::string_view k_init_error =
    R"({"errorMessage":"deliberate init failure","errorType":"InitFailure"})";

class Runtime {
  public:
    explicit Runtime(std::string_view api) : m_http(api) {}

    // POSTs to /runtime/...; a 5xx means the environment is broken: exit.
    void post(const std::string& path, std::string_view extra_headers, std::string_view body) {
        HttpResponse r;
        std::string full = std::string(k_prefix) + path;
        if (!m_http.request("POST", full, extra_headers, body, r)) {
            write_stderr("lambda-emu-example: POST " + full + " failed (connection)\n");
            return;
        }
        if (r.status == 202) return;
        write_stderr("lambda-emu-example: POST " + full + " returned " + std::to_string(r.status) +
                     ": " + r.body + "\n");
        if (r.status >= 500) std::exit(1);
    }

    void init_error() {
        HttpResponse r;
        bool ok =
            m_http.request("POST", std::string(k_prefix) + "/init/error",
                           "Lambda-Runtime-Function-Error-Type: InitFailure\r\n", k_init_error, r);
        if (!ok || r.status != 202)
            write_stderr("lambda-emu-example: POST /runtime/init/error failed\n");
        std::exit(1);
    }

    [[noreturn]] void loop() {
        for (;;) {
            HttpResponse next;
            if (!m_http.request("GET", std::string(k_prefix) + "/invocation/next", "", "", next))
                die("GET /runtime/invocation/next failed (connection)");
            if (next.status != 200)
                die("GET /runtime/invocation/next returned " + std::to_string(next.status));
            write_stdout("handling " + next.request_id + "\n");
            handle(next.request_id, next.body);
        }
    }

  private:
    static constexpr std::string_view k_prefix = "/2018-06-01/runtime";

    void respond(const std::string& id, std::string_view body) {
        post("/invocation/" + id + "/response", "", body);
    }

    void handle(const std::string& id, const std::string& event) {
        Event ev = Scanner(event).scan();
        if (!ev.action) {
            respond(id, ev.http ? k_apigw_response : std::string_view(event));
            return;
        }
        const std::string& a = *ev.action;
        if (a == "error") {
            post("/invocation/" + id + "/error",
                 "Lambda-Runtime-Function-Error-Type: HandlerError\r\n", k_handler_error);
        } else if (a == "crash") {
            write_stderr("crashing\n");
            std::exit(1);
        } else if (a == "sleep") {
            sleep_ms(ev.ms);
            respond(id, "{\"slept_ms\":" + std::to_string(ev.ms) + "}");
        } else if (a == "alloc") {
            size_t size = static_cast<size_t>(ev.mb) << 20;
            // Not calloc: a non-zero byte is written to every 4 KiB page, so all of it
            // becomes resident (volatile, so the writes cannot be optimised away).
            auto* block = static_cast<volatile char*>(std::malloc(size > 0 ? size : 1));
            if (block == nullptr) die("alloc: out of memory");
            for (size_t off = 0; off < size; off += 4096) block[off] = 1;
            respond(id, "{\"allocated_mb\":" + std::to_string(ev.mb) + "}");
            std::free(const_cast<char*>(block));
        } else if (a == "log") {
            log_bytes(static_cast<size_t>(ev.bytes), ev.no_newline);
            respond(id, "{\"logged_bytes\":" + std::to_string(ev.bytes) + "}");
        } else if (a == "big") {
            size_t n = static_cast<size_t>(ev.bytes);
            size_t pad = n > 11 ? n - 11 : 0;  // 11 = strlen({"data":""})
            std::string body;
            body.reserve(pad + 11);
            body.append("{\"data\":\"").append(pad, 'x').append("\"}");
            respond(id, body);
        } else if (a == "exit0") {
            respond(id, "{\"ok\":true}");
            std::exit(0);
        } else {  // "echo" and any other action
            respond(id, event);
        }
    }

    // n bytes: the first n-1 bytes of ("x"*99 + "\n") repeated, then "\n"
    // (or "x" when no_newline), i.e. 100-byte lines and a shorter last line.
    static void log_bytes(size_t n, bool no_newline) {
        if (n == 0) return;
        // The pattern repeats every 100 bytes, so a block of whole lines (or the
        // entire n-1 bytes if smaller) can be written again and again.
        size_t left = n - 1;
        size_t block_size = left < 1048500 ? left : 1048500;
        std::string block(block_size, 'x');
        for (size_t i = 99; i < block_size; i += 100) block[i] = '\n';
        while (left > 0) {
            size_t take = left < block_size ? left : block_size;
            write_all(1, std::string_view(block).substr(0, take));
            left -= take;
        }
        write_stdout(no_newline ? "x" : "\n");
    }

    HttpClient m_http;
};

// A non-negative integer environment variable; 0 if unset or malformed.
int64_t env_int(const char* name) {
    const char* v = std::getenv(name);
    if (v == nullptr || *v == '\0') return 0;
    char* end = nullptr;
    long long n = std::strtoll(v, &end, 10);
    return *end == '\0' && n > 0 ? n : 0;
}

}  // namespace

int main() {
    ::signal(SIGPIPE, SIG_IGN);
    write_stdout("init cpp\n");
    sleep_ms(env_int("EXAMPLE_INIT_SLEEP_MS"));
    const char* fail = std::getenv("EXAMPLE_INIT_FAIL");
    if (fail && std::string_view(fail) == "crash") {
        write_stderr("init crash\n");
        return 2;
    }
    const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
    if (api == nullptr || *api == '\0') die("AWS_LAMBDA_RUNTIME_API is not set");
    Runtime rt(api);
    if (fail && std::string_view(fail) == "error") rt.init_error();
    rt.loop();
}
