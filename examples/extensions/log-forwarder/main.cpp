// lambda-emu example: log-forwarder, a Lambda external extension in C++20.
//
// Written to the service's own interfaces, so the same binary runs as
// /opt/extensions/log-forwarder in AWS Lambda and as <function>/extensions/log-forwarder
// in lambda-emu:
//   - Extensions API 2020-01-01: register for INVOKE and SHUTDOWN, loop on event/next,
//     report failures on /extension/init/error or /extension/exit/error.
//   - Telemetry API 2022-07-01: subscribe to the "platform" and "function" streams
//     (never "extension": this process's own output must not come back to it) with an
//     HTTP destination (default) or a TCP one (LOG_FORWARDER_PROTOCOL=TCP), served by a
//     listener on 127.0.0.1 and an ephemeral port, named as sandbox.localdomain.
// Every record received is appended as one NDJSON line to $LOG_FORWARDER_FILE when set;
// otherwise one summary line per batch goes to stdout.
//
// Only POSIX sockets and the standard library (no resolver: the binary is static).
// See ../README.md.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

// The name registered must be the executable's file name: argv[0]'s, set in main().
std::string g_name = "log-forwarder";
constexpr size_t k_max_body = 16u << 20;  // far above any maxBytes the Telemetry API allows

// ---------------------------------------------------------------------------
// Output helpers: raw write(2) so nothing sits in a stdio buffer at _exit.

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

void log_line(std::string_view s) { write_all(1, "[" + g_name + "] " + std::string(s) + "\n"); }
void err_line(std::string_view s) { write_all(2, g_name + ": " + std::string(s) + "\n"); }

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

