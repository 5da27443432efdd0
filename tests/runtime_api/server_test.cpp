#include "runtime_api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>

#include "util/fd.h"

namespace lambda_emu::runtime_api {

namespace {

using namespace std::chrono_literals;

struct RawResponse {
    int status = 0;
    HeaderList headers;
    std::string body;
    bool ok = false;  // a complete response was read

    const std::string* header(std::string_view name) const { return find_header(headers, name); }
};

// A blocking TCP client speaking raw HTTP/1.1, with a receive timeout so that no test hangs.
class RawClient {
  public:
    explicit RawClient(std::uint16_t port)
        : m_fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
        timeval tv{5, 0};
        ::setsockopt(m_fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
        m_connected = ::connect(m_fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    }

    bool connected() const { return m_connected; }

    bool send(const std::string& data) {
        std::size_t done = 0;
        while (done < data.size()) {
            ssize_t n = ::send(m_fd.get(), data.data() + done, data.size() - done, MSG_NOSIGNAL);
            if (n < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
        return true;
    }

    // One response: status line, headers, then a Content-Length body (none when absent).
    RawResponse read_response() {
        RawResponse r;
        std::size_t end;
        while ((end = m_buf.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return r;
        }
        std::string head = m_buf.substr(0, end);
        m_buf.erase(0, end + 4);
        std::size_t line_end = head.find("\r\n");
        std::string status_line = head.substr(0, line_end);
        if (status_line.rfind("HTTP/1.1 ", 0) != 0 || status_line.size() < 12) return r;
        r.status = std::atoi(status_line.substr(9, 3).c_str());
        std::size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
        while (pos < head.size()) {
            std::size_t next = head.find("\r\n", pos);
            if (next == std::string::npos) next = head.size();
            std::string line = head.substr(pos, next - pos);
            auto colon = line.find(':');
            if (colon != std::string::npos) {
                std::string value = line.substr(colon + 1);
                while (!value.empty() && value.front() == ' ') value.erase(0, 1);
                r.headers.emplace_back(line.substr(0, colon), value);
            }
            pos = next + 2;
        }
        std::size_t length = 0;
        if (const std::string* cl = r.header("Content-Length")) length = std::stoul(*cl);
        while (m_buf.size() < length) {
            if (!fill()) return r;
        }
        r.body = m_buf.substr(0, length);
        m_buf.erase(0, length);
        r.ok = true;
        return r;
    }

    // True when the server closed the connection (EOF) before the receive timeout.
    bool closed_by_server() {
        if (!m_buf.empty()) return false;
        timeval tv{2, 0};
        ::setsockopt(m_fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char c;
        for (;;) {
            ssize_t n = ::recv(m_fd.get(), &c, 1, 0);
            if (n == 0) return true;
            if (n < 0 && errno == EINTR) continue;
            if (n < 0 && errno == ECONNRESET) return true;
            return false;  // data, or timed out
        }
    }

  private:
    bool fill() {
        char chunk[16 * 1024];
        for (;;) {
            ssize_t n = ::recv(m_fd.get(), chunk, sizeof chunk, 0);
            if (n > 0) {
                m_buf.append(chunk, static_cast<std::size_t>(n));
                return true;
            }
            if (n < 0 && errno == EINTR) continue;
            return false;
        }
    }

    util::Fd m_fd;
    bool m_connected = false;
    std::string m_buf;
};

// Echoes the request back: the body as the body, the rest in X- headers.
HttpResponse echo(const HttpRequest& req) {
    HttpResponse r;
    r.status = 200;
    r.headers.emplace_back("X-Method", req.method);
    r.headers.emplace_back("X-Target", req.target);
    r.headers.emplace_back("X-Body-Bytes", std::to_string(req.body_bytes));
    r.headers.emplace_back("X-Over-Limit", req.body_over_limit ? "1" : "0");
    r.headers.emplace_back("X-Chunked", req.chunked ? "1" : "0");
    std::string trailers;
    for (const auto& [k, v] : req.trailers) trailers += k + "=" + v + ";";
    r.headers.emplace_back("X-Trailers", trailers);
    if (const std::string* h = req.header("X-Probe")) r.headers.emplace_back("X-Probe-Echo", *h);
    r.body = req.body;
    return r;
}

class ServerTest : public ::testing::Test {
  protected:
    void start(ServerOptions options = {}) {
        auto listening = HttpServer::listen(
            "127.0.0.1", 0,
            [this](const HttpRequest& req) {
                ++requests;
                return echo(req);
            },
            std::move(options));
        ASSERT_TRUE(listening.ok()) << listening.error().message;
        server = std::move(listening.value());
        ASSERT_NE(server->port(), 0);
    }

    void TearDown() override {
        if (server) server->stop();
    }

    std::unique_ptr<HttpServer> server;
    std::atomic<int> requests{0};
};

}  // namespace

TEST_F(ServerTest, BindsAnEphemeralPort) {
    start();
    RawClient client(server->port());
    EXPECT_TRUE(client.connected());
}

TEST_F(ServerTest, RefusesANonIpv4Host) {
    auto listening = HttpServer::listen("not-an-address", 0, echo);
    EXPECT_FALSE(listening.ok());
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.send("GET /2018-06-01/first HTTP/1.1\r\nHost: x\r\n\r\n"));
    RawResponse first = client.read_response();
    ASSERT_TRUE(first.ok);
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(*first.header("X-Target"), "/2018-06-01/first");
    EXPECT_EQ(first.header("Connection"), nullptr);

    ASSERT_TRUE(client.send("GET /2018-06-01/second HTTP/1.1\r\nHost: x\r\n\r\n"));
    RawResponse second = client.read_response();
    ASSERT_TRUE(second.ok);
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(*second.header("X-Target"), "/2018-06-01/second");
    EXPECT_EQ(requests.load(), 2);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n"));
    RawResponse a = client.read_response();
    RawResponse b = client.read_response();
    ASSERT_TRUE(a.ok && b.ok);
    EXPECT_EQ(*a.header("X-Target"), "/a");
    EXPECT_EQ(*b.header("X-Target"), "/b");
}

TEST_F(ServerTest, ContentLengthBody) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send(
        "POST /2018-06-01/runtime/invocation/id/response HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/json\r\nX-Probe:   padded value  \r\nContent-Length: 13\r\n\r\n"
        "{\"result\":42}"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(*r.header("X-Method"), "POST");
    EXPECT_EQ(r.body, "{\"result\":42}");
    EXPECT_EQ(*r.header("X-Body-Bytes"), "13");
    EXPECT_EQ(*r.header("X-Over-Limit"), "0");
    EXPECT_EQ(*r.header("X-Chunked"), "0");
    EXPECT_EQ(*r.header("X-Probe-Echo"), "padded value");  // surrounding whitespace trimmed
    EXPECT_EQ(*r.header("Content-Length"), "13");
}

TEST_F(ServerTest, BodySentInSeveralPieces) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("POST /p HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello"));
    ASSERT_TRUE(client.send("world"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.body, "helloworld");
}

TEST_F(ServerTest, ChunkedBody) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(
        client.send("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n6;ext=1\r\n world\r\na\r\n, chunked!\r\n0\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "hello world, chunked!");
    EXPECT_EQ(*r.header("X-Body-Bytes"), "21");
    EXPECT_EQ(*r.header("X-Chunked"), "1");
    EXPECT_EQ(*r.header("X-Trailers"), "");
    // The connection is still usable.
    ASSERT_TRUE(client.send("GET /after HTTP/1.1\r\n\r\n"));
    RawResponse after = client.read_response();
    ASSERT_TRUE(after.ok);
    EXPECT_EQ(*after.header("X-Target"), "/after");
}

TEST_F(ServerTest, ChunkedBodyWithTrailers) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send(
        "POST /2018-06-01/runtime/invocation/id/response HTTP/1.1\r\nHost: x\r\n"
        "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
        "Transfer-Encoding: chunked\r\n"
        "Trailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n"
        "7\r\npartial\r\n0\r\n"
        "Lambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n"
        "Lambda-Runtime-Function-Error-Body: eyJlcnJvck1lc3NhZ2UiOiJ4In0=\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "partial");
    EXPECT_EQ(*r.header("X-Trailers"),
              "Lambda-Runtime-Function-Error-Type=Runtime.StreamError;"
              "Lambda-Runtime-Function-Error-Body=eyJlcnJvck1lc3NhZ2UiOiJ4In0=;");
    // Next request on the same connection.
    ASSERT_TRUE(client.send("GET /after HTTP/1.1\r\n\r\n"));
    EXPECT_TRUE(client.read_response().ok);
}

TEST_F(ServerTest, ExpectContinueGetsAnInterim100) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send(
        "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
    RawResponse interim = client.read_response();
    ASSERT_TRUE(interim.ok);
    EXPECT_EQ(interim.status, 100);
    EXPECT_EQ(requests.load(), 0);
    ASSERT_TRUE(client.send("body"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "body");
}

TEST_F(ServerTest, HeadersOverTheLimitAre431) {
    ServerOptions options;
    options.max_header_bytes = 1024;
    start(options);
    RawClient client(server->port());
    ASSERT_TRUE(client.send("GET /p HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 431);
    ASSERT_NE(r.header("Connection"), nullptr);
    EXPECT_EQ(*r.header("Connection"), "close");
    // The server closes the connection itself, without waiting for another client to connect.
    EXPECT_TRUE(client.closed_by_server());
    EXPECT_EQ(requests.load(), 0);
}

TEST_F(ServerTest, ManySmallHeadersOverTheLimitAre431) {
    ServerOptions options;
    options.max_header_bytes = 1024;
    start(options);
    RawClient client(server->port());
    std::string head = "GET /p HTTP/1.1\r\n";
    for (int i = 0; i < 100; ++i) head += "X-H" + std::to_string(i) + ": 0123456789\r\n";
    ASSERT_TRUE(client.send(head + "\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 431);
}

TEST_F(ServerTest, ContentLengthAndTransferEncodingTogetherAre400) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(
        client.send("POST /p HTTP/1.1\r\nContent-Length: 0\r\nTransfer-Encoding: chunked\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(*r.header("Connection"), "close");
    // The server closes the connection itself, without waiting for another client to connect.
    EXPECT_TRUE(client.closed_by_server());
    EXPECT_EQ(requests.load(), 0);
}

TEST_F(ServerTest, MalformedRequestLineIs400) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("NONSENSE\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 400);
}

TEST_F(ServerTest, BodyOverTheLimitIsDrainedAndTheConnectionServesOn) {
    ServerOptions options;
    options.body_limit = [](const HttpRequest&) -> std::size_t { return 10; };
    start(options);
    RawClient client(server->port());
    std::string body;
    for (int i = 0; i < 10; ++i) body += "0123456789";  // 100 bytes
    ASSERT_TRUE(client.send("POST /big HTTP/1.1\r\nContent-Length: 100\r\n\r\n" + body));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(*r.header("X-Over-Limit"), "1");
    EXPECT_EQ(*r.header("X-Body-Bytes"), "100");
    EXPECT_EQ(r.body, "0123456789");  // the prefix

    ASSERT_TRUE(client.send("POST /small HTTP/1.1\r\nContent-Length: 5\r\n\r\nsmall"));
    RawResponse next = client.read_response();
    ASSERT_TRUE(next.ok);
    EXPECT_EQ(*next.header("X-Target"), "/small");
    EXPECT_EQ(*next.header("X-Over-Limit"), "0");
    EXPECT_EQ(next.body, "small");
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIsDrained) {
    ServerOptions options;
    options.body_limit = [](const HttpRequest&) -> std::size_t { return 8; };
    start(options);
    RawClient client(server->port());
    ASSERT_TRUE(
        client.send("POST /big HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(*r.header("X-Over-Limit"), "1");
    EXPECT_EQ(*r.header("X-Body-Bytes"), "11");
    EXPECT_EQ(r.body, "hello wo");
    ASSERT_TRUE(client.send("GET /after HTTP/1.1\r\n\r\n"));
    RawResponse next = client.read_response();
    ASSERT_TRUE(next.ok);
    EXPECT_EQ(*next.header("X-Target"), "/after");
}

TEST_F(ServerTest, BodyLimitSeesTheRequestHead) {
    ServerOptions options;
    options.body_limit = [](const HttpRequest& head) -> std::size_t {
        return head.header("X-Allow-Big") ? 1000 : 3;
    };
    start(options);
    RawClient client(server->port());
    ASSERT_TRUE(
        client.send("POST /p HTTP/1.1\r\nX-Allow-Big: 1\r\nContent-Length: 6\r\n\r\nsixsix"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(*r.header("X-Over-Limit"), "0");
    EXPECT_EQ(r.body, "sixsix");
}

TEST_F(ServerTest, Http10ClosesAfterTheResponse) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("GET /old HTTP/1.0\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.status, 200);
    ASSERT_NE(r.header("Connection"), nullptr);
    EXPECT_EQ(*r.header("Connection"), "close");
    // The server closes the connection itself, without waiting for another client to connect.
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, Http10KeepAliveStaysOpen) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    ASSERT_TRUE(client.read_response().ok);
    ASSERT_TRUE(client.send("GET /again HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(*r.header("X-Target"), "/again");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("GET /p HTTP/1.1\r\nConnection: close\r\n\r\n"));
    RawResponse r = client.read_response();
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(*r.header("Connection"), "close");
    // The server closes the connection itself, without waiting for another client to connect.
    EXPECT_TRUE(client.closed_by_server());
}

TEST_F(ServerTest, StopReturnsPromptlyWithAnIdleKeepAliveConnection) {
    start();
    RawClient client(server->port());
    ASSERT_TRUE(client.send("GET /p HTTP/1.1\r\n\r\n"));
    ASSERT_TRUE(client.read_response().ok);
    RawClient silent(server->port());  // connected, never sends
    ASSERT_TRUE(silent.connected());

    auto before = std::chrono::steady_clock::now();
    server->stop();
    auto took = std::chrono::steady_clock::now() - before;
    EXPECT_LT(took, 2s);
    EXPECT_TRUE(client.closed_by_server());
    // stop() twice is harmless.
    server->stop();
    // Once the server is gone, a connection it may not have accepted yet is closed too.
    server.reset();
    EXPECT_TRUE(silent.closed_by_server());
}

}  // namespace lambda_emu::runtime_api
