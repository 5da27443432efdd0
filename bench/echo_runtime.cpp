// The benchmark's runtime: the smallest custom-runtime bootstrap that echoes its event, so that
// what the harness measures is lambda-emu, not a handler. Static, POSIX sockets only, one
// keep-alive connection with TCP_NODELAY, no JSON parsing: the event's bytes go back as the
// response with one writev (no copy of the payload).
//
// ECHO_RUNTIME_LOG_LINES=1 makes it write one line to stdout per invocation (a function that
// logs), for the harness's log-capture comparison. ECHO_RUNTIME_TIMELINE=FILE makes it write, once
// it has sent its second GET /next, the CLOCK_MONOTONIC nanoseconds of its first invocation's
// steps to FILE: "main connected event response" (the harness's cold-start breakdown). Any failure
// (the connection closed, a status it does not expect) ends the process: lambda-emu, or the
// harness's floor, owns its life.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view k_next_path = "/2018-06-01/runtime/invocation/next";
constexpr std::string_view k_request_id_header = "lambda-runtime-aws-request-id";

[[noreturn]] void die(std::string_view what) {
    std::string line = "echo-runtime: " + std::string(what) + "\n";
    (void)!::write(2, line.data(), line.size());
    std::_Exit(1);
}

long long monotonic_ns() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

bool iequals_prefix(std::string_view text, std::string_view lower_name) {
    if (text.size() < lower_name.size()) return false;
    for (std::size_t i = 0; i < lower_name.size(); ++i) {
        char c = text[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != lower_name[i]) return false;
    }
    return true;
}

std::string_view header_value(std::string_view line, std::size_t name_size) {
    std::string_view v = line.substr(name_size);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t' || v.front() == ':'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\r')) v.remove_suffix(1);
    return v;
}

struct Response {
    int status = 0;
    std::string request_id;
    bool close = false;
};

class Connection {
  public:
    explicit Connection(std::string_view host_port) {
        std::size_t colon = host_port.rfind(':');
        if (colon == std::string_view::npos) die("AWS_LAMBDA_RUNTIME_API must be host:port");
        std::string host(host_port.substr(0, colon));
        if (host == "localhost") host = "127.0.0.1";
        m_addr.sin_family = AF_INET;
        m_addr.sin_port = htons(static_cast<uint16_t>(std::atoi(host_port.data() + colon + 1)));
        if (::inet_pton(AF_INET, host.c_str(), &m_addr.sin_addr) != 1)
            die("AWS_LAMBDA_RUNTIME_API must be a numeric IPv4 address and a port");
        m_host = std::string(host_port);
    }

    const std::string& host() const { return m_host; }

    // Sends head and body in one writev; reconnects first when the server closed.
    void send(std::string_view head, std::string_view body) {
        if (m_fd < 0) connect_socket();
        iovec iov[2] = {{const_cast<char*>(head.data()), head.size()},
                        {const_cast<char*>(body.data()), body.size()}};
        int count = body.empty() ? 1 : 2;
        std::size_t left = head.size() + body.size();
        while (left > 0) {
            msghdr msg{};
            msg.msg_iov = iov;
            msg.msg_iovlen = static_cast<std::size_t>(count);
            ssize_t n = ::sendmsg(m_fd, &msg, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) die("send failed");
            left -= static_cast<std::size_t>(n);
            auto done = static_cast<std::size_t>(n);
            for (auto& v : iov) {
                std::size_t take = done < v.iov_len ? done : v.iov_len;
                v.iov_base = static_cast<char*>(v.iov_base) + take;
                v.iov_len -= take;
                done -= take;
            }
        }
    }

