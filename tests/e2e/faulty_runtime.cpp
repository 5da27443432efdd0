// A custom runtime that misbehaves on purpose, for the fault tests (fault_test.cpp). It speaks
// the Runtime API over raw POSIX sockets, so that it can misbehave at the byte level.
//
// FAULT (an environment variable) chooses the misbehaviour. Most faults apply only to events whose
// text contains "fault"; any other event is echoed back as the response, so that the invocation
// after the fault shows whether the emulator is still serving. Faults:
//   close_mid_body     /response with Content-Length 100, 11 bytes sent, then the write side
//                      closed; the Runtime API's answer is logged
//   truncated_chunked  a chunked /response cut off part-way ("malformed" in the event: a chunk
//                      size that is not hex instead, the connection left open)
//   stall_body         /response with Content-Length 100, 11 bytes sent, then nothing
//   no_read_next       never reads an event larger than 1 MB (its head only)
//   many_next          long-polls /next on 100 connections at once, from Init on
//   wrong_ids          answers an unknown, an empty and the previous (stale) request id first
//   error_then_response  /error, then /response for the same id
//   late_init_error    /init/error during an invocation
//   huge_headers       a /response carrying 1 MiB of headers, then a normal one
//   flood_stdout       100 MiB to stdout (102,400 lines of 1 KiB) before answering
//   bad_bytes          invalid UTF-8 and NUL bytes in its stdout and stderr
//   fork_then_exit     forks 3 children that sleep, answers, then exits 0
//   ignore_sigterm     catches SIGTERM (and logs it), and so does a child it forks; never exits
// Every observation is logged to stdout as one line: "<what>: <status> <body>".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "tcp_connect.h"

