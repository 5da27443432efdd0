#include "telemetry/sender.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "util/fd.h"

namespace lambda_emu::telemetry {

namespace {

class HttpSender final : public Sender {
  public:
    HttpSender(const Destination& d, std::chrono::milliseconds timeout)
        : m_client(d.host, d.port), m_path(d.path) {
        m_client.set_connection_timeout(timeout);
        m_client.set_read_timeout(timeout);
        m_client.set_write_timeout(timeout);
        m_client.set_keep_alive(true);
    }

    bool send(const std::vector<std::string>& records) override {
        std::string body = "[";
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (i) body += ',';
            body += records[i];
        }
        body += ']';
        auto res = m_client.Post(m_path, body, "application/json");
        return res && res->status >= 200 && res->status < 300;
    }

  private:
    httplib::Client m_client;
    std::string m_path;
};

class TcpSender final : public Sender {
  public:
    TcpSender(const Destination& d, std::chrono::milliseconds timeout)
        : m_host(d.host), m_port(d.port), m_timeout(timeout) {}

    bool send(const std::vector<std::string>& records) override {
        std::string data;
        for (const auto& r : records) {
            data += r;
            data += '\n';
        }
        // One reconnection: the subscriber may have closed the previous connection.
        for (int attempt = 0; attempt < 2; ++attempt) {
            if (!m_fd.valid() && !connect_now()) return false;
            if (write_all(data)) return true;
            m_fd.reset();
        }
        return false;
    }

  private:
    bool connect_now() {
        util::Fd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
        if (!fd.valid()) return false;
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(static_cast<std::uint16_t>(m_port));
        if (::inet_pton(AF_INET, m_host.c_str(), &addr.sin_addr) != 1) return false;
        if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
            if (errno != EINPROGRESS) return false;
            pollfd p{fd.get(), POLLOUT, 0};
            if (::poll(&p, 1, static_cast<int>(m_timeout.count())) != 1) return false;
            int err = 0;
            socklen_t len = sizeof err;
            if (::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
                return false;
            }
        }
        int one = 1;
        ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        m_fd = std::move(fd);
        return true;
    }

    bool write_all(const std::string& data) {
        std::size_t sent = 0;
        while (sent < data.size()) {
            ssize_t n = ::send(m_fd.get(), data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
            if (n > 0) {
                sent += static_cast<std::size_t>(n);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                pollfd p{m_fd.get(), POLLOUT, 0};
                if (::poll(&p, 1, static_cast<int>(m_timeout.count())) == 1) continue;
            }
            return false;
        }
        return true;
    }

    std::string m_host;
    int m_port;
    std::chrono::milliseconds m_timeout;
    util::Fd m_fd;
};

}  // namespace

std::unique_ptr<Sender> make_sender(const Destination& destination,
                                    std::chrono::milliseconds timeout) {
    if (destination.protocol == Destination::Protocol::tcp) {
        return std::make_unique<TcpSender>(destination, timeout);
    }
    return std::make_unique<HttpSender>(destination, timeout);
}

}  // namespace lambda_emu::telemetry