// A JSON string literal for s (quotes included), escaping what JSON requires.
std::string json_quote(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (u < 0x20) {
            static constexpr char k_hex[] = "0123456789abcdef";
            out.append("\\u00").push_back(k_hex[u >> 4]);
            out.push_back(k_hex[u & 15]);
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
    return out;
}

// ---------------------------------------------------------------------------
// Minimal JSON: validating skipper, top-level member lookup, array split, compaction.

class Json {
  public:
    static void skip_ws(std::string_view s, size_t& i) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
    }

    // A string at s[i] (the opening quote); decodes simple escapes into *out if given
    // (\uXXXX outside ASCII becomes '?': only ASCII values are ever compared).
    static bool string(std::string_view s, size_t& i, std::string* out) {
        if (i >= s.size() || s[i] != '"') return false;
        ++i;
        while (i < s.size()) {
            char c = s[i++];
            if (c == '"') return true;
            if (static_cast<unsigned char>(c) < 0x20) return false;
            if (c != '\\') {
                if (out) out->push_back(c);
                continue;
            }
            if (i >= s.size()) return false;
            char e = s[i++];
            char d = e;
            if (e == 'u') {
                if (i + 4 > s.size()) return false;
                unsigned v = 0;
                for (int k = 0; k < 4; ++k) {
                    char h = s[i++];
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
                d = v < 0x80 ? static_cast<char>(v) : '?';
            } else if (e == 'n') {
                d = '\n';
            } else if (e == 't') {
                d = '\t';
            } else if (e == 'r') {
                d = '\r';
            } else if (e == 'b') {
                d = '\b';
            } else if (e == 'f') {
                d = '\f';
            } else if (e != '"' && e != '\\' && e != '/') {
                return false;
            }
            if (out) out->push_back(d);
        }
        return false;
    }

    // Skips one value starting at s[i] (after whitespace).
    static bool value(std::string_view s, size_t& i, int depth = 0) {
        if (depth > 256) return false;
        skip_ws(s, i);
        if (i >= s.size()) return false;
        char c = s[i];
        if (c == '"') return string(s, i, nullptr);
        if (c == '{' || c == '[') {
            char close = c == '{' ? '}' : ']';
            ++i;
            skip_ws(s, i);
            if (i < s.size() && s[i] == close) {
                ++i;
                return true;
            }
            for (;;) {
                if (c == '{') {
                    skip_ws(s, i);
                    if (!string(s, i, nullptr)) return false;
                    skip_ws(s, i);
                    if (i >= s.size() || s[i++] != ':') return false;
                }
                if (!value(s, i, depth + 1)) return false;
                skip_ws(s, i);
                if (i >= s.size()) return false;
                if (s[i] == ',') {
                    ++i;
                    continue;
                }
                if (s[i++] != close) return false;
                return true;
            }
        }
        for (std::string_view lit : {"true", "false", "null"}) {
            if (s.substr(i, lit.size()) == lit) {
                i += lit.size();
                return true;
            }
        }
        size_t start = i;
        while (i < s.size() && std::strchr("+-0123456789.eE", s[i]) != nullptr && s[i] != '\0') ++i;
        return i > start;
    }

    // The raw text of member `key` of the object `obj` (top level only).
    static std::optional<std::string_view> member(std::string_view obj, std::string_view key) {
        size_t i = 0;
        skip_ws(obj, i);
        if (i >= obj.size() || obj[i++] != '{') return std::nullopt;
        skip_ws(obj, i);
        if (i < obj.size() && obj[i] == '}') return std::nullopt;
        for (;;) {
            std::string k;
            skip_ws(obj, i);
            if (!string(obj, i, &k)) return std::nullopt;
            skip_ws(obj, i);
            if (i >= obj.size() || obj[i++] != ':') return std::nullopt;
            skip_ws(obj, i);
            size_t start = i;
            if (!value(obj, i)) return std::nullopt;
            if (k == key) return obj.substr(start, i - start);
            skip_ws(obj, i);
            if (i >= obj.size() || obj[i] != ',') return std::nullopt;
            ++i;
        }
    }

    static std::optional<std::string> string_member(std::string_view obj, std::string_view key) {
        auto raw = member(obj, key);
        if (!raw || raw->empty() || raw->front() != '"') return std::nullopt;
        std::string out;
        size_t i = 0;
        if (!string(*raw, i, &out)) return std::nullopt;
        return out;
    }

    // The elements of a JSON array, as raw text; false if `arr` is not exactly one array.
    static bool elements(std::string_view arr, std::vector<std::string_view>& out) {
        size_t i = 0;
        skip_ws(arr, i);
        if (i >= arr.size() || arr[i++] != '[') return false;
        skip_ws(arr, i);
        if (i < arr.size() && arr[i] == ']') {
            ++i;
        } else {
            for (;;) {
                skip_ws(arr, i);
                size_t start = i;
                if (!value(arr, i)) return false;
                out.push_back(arr.substr(start, i - start));
                skip_ws(arr, i);
                if (i >= arr.size()) return false;
                if (arr[i] == ',') {
                    ++i;
                    continue;
                }
                if (arr[i++] != ']') return false;
                break;
            }
        }
        skip_ws(arr, i);
        return i == arr.size();
    }

    // `v` (valid JSON) without whitespace outside strings: always a single line.
    static std::string compact(std::string_view v) {
        std::string out;
        out.reserve(v.size());
        bool in_string = false;
        for (size_t i = 0; i < v.size(); ++i) {
            char c = v[i];
            if (in_string) {
                out.push_back(c);
                if (c == '\\' && i + 1 < v.size()) {
                    out.push_back(v[++i]);
                } else if (c == '"') {
                    in_string = false;
                }
            } else if (c == '"') {
                in_string = true;
                out.push_back(c);
            } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                out.push_back(c);
            }
        }
        return out;
    }
};

// ---------------------------------------------------------------------------
// HTTP/1.1 messages over a socket, for both the API client and the listener.

struct HttpMessage {
    std::string first_line;  // "HTTP/1.1 200 OK" or "POST /telemetry HTTP/1.1"
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::string_view header(std::string_view name) const {
        for (const auto& [k, v] : headers)
            if (iequals(k, name)) return v;
        return {};
    }
    bool wants_close() const {
        return first_line.find("HTTP/1.0") != std::string::npos ||
               iequals(header("connection"), "close");
    }
};