namespace {

constexpr const char* k_base = "/2018-06-01/runtime";

std::string g_host = "127.0.0.1";
int g_port = 0;

void write_fd(int fd, std::string_view text) {
    while (!text.empty()) {
        ssize_t n = ::write(fd, text.data(), text.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
}

void say(const std::string& line) { write_fd(1, line + "\n"); }

[[noreturn]] void sleep_forever() {
    for (;;) ::pause();
}

int connect_api() { return lambda_emu::testing::connect_tcp(g_host, g_port); }

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

struct Response {
    int status = 0;  // 0: the connection ended before a whole response
    std::string head;
    std::string body;
    std::size_t content_length = 0;

    std::string header(const std::string& name) const {
        std::string lower_head;
        for (char c : head) lower_head.push_back(static_cast<char>(std::tolower(c)));
        std::string key = "\r\n";
        for (char c : name) key.push_back(static_cast<char>(std::tolower(c)));
        key += ":";
        auto at = lower_head.find(key);
        if (at == std::string::npos) return {};
        auto start = at + key.size();
        auto end = head.find("\r\n", start);
        std::string v = head.substr(start, end - start);
        while (!v.empty() && v.front() == ' ') v.erase(0, 1);
        return v;
    }
    std::string line(const std::string& what) const {
        return what + ": " + std::to_string(status) + " " + body;
    }
};

// Reads one response from fd: the head, then (unless head_only) its Content-Length body.
// `pending` keeps bytes read past the response for the next call on the same connection.
Response read_response(int fd, std::string& pending, bool head_only = false) {
    Response r;
    char buf[65536];
    std::size_t end;
    while ((end = pending.find("\r\n\r\n")) == std::string::npos) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return r;
        pending.append(buf, static_cast<std::size_t>(n));
    }
    r.head = pending.substr(0, end + 2);
    pending.erase(0, end + 4);
    std::string cl = r.header("Content-Length");
    r.content_length = cl.empty() ? 0 : std::strtoull(cl.c_str(), nullptr, 10);
    if (r.head.size() > 12) r.status = std::atoi(r.head.c_str() + 9);
    if (head_only) return r;
    while (pending.size() < r.content_length) {
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            r.status = 0;
            return r;
        }
        pending.append(buf, static_cast<std::size_t>(n));
    }
    r.body = pending.substr(0, r.content_length);
    pending.erase(0, r.content_length);
    return r;
}

std::string request_text(const std::string& method, const std::string& path,
                         const std::string& body, const std::string& extra_headers = "") {
    return method + " " + k_base + path + " HTTP/1.1\r\nHost: runtime\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// One request on a connection of its own; the whole response.
Response call(const std::string& method, const std::string& path, const std::string& body,
              const std::string& extra_headers = "") {
    int fd = connect_api();
    if (fd < 0) return {};
    std::string pending;
    Response r;
    if (send_all(fd, request_text(method, path, body, extra_headers))) {
        r = read_response(fd, pending);
    }
    ::close(fd);
    return r;
}

std::string invocation_path(const std::string& id, const char* action) {
    return "/invocation/" + id + "/" + action;
}

struct Event {
    std::string id;
    std::string body;
};

// --- the faults that apply to one event ---

void close_mid_body(const Event& e) {
    int fd = connect_api();
    std::string head = "POST " + std::string(k_base) + invocation_path(e.id, "response") +
                       " HTTP/1.1\r\nHost: runtime\r\nContent-Length: 100\r\n\r\n";
    send_all(fd, head + "{\"partial\":");
    ::shutdown(fd, SHUT_WR);
    std::string pending;
    say(read_response(fd, pending).line("close_mid_body"));
    ::close(fd);
}

void truncated_chunked(const Event& e) {
    int fd = connect_api();
    bool malformed = e.body.find("malformed") != std::string::npos;
    std::string head = "POST " + std::string(k_base) + invocation_path(e.id, "response") +
                       " HTTP/1.1\r\nHost: runtime\r\nTransfer-Encoding: chunked\r\n\r\n";
    send_all(fd, head + "5\r\nhello\r\n");
    if (malformed) {
        send_all(fd, "zz\r\nnot hex\r\n");
    } else {
        send_all(fd, "10\r\nabc");
        ::shutdown(fd, SHUT_WR);
    }
    std::string pending;
    say(read_response(fd, pending).line(malformed ? "malformed_chunked" : "truncated_chunked"));
    ::close(fd);
}

void stall_body(const Event& e) {
    int fd = connect_api();
    std::string head = "POST " + std::string(k_base) + invocation_path(e.id, "response") +
                       " HTTP/1.1\r\nHost: runtime\r\nContent-Length: 100\r\n\r\n";
    send_all(fd, head + "{\"partial\":");
    say("stall_body: stalling");
    sleep_forever();
}

void wrong_ids(const Event& e, const std::string& previous_id) {
    say(call("POST", invocation_path("00000000-0000-4000-8000-000000000000", "response"), "{}")
            .line("unknown"));
    say(call("POST", "/invocation//response", "{}").line("empty"));
    if (!previous_id.empty()) {
        say(call("POST", invocation_path(previous_id, "response"), "{}").line("stale"));
        say(call("POST", invocation_path(previous_id, "error"), "{}").line("stale error"));
    }
    say(call("POST", invocation_path(e.id, "response"), e.body).line("own"));
}

void error_then_response(const Event& e) {
    say(call("POST", invocation_path(e.id, "error"),
             R"({"errorMessage":"first","errorType":"Function.First"})",
             "Lambda-Runtime-Function-Error-Type: Function.First\r\n")
            .line("error"));
    say(call("POST", invocation_path(e.id, "response"), R"({"second":true})").line("response"));
}

void late_init_error(const Event& e) {
    say(call("POST", "/init/error", R"({"errorMessage":"late","errorType":"Runtime.Late"})",
             "Lambda-Runtime-Function-Error-Type: Runtime.Late\r\n")
            .line("init/error"));
    say(call("POST", invocation_path(e.id, "response"), e.body).line("response"));
}

void huge_headers(const Event& e) {
    int fd = connect_api();
    // The answer may come before every header is sent: read it while sending.
    std::string answer;
    std::thread reader([&] {
        std::string pending;
        answer = read_response(fd, pending).line("huge_headers");
    });
    std::string head = "POST " + std::string(k_base) + invocation_path(e.id, "response") +
                       " HTTP/1.1\r\nHost: runtime\r\n";
    send_all(fd, head);
    const std::string value(8192, 'h');
    for (int i = 0; i < 128; ++i) {
        if (!send_all(fd, "X-Fill-" + std::to_string(i) + ": " + value + "\r\n")) break;
    }
    send_all(fd, "Content-Length: 2\r\n\r\n{}");
    reader.join();
    ::close(fd);
    say(answer);
    say(call("POST", invocation_path(e.id, "response"), e.body).line("retry"));
}

void flood_stdout(const Event& e) {
    std::string line(1023, 'x');
    line.push_back('\n');
    std::string block;
    for (int i = 0; i < 64; ++i) block += line;
    for (int i = 0; i < 102400 / 64; ++i) write_fd(1, block);
    call("POST", invocation_path(e.id, "response"), R"({"lines":102400})");
}

void bad_bytes(const Event& e) {
    using namespace std::string_literals;
    write_fd(1, "stdout bad utf-8 \xff\xfe\xc3\x28 nul \0 end\n"s);
    write_fd(2, "stderr bad utf-8 \xed\xa0\x80 nul \0\0 end\n"s);
    write_fd(1, "{\"json\":\"\xff\"}\n"s);
    call("POST", invocation_path(e.id, "response"), e.body);
}

void fork_then_exit(const Event& e) {
    for (int i = 0; i < 3; ++i) {
        if (::fork() == 0) sleep_forever();
    }
    say("fork_then_exit: forked 3");
    say(call("POST", invocation_path(e.id, "response"), e.body).line("fork_then_exit"));
    std::_Exit(0);
}

extern "C" void on_sigterm(int) {
    const char text[] = "caught SIGTERM\n";
    (void)!::write(1, text, sizeof text - 1);
}

// --- the faults of the whole runtime ---

// Long-polls /next on 100 connections; every event arrives on one of them and is echoed.
[[noreturn]] void many_next() {
    const std::string next = request_text("GET", "/invocation/next", "");
    std::vector<int> fds;
    std::vector<std::string> pending(100);
    for (int i = 0; i < 100; ++i) {
        int fd = connect_api();
        if (fd < 0 || !send_all(fd, next)) std::_Exit(1);
        fds.push_back(fd);
    }
    say("many_next: polling on 100 connections");
    for (;;) {
        std::vector<pollfd> pfds;
        for (int fd : fds) pfds.push_back({fd, POLLIN, 0});
        if (::poll(pfds.data(), pfds.size(), -1) < 0) continue;
        for (std::size_t i = 0; i < pfds.size(); ++i) {
            if (!pfds[i].revents) continue;
            Response r = read_response(fds[i], pending[i]);
            if (r.status != 200) std::_Exit(1);
            std::string id = r.header("Lambda-Runtime-Aws-Request-Id");
            say(call("POST", invocation_path(id, "response"), r.body).line("many_next answer"));
            if (!send_all(fds[i], next)) std::_Exit(1);
        }
    }
}

}  // namespace

int main() {
    const char* api = std::getenv("AWS_LAMBDA_RUNTIME_API");
    const char* fault_env = std::getenv("FAULT");
    if (!api) return 2;
    std::string address = api;
    auto colon = address.rfind(':');
    g_host = address.substr(0, colon);
    g_port = std::atoi(address.c_str() + colon + 1);
    const std::string fault = fault_env ? fault_env : "";

    if (fault == "ignore_sigterm") {
        struct sigaction sa {};
        sa.sa_handler = on_sigterm;
        ::sigaction(SIGTERM, &sa, nullptr);
    }
    if (fault == "many_next") many_next();

    int fd = connect_api();
    if (fd < 0) return 1;
    std::string pending;
    std::string previous_id;
    const std::string next = request_text("GET", "/invocation/next", "");
    for (;;) {
        if (!send_all(fd, next)) return 1;
        Response r = read_response(fd, pending, /*head_only=*/true);
        if (r.status != 200) return 1;
        if (fault == "no_read_next" && r.content_length > 1024 * 1024) {
            say("no_read_next: not reading an event of " + std::to_string(r.content_length) +
                " bytes");
            sleep_forever();
        }
        Response whole = r;
        {
            char buf[65536];
            while (pending.size() < r.content_length) {
                ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n < 0 && errno == EINTR) continue;
                if (n <= 0) return 1;
                pending.append(buf, static_cast<std::size_t>(n));
            }
            whole.body = pending.substr(0, r.content_length);
            pending.erase(0, r.content_length);
        }
        Event e{r.header("Lambda-Runtime-Aws-Request-Id"), whole.body};
        bool faulty = e.body.find("fault") != std::string::npos;
        if (!faulty) {
            call("POST", invocation_path(e.id, "response"), e.body);
        } else if (fault == "close_mid_body") {
            close_mid_body(e);
        } else if (fault == "truncated_chunked") {
            truncated_chunked(e);
        } else if (fault == "stall_body") {
            stall_body(e);
        } else if (fault == "wrong_ids") {
            wrong_ids(e, previous_id);
        } else if (fault == "error_then_response") {
            error_then_response(e);
        } else if (fault == "late_init_error") {
            late_init_error(e);
        } else if (fault == "huge_headers") {
            huge_headers(e);
        } else if (fault == "flood_stdout") {
            flood_stdout(e);
        } else if (fault == "bad_bytes") {
            bad_bytes(e);
        } else if (fault == "fork_then_exit") {
            fork_then_exit(e);
        } else if (fault == "ignore_sigterm") {
            if (::fork() == 0) {
                say("ignore_sigterm: child started");
                sleep_forever();
            }
            call("POST", invocation_path(e.id, "response"), e.body);
        } else {
            call("POST", invocation_path(e.id, "response"), e.body);
        }
        previous_id = e.id;
    }
}
