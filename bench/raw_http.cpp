#include "raw_http.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace lambda_emu::harness {

namespace {

bool write_all(int fd, std::string_view head, std::string_view body) {
    iovec iov[2] = {{const_cast<char*>(head.data()), head.size()},
                    {const_cast<char*>(body.data()), body.size()}};
    std::size_t left = head.size() + body.size();
    while (left > 0) {
        msghdr msg{};
        msg.msg_iov = iov;
        msg.msg_iovlen = 2;
        ssize_t n = ::sendmsg(fd, &msg, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        left -= static_cast<std::size_t>(n);
        auto done = static_cast<std::size_t>(n);
        for (auto& v : iov) {
            std::size_t take = std::min(done, v.iov_len);
            v.iov_base = static_cast<char*>(v.iov_base) + take;
            v.iov_len -= take;
            done -= take;
        }
    }
    return true;
}

// Reads one message (head and Content-Length body) from fd; `buf` keeps what follows it.
// The head (without the blank line) and body are returned; false at the end or on an error.
bool read_message(int fd, std::string& buf, std::string& head, std::string& body, bool& chunked) {
    std::size_t end;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        char chunk[64 * 1024];
        ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        buf.append(chunk, static_cast<std::size_t>(n));
    }
    head.assign(buf, 0, end);
    std::string lower = head;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    chunked = lower.find("transfer-encoding: chunked") != std::string::npos;
    std::size_t length = 0;
    if (auto at = lower.find("content-length:"); at != std::string::npos)
        length = std::strtoull(lower.c_str() + at + 15, nullptr, 10);
    buf.erase(0, end + 4);
    body.clear();
    std::size_t take = std::min(length, buf.size());
    body.append(buf, 0, take);
    buf.erase(0, take);
    if (body.size() < length) {
        std::size_t have = body.size();
        body.resize(length);
        while (have < length) {
            ssize_t n = ::recv(fd, body.data() + have, length - have, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            have += static_cast<std::size_t>(n);
        }
    }
    return true;
}

void serve_echo(util::Fd conn) {
    std::string buf, head, body;
    bool chunked = false;
    while (read_message(conn.get(), buf, head, body, chunked) && !chunked) {
        std::string answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
            std::to_string(body.size()) + "\r\n\r\n";
        if (!write_all(conn.get(), answer, body)) return;
    }
}

}  // namespace

bool RawHttpConnection::fail(std::string what) {
    m_error = std::move(what);
    m_fd.reset();
    m_buf.clear();
    return false;
}

bool RawHttpConnection::connect_socket() {
    m_fd = util::Fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    int one = 1;
    ::setsockopt(m_fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(m_port));
    if (::connect(m_fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
        return fail("connect: " + util::errno_text(errno));
    return true;
}

bool RawHttpConnection::post(const std::string& path, const std::string& body, int& status,
                             std::string& out) {
    if (!m_fd.valid() && !connect_socket()) return false;
    m_head =
        "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(m_port) +
        "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n";
    if (!write_all(m_fd.get(), m_head, body)) return fail("send failed");
    std::string head;
    bool chunked = false;
    if (!read_message(m_fd.get(), m_buf, head, out, chunked)) return fail("no response");
    if (chunked) return fail("a chunked response");
    status = head.size() > 12 ? std::atoi(head.c_str() + 9) : 0;
    return true;
}

util::Fd listen_on_loopback(int backlog, int& port) {
    util::Fd listener(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (!listener.valid() || ::bind(listener.get(), reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::listen(listener.get(), backlog) != 0 ||
        ::getsockname(listener.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        return util::Fd();
    }
    port = ntohs(addr.sin_port);
    return listener;
}

int start_raw_echo_server() {
    int port = 0;
    util::Fd listener = listen_on_loopback(64, port);
    if (!listener.valid()) return -1;
    std::thread([listener = std::move(listener)] {
        for (;;) {
            int fd = ::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC);
            if (fd < 0) {
                if (errno == EINTR || errno == ECONNABORTED) continue;
                return;
            }
            int one = 1;
            ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            std::thread(serve_echo, util::Fd(fd)).detach();
        }
    }).detach();
    return port;
}

}  // namespace lambda_emu::harness