class Connection {
  public:
    explicit Connection(int fd = -1) : m_fd(fd) {}
    ~Connection() { close(); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    int fd() const { return m_fd; }
    bool open() const { return m_fd >= 0; }
    void reset(int fd) {
        close();
        m_fd = fd;
    }
    void close() {
        if (m_fd >= 0) ::close(m_fd);
        m_fd = -1;
        m_buf.clear();
        m_pos = 0;
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

    // Appends whatever bytes are available (blocking for at least one); false on EOF/error.
    bool fill() {
        if (m_pos > 0 && m_pos == m_buf.size()) {
            m_buf.clear();
            m_pos = 0;
        }
        size_t old = m_buf.size();
        m_buf.resize(old + 65536);
        ssize_t n;
        do {
            n = ::recv(m_fd, m_buf.data() + old, 65536, 0);
        } while (n < 0 && errno == EINTR);
        m_buf.resize(old + (n > 0 ? static_cast<size_t>(n) : 0));
        return n > 0;
    }

    // One line without its CRLF; false on EOF, error or an absurdly long line.
    bool read_line(std::string& line) {
        for (;;) {
            size_t nl = m_buf.find('\n', m_pos);
            if (nl != std::string::npos) {
                line.assign(m_buf, m_pos, nl - m_pos);
                if (!line.empty() && line.back() == '\r') line.pop_back();
                m_pos = nl + 1;
                return true;
            }
            if (m_buf.size() - m_pos > 65536) return false;  // absurd line
            if (!fill()) return false;
        }
    }

    bool read_exact(size_t n, std::string& dst) {
        while (m_buf.size() - m_pos < n) {
            if (!fill()) return false;
        }
        dst.append(m_buf, m_pos, n);
        m_pos += n;
        return true;
    }

    // The unread bytes, consumed (for bodies that run to the end of the connection).
    std::string take_buffered() {
        std::string s = m_buf.substr(m_pos);
        m_buf.clear();
        m_pos = 0;
        return s;
    }

    // Reads the first line and the headers. False on EOF or a malformed head.
    bool read_head(HttpMessage& m) {
        m = HttpMessage{};
        do {  // tolerate stray empty lines between keep-alive messages
            if (!read_line(m.first_line)) return false;
        } while (m.first_line.empty());
        std::string line;
        for (;;) {
            if (!read_line(line)) return false;
            if (line.empty()) return true;
            size_t colon = line.find(':');
            if (colon == std::string::npos) return false;
            m.headers.emplace_back(trim(std::string_view(line).substr(0, colon)),
                                   trim(std::string_view(line).substr(colon + 1)));
            if (m.headers.size() > 200) return false;
        }
    }

    // Reads the body the head announces. Returns 0 (ok), 400 (malformed) or 413 (too big);
    // `to_eof`: a response without length runs to the end of the connection.
    int read_body(HttpMessage& m, bool to_eof) {
        std::string_view te = m.header("transfer-encoding");
        std::string_view cl = m.header("content-length");
        if (!te.empty() && te.find("chunked") != std::string_view::npos) {
            std::string line;
            for (;;) {
                if (!read_line(line)) return 400;
                char* end = nullptr;
                unsigned long long n = std::strtoull(line.c_str(), &end, 16);
                if (end == line.c_str()) return 400;
                if (n == 0) {
                    do {  // trailers up to the empty line
                        if (!read_line(line)) return 400;
                    } while (!line.empty());
                    return 0;
                }
                if (n > k_max_body || m.body.size() + n > k_max_body) return 413;
                if (!read_exact(static_cast<size_t>(n), m.body) || !read_line(line)) return 400;
            }
        }
        if (!cl.empty()) {
            std::string digits(cl);
            char* end = nullptr;
            unsigned long long n = std::strtoull(digits.c_str(), &end, 10);
            if (*end != '\0' || digits.empty() || digits[0] == '-') return 400;
            if (n > k_max_body) return 413;
            return read_exact(static_cast<size_t>(n), m.body) ? 0 : 400;
        }
        if (to_eof) {
            m.body = take_buffered();
            while (fill()) m.body += take_buffered();
            close();
        }
        return 0;
    }

  private:
    int m_fd;
    std::string m_buf;
    size_t m_pos = 0;
};

// ---------------------------------------------------------------------------
// The Extensions and Telemetry API client: one keep-alive connection.

struct ApiResponse {
    int status = 0;  // 0: transport failure
    HttpMessage message;
};

class ApiClient {
  public:
    explicit ApiClient(std::string host_port) : m_host_port(std::move(host_port)) {
        std::string_view hp = m_host_port;
        size_t colon = hp.rfind(':');
        if (colon == std::string_view::npos) fatal("AWS_LAMBDA_RUNTIME_API must be host:port");
        std::string host(hp.substr(0, colon));
        if (host == "localhost") host = "127.0.0.1";
        int port = std::atoi(std::string(hp.substr(colon + 1)).c_str());
        if (port <= 0 || port > 65535) fatal("bad port in AWS_LAMBDA_RUNTIME_API");
        m_addr.sin_family = AF_INET;
        m_addr.sin_port = htons(static_cast<uint16_t>(port));
        if (inet_pton(AF_INET, host.c_str(), &m_addr.sin_addr) != 1)
            fatal("AWS_LAMBDA_RUNTIME_API host must be a numeric IPv4 address or localhost");
    }

    // One request; the extension identifier header is added once known. A request on a
    // reused connection that turned out closed (nothing came back) is retried once.
    ApiResponse request(std::string_view method, std::string_view path, std::string_view body,
                        std::string_view extra_headers = {}) {
        std::string req;
        req.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
        req.append(m_host_port).append("\r\nUser-Agent: lambda-emu-log-forwarder\r\n");
        if (!identifier.empty())
            req.append("Lambda-Extension-Identifier: ").append(identifier).append("\r\n");
        if (method != "GET") {
            req.append("Content-Type: application/json\r\nContent-Length: ")
                .append(std::to_string(body.size()))
                .append("\r\n");
        }
        req.append(extra_headers).append("\r\n").append(body);

        for (int attempt = 0; attempt < 2; ++attempt) {
            if (m_conn.open() && idle_closed()) m_conn.close();
            bool reused = m_conn.open();
            if (!reused && !connect()) return {};
            ApiResponse r;
            m_conn.send_all(req);  // even if this fails, an answer may be readable
            if (m_conn.read_head(r.message)) {
                const std::string& fl = r.message.first_line;
                if (fl.compare(0, 5, "HTTP/") == 0 && fl.size() >= 12) {
                    r.status = std::atoi(fl.c_str() + 9);
                    bool no_body = r.status == 204 || r.status == 304 || r.status < 200;
                    if (no_body || m_conn.read_body(r.message, true) == 0) {
                        if (r.message.wants_close()) m_conn.close();
                        return r;
                    }
                }
                m_conn.close();
                return {};
            }
            m_conn.close();
            if (!reused) return {};
        }
        return {};
    }

    std::string identifier;  // Lambda-Extension-Identifier, from /register

  private:
    [[noreturn]] static void fatal(std::string_view what) {
        err_line(what);
        std::exit(1);
    }

    bool connect() {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return false;
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        while (::connect(fd, reinterpret_cast<const sockaddr*>(&m_addr), sizeof(m_addr)) != 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            return false;
        }
        m_conn.reset(fd);
        return true;
    }

    // An idle keep-alive connection that became readable was closed by the server.
    bool idle_closed() {
        pollfd p{m_conn.fd(), POLLIN, 0};
        return ::poll(&p, 1, 0) != 0;
    }

    std::string m_host_port;
    sockaddr_in m_addr{};
    Connection m_conn;
};

// ---------------------------------------------------------------------------
// Where records go, and which invocations have been reported.

class Sink {
  public:
    explicit Sink(int fd) : m_fd(fd) {}

    // Delivers one batch of records (each a JSON object's text); returns the request ids
    // of its platform.report records, for acknowledge().
    std::vector<std::string> deliver(const std::vector<std::string_view>& records) {
        std::vector<std::string> report_ids;
        if (records.empty()) return report_ids;
        std::string out;
        if (m_fd < 0) {
            out = "[" + g_name + "] received " + std::to_string(records.size()) +
                  (records.size() == 1 ? " record:" : " records:");
        }
        size_t listed = 0;
        for (std::string_view rec : records) {
            std::string type = Json::string_member(rec, "type").value_or("?");
            if (type == "platform.report") {
                if (auto r = Json::member(rec, "record")) {
                    if (auto id = Json::string_member(*r, "requestId")) report_ids.push_back(*id);
                }
            }
            if (m_fd >= 0) {
                out += Json::compact(rec);
                out += '\n';
            } else if (listed++ < 16) {
                out += ' ';
                out += type;
            }
        }
        if (m_fd < 0) {
            if (listed > 16) out += " ...";
            out += '\n';
        }
        std::lock_guard lock(m_mutex);
        write_all(m_fd >= 0 ? m_fd : 1, out);  // O_APPEND: one write per batch
        m_received += records.size();
        return report_ids;
    }

    // Called once the batch's sender has its answer (so that an exit right after cannot
    // leave a delivery unanswered): the reports count, and the shutdown wait wakes.
    void acknowledge(std::vector<std::string> report_ids) {
        if (report_ids.empty()) return;
        {
            std::lock_guard lock(m_mutex);
            for (auto& id : report_ids) {
                m_reported.push_back(std::move(id));
                if (m_reported.size() > 64) m_reported.pop_front();
            }
        }
        m_cv.notify_all();
    }

    // Waits until a platform.report for `request_id` arrived, or `until`.
    bool wait_for_report(const std::string& request_id,
                         std::chrono::steady_clock::time_point until) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_until(lock, until, [&] {
            for (const auto& id : m_reported)
                if (id == request_id) return true;
            return false;
        });
    }

    size_t received() {
        std::lock_guard lock(m_mutex);
        return m_received;
    }

  private:
    int m_fd;  // -1: summaries to stdout
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::string> m_reported;
    size_t m_received = 0;
};

// ---------------------------------------------------------------------------
// The telemetry listener: HTTP (a JSON array per POST) or TCP (NDJSON).

std::string status_line(int status) {
    const char* reason = status == 200   ? "OK"
                         : status == 404 ? "Not Found"
                         : status == 405 ? "Method Not Allowed"
                         : status == 413 ? "Content Too Large"
                                         : "Bad Request";
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
}

void serve_http(int fd, Sink& sink) {
    Connection conn(fd);
    HttpMessage req;
    while (conn.read_head(req)) {
        if (iequals(req.header("expect"), "100-continue"))
            conn.send_all("HTTP/1.1 100 Continue\r\n\r\n");
        int status = conn.read_body(req, false);
        if (status != 0) {  // the connection's framing is lost: answer and close
            conn.send_all(status_line(status) + "Content-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        std::string_view fl = req.first_line;
        std::vector<std::string_view> records;
        std::vector<std::string> report_ids;
        if (fl.substr(0, 5) != "POST ") {
            status = 405;
        } else if (fl.substr(5, fl.find(' ', 5) - 5) != "/telemetry") {
            status = 404;
        } else if (!Json::elements(req.body, records)) {
            err_line("a telemetry POST whose body is not a JSON array was refused");
            status = 400;
        } else {
            report_ids = sink.deliver(records);
            status = 200;
        }
        bool close = req.wants_close();
        bool sent = conn.send_all(status_line(status) + "Content-Length: 0\r\n" +
                                  (close ? "Connection: close\r\n" : "") + "\r\n");
        sink.acknowledge(std::move(report_ids));
        if (close || !sent) return;
    }
}

void serve_tcp(int fd, Sink& sink) {
    Connection conn(fd);
    std::string pending;
    while (conn.fill()) {
        pending += conn.take_buffered();
        size_t end = pending.rfind('\n');
        if (end == std::string::npos) {
            if (pending.size() > k_max_body) return;
            continue;
        }
        std::vector<std::string_view> records;
        std::string_view lines(pending.data(), end + 1);
        while (!lines.empty()) {
            size_t nl = lines.find('\n');
            std::string_view rec = trim(lines.substr(0, nl));
            lines.remove_prefix(nl + 1);
            size_t i = 0;
            if (rec.empty()) continue;
            if (Json::value(rec, i) && i == rec.size())
                records.push_back(rec);
            else
                err_line("a TCP telemetry line that is not JSON was dropped");
        }
        sink.acknowledge(sink.deliver(records));
        pending.erase(0, end + 1);
    }
}

void accept_loop(int listener, bool tcp, Sink& sink) {
    for (;;) {
        int fd = ::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            err_line(std::string("accept: ") + std::strerror(errno));
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            continue;
        }
        std::thread([fd, tcp, &sink] {
            if (tcp)
                serve_tcp(fd, sink);
            else
                serve_http(fd, sink);
        }).detach();
    }
}

// ---------------------------------------------------------------------------
// The extension.

class Extension {
  public:
    explicit Extension(std::string api) : m_api(std::move(api)) {}

    int run() {
        // 1. Register. Without an identifier, /init/error cannot be called: exiting
        //    non-zero is the report (the service records Extension.InitError/Crash).
        ApiResponse reg = m_api.request("POST", "/2020-01-01/extension/register",
                                        R"({"events":["INVOKE","SHUTDOWN"]})",
                                        "Lambda-Extension-Name: " + g_name + "\r\n");
        m_api.identifier = reg.message.header("lambda-extension-identifier");
        if (reg.status != 200 || m_api.identifier.empty()) {
            err_line("POST /2020-01-01/extension/register returned " + status_text(reg));
            return 1;
        }
        std::string function = Json::string_member(reg.message.body, "functionName").value_or("?");
        log_line("registered for function " + function);

        // 2. Output.
        int out_fd = -1;
        if (const char* file = std::getenv("LOG_FORWARDER_FILE"); file && *file) {
            out_fd = ::open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
            if (out_fd < 0)
                fail("init", "Extension.OutputFileError",
                     std::string("LOG_FORWARDER_FILE ") + file + ": " + std::strerror(errno));
            log_line(std::string("forwarding records to ") + file);
        }
        Sink sink(out_fd);

        // 3. The listener, bound before subscribing so that no delivery is refused.
        const char* proto = std::getenv("LOG_FORWARDER_PROTOCOL");
        bool tcp = proto && iequals(proto, "TCP");
        int port = 0;
        int listener = listen_socket(port);
        if (listener < 0)
            fail("init", "Extension.ListenerFailed",
                 std::string("cannot listen on 127.0.0.1: ") + std::strerror(errno));
        std::thread(accept_loop, listener, tcp, std::ref(sink)).detach();

        // 4. Subscribe: platform and function records only (not "extension": this
        //    process's own output would come back to it).
        std::string destination = tcp ? R"({"protocol":"TCP","port":)" + std::to_string(port) + "}"
                                      : R"({"protocol":"HTTP","URI":"http://sandbox.localdomain:)" +
                                            std::to_string(port) + R"(/telemetry"})";
        std::string subscription =
            R"({"schemaVersion":"2022-07-01","types":["platform","function"],)"
            R"("buffering":{"maxItems":1000,"maxBytes":262144,"timeoutMs":25},)"
            R"("destination":)" +
            destination + "}";
        ApiResponse sub = m_api.request("PUT", "/2022-07-01/telemetry", subscription);
        if (sub.status < 200 || sub.status > 299)
            fail("init", "Extension.SubscribeFailed",
                 "PUT /2022-07-01/telemetry returned " + status_text(sub));
        log_line(std::string("subscribed (") + (tcp ? "TCP" : "HTTP") + ", port " +
                 std::to_string(port) + ")");

        // 5. The event loop. The first event/next ends this extension's init.
        std::string last_request_id;
        for (bool first = true;; first = false) {
            ApiResponse ev = m_api.request("GET", "/2020-01-01/extension/event/next", "");
            if (ev.status != 200)
                fail(first ? "init" : "exit", "Extension.NextEventFailed",
                     "GET /2020-01-01/extension/event/next returned " + status_text(ev));
            std::string type = Json::string_member(ev.message.body, "eventType").value_or("");
            if (type == "INVOKE") {
                last_request_id = Json::string_member(ev.message.body, "requestId").value_or("");
                continue;
            }
            if (type != "SHUTDOWN")
                fail("exit", "Extension.UnknownEvent", "unexpected event: " + ev.message.body);
            std::string reason =
                Json::string_member(ev.message.body, "shutdownReason").value_or("?");
            flush(sink, last_request_id, ev.message.body);
            log_line("shutdown (" + reason + "), " + std::to_string(sink.received()) +
                     " records in all");
            // Threads blocked in accept/recv are simply abandoned: nothing is buffered.
            ::_exit(0);
        }
    }