    // Reads one response; its body goes to `body` (reused, so no allocation once warm).
    Response receive(std::string& body) {
        Response r;
        std::size_t end;
        while ((end = m_buf.find("\r\n\r\n", m_pos)) == std::string::npos) fill();
        std::string_view head(m_buf.data() + m_pos, end - m_pos);
        if (head.size() < 12 || head.substr(0, 5) != "HTTP/") die("not an HTTP response");
        r.status = std::atoi(head.data() + 9);
        std::size_t length = 0;
        std::size_t at = head.find("\r\n");
        while (at != std::string_view::npos) {
            std::size_t next = head.find("\r\n", at + 2);
            std::string_view line = head.substr(
                at + 2, next == std::string_view::npos ? std::string_view::npos : next - at - 2);
            if (iequals_prefix(line, "content-length")) {
                length = std::strtoull(std::string(header_value(line, 14)).c_str(), nullptr, 10);
            } else if (iequals_prefix(line, k_request_id_header)) {
                r.request_id = header_value(line, k_request_id_header.size());
            } else if (iequals_prefix(line, "connection")) {
                r.close = header_value(line, 10) == "close";
            } else if (iequals_prefix(line, "transfer-encoding")) {
                die("chunked responses are not expected");
            }
            at = next;
        }
        m_pos = end + 4;
        body.clear();
        std::size_t have = std::min(length, m_buf.size() - m_pos);
        body.append(m_buf, m_pos, have);
        m_pos += have;
        if (m_pos == m_buf.size()) {
            m_buf.clear();
            m_pos = 0;
        }
        if (have < length) {
            std::size_t old = body.size();
            body.resize(length);
            while (old < length) {
                ssize_t n = ::recv(m_fd, body.data() + old, length - old, 0);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) die("connection closed in a body");
                old += static_cast<std::size_t>(n);
            }
        }
        if (r.close) close_socket();
        return r;
    }

  private:
    void connect_socket() {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&m_addr), sizeof m_addr) != 0)
            die("cannot connect to the Runtime API");
    }

    void close_socket() {
        ::close(m_fd);
        m_fd = -1;
        m_buf.clear();
        m_pos = 0;
    }

    void fill() {
        if (m_pos > 0) {
            m_buf.erase(0, m_pos);
            m_pos = 0;
        }
        char chunk[16 * 1024];
        for (;;) {
            ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n > 0) {
                m_buf.append(chunk, static_cast<std::size_t>(n));
                return;
            }
            if (n < 0 && errno == EINTR) continue;
            die("the Runtime API closed the connection");
        }
    }

    sockaddr_in m_addr{};
    std::string m_host;
    int m_fd = -1;
    std::string m_buf;
    std::size_t m_pos = 0;
};

}  // namespace

int main() {
    const long long main_ns = monotonic_ns();
    ::signal(SIGPIPE, SIG_IGN);
    const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
    if (api == nullptr || *api == '\0') die("AWS_LAMBDA_RUNTIME_API is not set");
    const char* log_env = std::getenv("ECHO_RUNTIME_LOG_LINES");
    const bool log_lines = log_env != nullptr && std::string_view(log_env) == "1";

    const char* timeline_file = std::getenv("ECHO_RUNTIME_TIMELINE");
    long long step_ns[4] = {main_ns, 0, 0, 0};  // main, connected, event, response
    int invocations = 0;

    Connection conn(api);
    const std::string next_request =
        "GET " + std::string(k_next_path) + " HTTP/1.1\r\nHost: " + conn.host() + "\r\n\r\n";
    std::string event;
    std::string ignored;
    std::string head;
    for (;;) {
        conn.send(next_request, {});
        if (invocations == 0) step_ns[1] = monotonic_ns();
        if (invocations == 1 && timeline_file != nullptr) {
            std::string line = std::to_string(step_ns[0]) + " " + std::to_string(step_ns[1]) + " " +
                               std::to_string(step_ns[2]) + " " + std::to_string(step_ns[3]) + "\n";
            int fd = ::open(timeline_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            if (fd >= 0) {
                (void)!::write(fd, line.data(), line.size());
                ::close(fd);
            }
        }
        Response next = conn.receive(event);
        if (invocations == 0) step_ns[2] = monotonic_ns();
        if (next.status != 200) die("/next answered " + std::to_string(next.status));
        if (log_lines) {
            std::string line = "echo " + next.request_id + "\n";
            (void)!::write(1, line.data(), line.size());
        }
        head = "POST /2018-06-01/runtime/invocation/" + next.request_id +
               "/response HTTP/1.1\r\nHost: " + conn.host() +
               "\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(event.size()) + "\r\n\r\n";
        conn.send(head, event);
        if (invocations == 0) step_ns[3] = monotonic_ns();
        ++invocations;
        Response posted = conn.receive(ignored);
        if (posted.status != 202) die("/response answered " + std::to_string(posted.status));
    }
}
