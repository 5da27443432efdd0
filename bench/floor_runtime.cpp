#include "floor_runtime.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string_view>
#include <vector>

#include "child_process.h"
#include "raw_http.h"
#include "stats.h"
#include "util/fd.h"

namespace lambda_emu::harness {

namespace {

constexpr int k_wait_ms = 10000;

bool wait_readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    for (;;) {
        int r = ::poll(&p, 1, k_wait_ms);
        if (r < 0 && errno == EINTR) continue;
        return r > 0;
    }
}

// Reads one HTTP request (head and Content-Length body) into `buf`; false on a failure.
bool read_request(int fd, std::string& buf) {
    buf.clear();
    std::size_t head_end = std::string::npos;
    std::size_t need = 0;
    char chunk[64 * 1024];
    for (;;) {
        if (head_end == std::string::npos) {
            head_end = buf.find("\r\n\r\n");
            if (head_end != std::string::npos) {
                std::size_t length = 0;
                std::string head = buf.substr(0, head_end);
                for (auto& c : head)
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                if (auto at = head.find("content-length:"); at != std::string::npos)
                    length = std::strtoull(head.c_str() + at + 15, nullptr, 10);
                need = head_end + 4 + length;
            }
        }
        if (head_end != std::string::npos && buf.size() >= need) return true;
        if (!wait_readable(fd)) return false;
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
}

bool send_all(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

bool timeline_written(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    return std::getline(in, line) && !line.empty();
}

FloorColdSample floor_cold_invocation(const std::string& bootstrap, const std::string& event,
                                      const std::string& timeline_file) {
    FloorColdSample s;
    int port = 0;
    util::Fd listener = listen_on_loopback(16, port);
    if (!listener.valid()) {
        s.error = "cannot listen";
        return s;
    }
    SpawnSpec spec;
    spec.argv = {bootstrap};
    spec.env = std::vector<std::string>{"AWS_LAMBDA_RUNTIME_API=127.0.0.1:" + std::to_string(port)};
    if (!timeline_file.empty()) spec.env->push_back("ECHO_RUNTIME_TIMELINE=" + timeline_file);
    const std::string response_head =
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        "Lambda-Runtime-Aws-Request-Id: 8476a536-e9f4-11e8-9739-2dfe598c3fcd\r\n"
        "Content-Length: " +
        std::to_string(event.size()) + "\r\n\r\n";
    const std::string accepted_body = R"({"status":"OK"})";
    const std::string accepted =
        "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(accepted_body.size()) + "\r\n\r\n" + accepted_body;
    std::string buf;

    auto started = Clock::now();
    s.started_ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(started.time_since_epoch()).count();
    pid_t pid = spawn(spec);
    if (pid < 0) {
        s.error = "cannot spawn " + bootstrap;
        return s;
    }
    util::Fd conn;
    if (wait_readable(listener.get()))
        conn = util::Fd(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (conn.valid()) {
        int one = 1;
        ::setsockopt(conn.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (read_request(conn.get(), buf)) {
            s.spawn_to_next_us = micros(started, Clock::now());
            if (send_all(conn.get(), response_head) && send_all(conn.get(), event) &&
                read_request(conn.get(), buf)) {
                s.total_us = micros(started, Clock::now());
                s.ok = buf.size() >= event.size() &&
                       buf.compare(buf.size() - event.size(), event.size(), event) == 0;
                if (!s.ok) s.error = "the runtime did not echo the event";
                send_all(conn.get(), accepted);
                // The runtime writes its timeline once its second /next is sent.
                if (!timeline_file.empty() && read_request(conn.get(), buf)) {
                    for (int i = 0; i < 1000 && !timeline_written(timeline_file); ++i)
                        ::usleep(1000);
                }
            }
        }
    }
    if (!s.ok && s.error.empty()) s.error = "the runtime did not complete an invocation";
    ::kill(pid, SIGKILL);
    wait_exit(pid, std::chrono::seconds(5));
    return s;
}

double time_spawn_wait(const std::vector<std::string>& argv, int expected_exit) {
    SpawnSpec spec;
    spec.argv = argv;
    auto started = Clock::now();
    pid_t pid = spawn(spec);
    if (pid < 0) return -1;
    int code = wait_blocking(pid);
    double us = micros(started, Clock::now());
    return code == expected_exit ? us : -1;
}

}  // namespace lambda_emu::harness