  private:
    static std::string status_text(const ApiResponse& r) {
        if (r.status == 0) return "no answer (connection failed)";
        return std::to_string(r.status) + (r.message.body.empty() ? "" : ": " + r.message.body);
    }

    // Reports the failure on /extension/{init,exit}/error, then exits non-zero.
    [[noreturn]] void fail(std::string_view phase, std::string_view type,
                           std::string_view message) {
        err_line(message);
        std::string body = R"({"errorMessage":)" + json_quote(message) + R"(,"errorType":)" +
                           json_quote(type) + R"(,"stackTrace":[]})";
        ApiResponse r =
            m_api.request("POST", "/2020-01-01/extension/" + std::string(phase) + "/error", body,
                          "Lambda-Extension-Function-Error-Type: " + std::string(type) + "\r\n");
        if (r.status != 202)
            err_line("POST /2020-01-01/extension/" + std::string(phase) + "/error returned " +
                     status_text(r));
        ::_exit(1);
    }

    // On SHUTDOWN: the last invocation's records (its platform.report above all) are
    // delivered after its end, so wait for them: until its platform.report arrives, at
    // most ~1 s and never past the event's deadline (less a margin to exit). With no
    // invocation at all, a short grace for the init records in flight.
    static void flush(Sink& sink, const std::string& last_request_id, const std::string& event) {
        using namespace std::chrono;
        auto now = steady_clock::now();
        auto until = now + (last_request_id.empty() ? milliseconds(100) : milliseconds(1000));
        if (auto raw = Json::member(event, "deadlineMs")) {
            long long deadline_ms = std::atoll(std::string(*raw).c_str());
            long long now_ms =
                duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
            if (deadline_ms > 0) {
                auto cap = now + milliseconds(deadline_ms - now_ms - 200);
                if (cap < until) until = cap;
            }
        }
        if (last_request_id.empty()) {
            std::this_thread::sleep_until(until);
            return;
        }
        if (!sink.wait_for_report(last_request_id, until))
            err_line("no platform.report for " + last_request_id + " before shutdown");
    }

    // A listening socket on 127.0.0.1 and an ephemeral port (many environments share
    // this machine under lambda-emu); `port` gets the port. -1 on failure.
    static int listen_socket(int& port) {
        int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) return -1;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = 0;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof(addr);
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
            ::listen(fd, 64) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            int e = errno;
            ::close(fd);
            errno = e;
            return -1;
        }
        port = ntohs(addr.sin_port);
        return fd;
    }

    ApiClient m_api;
};

}  // namespace

int main(int argc, char** argv) {
    ::signal(SIGPIPE, SIG_IGN);
    if (argc > 0 && argv[0] != nullptr && *argv[0] != '\0') {
        std::string_view self = argv[0];
        if (size_t slash = self.rfind('/'); slash != std::string_view::npos)
            self.remove_prefix(slash + 1);
        if (!self.empty()) g_name = self;
    }
    const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
    if (api == nullptr || *api == '\0') {
        err_line("AWS_LAMBDA_RUNTIME_API is not set");
        return 1;
    }
    Extension ext(api);
    return ext.run();
}
