// Hostile clients of `lambda-emu serve`: the Invoke API and the HTTP front ends (--http-port) get
// garbage, slow connections, request smuggling, header floods, oversized bodies and hostile
// function names over raw sockets. Each is refused with a 4xx (the service's where lambda-facts
// says), lambda-emu's memory stays bounded, and other clients go on being served.
#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <future>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "e2e/background_process.h"
#include "e2e/run_command.h"
#include "e2e/tcp_connect.h"

namespace lambda_emu::testing {

namespace hostile_e2e {

using namespace std::chrono_literals;
using namespace std::string_literals;

constexpr const char* k_invoke_path = "/2015-03-31/functions/cpp/invocations";
// lambda-emu under ASan holds a few hundred MB of shadow and quarantine: a leak of the bodies
// and headers sent here (hundreds of MB) would still show.
constexpr long k_rss_bound_kb = 1024 * 1024;

// One raw connection: what the server wrote back, and whether it closed the connection.
struct Exchange {
    std::string text;
    bool closed = false;  // the server ended the connection (EOF or reset) before the wait ran out
    int status() const { return text.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(text.c_str() + 9) : 0; }
    std::string body() const {
        auto at = text.find("\r\n\r\n");
        return at == std::string::npos ? "" : text.substr(at + 4);
    }
    int responses() const {
        int n = 0;
        for (auto at = text.find("HTTP/1.1 "); at != std::string::npos;
             at = text.find("HTTP/1.1 ", at + 1)) {
            ++n;
        }
        return n;
    }
};

// Whether text holds a whole response: its head and its Content-Length of body.
bool whole_response(const std::string& text) {
    auto end = text.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    std::smatch m;
    std::string head = text.substr(0, end);
    std::size_t length = 0;
    if (std::regex_search(head, m, std::regex(R"(\r\nContent-Length: (\d+))", std::regex::icase)))
        length = std::stoul(m[1]);
    return text.size() >= end + 4 + length;
}

// Sends `data` (a writer thread, so that an early answer is read while sending), then reads
// until the server closes the connection, `quiet` passes without a byte, or (with `one`) a whole
// response has arrived.
Exchange send_raw(int port, const std::string& data, std::chrono::milliseconds quiet = 1500ms,
                  bool one = false) {
    Exchange out;
    int fd = connect_tcp("127.0.0.1", port);
    if (fd < 0) return out;
    std::thread writer([fd, &data] {
        std::string_view rest = data;
        while (!rest.empty()) {
            ssize_t n =
                ::send(fd, rest.data(), std::min<std::size_t>(rest.size(), 1 << 20), MSG_NOSIGNAL);
            if (n <= 0) break;
            rest.remove_prefix(static_cast<std::size_t>(n));
        }
    });
    char buf[65536];
    for (;;) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) {
            out.closed = true;
            break;
        }
        out.text.append(buf, static_cast<std::size_t>(n));
        if (one && whole_response(out.text)) break;
    }
    ::shutdown(fd, SHUT_RDWR);
    writer.join();
    ::close(fd);
    return out;
}

std::string post(const std::string& path, const std::string& headers, const std::string& body) {
    return "POST " + path + " HTTP/1.1\r\nHost: lambda\r\n" + headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

bool is_service_error(const std::string& body) {
    auto j = nlohmann::json::parse(body, nullptr, false);
    return j.is_object() && j.value("Type", "") == "User" && j.contains("message");
}

class Hostile : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_server = new Server(start_serve({"--http-port", "0", cpp_bootstrap()}));
        auto port = s_server->process->wait_for(
            std::regex(R"(Function URLs on http://127\.0\.0\.1:(\d+))"));
        if (port) s_http_port = std::stoi(*port);
    }
    static void TearDownTestSuite() {
        if (s_server) s_server->process->stop(SIGINT);
        delete s_server;
        s_server = nullptr;
    }
    void SetUp() override {
        ASSERT_GT(s_server->port, 0) << s_server->process->err();
        ASSERT_GT(s_http_port, 0) << s_server->process->err();
    }
    void TearDown() override {
        EXPECT_LT(rss_kb(pid()), k_rss_bound_kb) << "lambda-emu's resident memory";
        expect_serving();
    }

    static pid_t pid() { return s_server->process->pid(); }
    static int invoke_port() { return s_server->port; }
    static int http_port() { return s_http_port; }

    // Other clients are served: an invocation through the Invoke API and a Function URL.
    static void expect_serving() {
        httplib::Client api("127.0.0.1", invoke_port());
        api.set_read_timeout(30s);
        auto r = api.Post(k_invoke_path, R"({"still":"serving"})", "application/json");
        ASSERT_TRUE(r) << "the Invoke API answers";
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->body, R"({"still":"serving"})");
        httplib::Client url("127.0.0.1", http_port());
        url.set_read_timeout(30s);
        auto u = url.Get("/lambda-url/cpp/still");
        ASSERT_TRUE(u) << "the Function URL answers";
        EXPECT_EQ(u->status, 200);
    }

    static inline Server* s_server = nullptr;
    static inline int s_http_port = 0;
};

TEST_F(Hostile, GarbageIsRefusedWith400OnEveryPort) {
    const std::vector<std::string> garbage = {
        "\x00\xff garbage \r\n\r\n"s,
        std::string(4096, '\x01') + "\r\n\r\n",
        "GET\r\n\r\n",
        "POST " + std::string(k_invoke_path) + " HTTP/9.9\r\nContent-Length: 2\r\n\r\n{}",
        "POST " + std::string(k_invoke_path) + " HTTP/1.1\nContent-Length: 2\n\n{}",
    };
    for (int port : {invoke_port(), http_port()}) {
        for (const auto& g : garbage) {
            Exchange e = send_raw(port, g, 5s, true);
            EXPECT_EQ(e.text.substr(0, e.text.find("\r\n")), "HTTP/1.1 400 Bad Request")
                << port << " " << ::testing::PrintToString(g.substr(0, 40));
        }
        Exchange long_uri =
            send_raw(port, "GET /" + std::string(10000, 'a') + " HTTP/1.1\r\n\r\n", 5s, true);
        EXPECT_EQ(long_uri.status(), 414);
    }
}

// Headers dribbled a byte every 100 ms hold one connection, not the server.
class HostileSlowLoris : public Hostile, public ::testing::WithParamInterface<bool> {};

TEST_P(HostileSlowLoris, DoesNotHoldUpOtherClients) {
    int port = GetParam() ? http_port() : invoke_port();
    std::string path = GetParam() ? "/lambda-url/cpp/slow" : k_invoke_path;
    std::string request = post(path, "", R"({"slow":"loris"})");
    int fd = connect_tcp("127.0.0.1", port);
    ASSERT_GE(fd, 0);
    const std::size_t dribbled = 30;
    std::promise<void> dribbling;
    auto loris = std::async(std::launch::async, [&] {
        for (std::size_t i = 0; i < dribbled; ++i) {
            if (::send(fd, request.data() + i, 1, MSG_NOSIGNAL) != 1) return false;
            if (i == 0) dribbling.set_value();
            std::this_thread::sleep_for(100ms);
        }
        return true;
    });
    dribbling.get_future().wait();
    // While the slow client is still sending its request line: others are answered.
    for (int i = 0; i < 3; ++i) expect_serving();
    EXPECT_NE(loris.wait_for(0ms), std::future_status::ready) << "still dribbling";
    ASSERT_TRUE(loris.get());
    // Then the rest at once: the slow request is answered too.
    ASSERT_EQ(::send(fd, request.data() + dribbled, request.size() - dribbled, MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size() - dribbled));
    std::string answer;
    char buf[4096];
    while (answer.find("\r\n\r\n") == std::string::npos) {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 30000) <= 0) break;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        answer.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
}

INSTANTIATE_TEST_SUITE_P(HostilePorts, HostileSlowLoris, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "HttpPort" : "InvokeApi"; });

// Framing two parsers could read differently (RFC 9112 section 6): refused with 400, and the
// connection is closed so that nothing after the head is taken for a request.
TEST_F(Hostile, RequestSmugglingIsRefusedAndTheConnectionClosed) {
    const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: lambda\r\n\r\n";
    struct Case {
        std::string name;
        std::string head_fields;
        std::string body;
    };
    const std::vector<Case> cases = {
        {"CL+TE", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n"},
        {"TE+CL", "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n", "2\r\n{}\r\n0\r\n\r\n"},
        {"CL,CL", "Content-Length: 2\r\nContent-Length: 42\r\n", "{}"},
        {"TE,TE", "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n",
         "2\r\n{}\r\n0\r\n\r\n"},
        {"CL negative", "Content-Length: -5\r\n", "{}"},
        {"CL not a number", "Content-Length: 2x\r\n", "{}"},
    };
    for (int port : {invoke_port(), http_port()}) {
        std::string path = port == http_port() ? "/lambda-url/cpp/smuggle" : k_invoke_path;
        for (const auto& c : cases) {
            std::string request = "POST " + path + " HTTP/1.1\r\nHost: lambda\r\n" + c.head_fields +
                                  "\r\n" + c.body + smuggled;
            Exchange e = send_raw(port, request);
            EXPECT_EQ(e.status(), 400) << c.name << " on " << port << "\n" << e.text;
            EXPECT_EQ(e.responses(), 1) << c.name << ": the smuggled request is not answered";
            EXPECT_TRUE(e.closed) << c.name << ": the connection is closed";
        }
    }
}

TEST_F(Hostile, HeaderFloodsAre431) {
    std::string ten_thousand;
    for (int i = 0; i < 10000; ++i) ten_thousand += "X-H" + std::to_string(i) + ": v\r\n";
    std::string megabyte;
    for (int i = 0; i < 256; ++i)
        megabyte += "X-Fill-" + std::to_string(i) + ": " + std::string(4096, 'h') + "\r\n";
    for (int port : {invoke_port(), http_port()}) {
        std::string path = port == http_port() ? "/lambda-url/cpp/flood" : k_invoke_path;
        for (const auto* flood : {&ten_thousand, &megabyte}) {
            Exchange e = send_raw(port, post(path, *flood, "{}"));
            EXPECT_EQ(e.status(), 431) << e.text.substr(0, 200);
            EXPECT_TRUE(e.closed);
        }
        // Header lines over the library's own limit (8 KiB each): 400 from cpp-httplib.
        std::string long_lines;
        for (int i = 0; i < 128; ++i)
            long_lines += "X-Long-" + std::to_string(i) + ": " + std::string(8192, 'h') + "\r\n";
        Exchange e = send_raw(port, post(path, long_lines, "{}"), 5s, true);
        EXPECT_EQ(e.status(), 400) << e.text.substr(0, 200);
    }
}

TEST_F(Hostile, OversizedBodiesGetTheServices413) {
    const std::string sync_413 =
        R"({"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"})";
    auto expect_sync_413 = [&](const Exchange& e, const std::string& what) {
        EXPECT_EQ(e.status(), 413) << what << "\n" << e.text.substr(0, 300);
        EXPECT_NE(e.text.find("\r\nX-Amzn-ErrorType: RequestEntityTooLargeException\r\n"),
                  std::string::npos)
            << what;
        EXPECT_EQ(e.body(), sync_413) << what;
    };
    std::string twenty_mb(20 * 1024 * 1024, 'x');
    // Over the library's own cap (16 MB), by Content-Length...
    expect_sync_413(send_raw(invoke_port(), post(k_invoke_path, "", twenty_mb)), "20 MB");
    // ...declared but never sent: answered at once, without waiting for the body.
    expect_sync_413(send_raw(invoke_port(), "POST "s + k_invoke_path +
                                                " HTTP/1.1\r\nContent-Length: 10737418240\r\n\r\n"),
                    "10 GB declared");
    // ...or chunked.
    std::string chunked =
        "POST "s + k_invoke_path + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 20; ++i) chunked += "100000\r\n" + std::string(1024 * 1024, 'x') + "\r\n";
    chunked += "0\r\n\r\n";
    expect_sync_413(send_raw(invoke_port(), chunked), "20 MB chunked");
    // Within the cap, over the invoke limit.
    expect_sync_413(
        send_raw(invoke_port(), post(k_invoke_path, "", std::string(7 << 20, 'x')), 5s, true),
        "7 MB");
    // An Event invocation has its own limit.
    Exchange event = send_raw(
        invoke_port(),
        post(k_invoke_path, "X-Amz-Invocation-Type: Event\r\n", std::string((1 << 20) + 1, 'x')),
        5s, true);
    EXPECT_EQ(event.status(), 413);
    EXPECT_EQ(
        event.body(),
        R"({"Type":"User","message":"Request must be smaller than 1048576 bytes for the InvokeFunction operation"})");
    // A Function URL: Lambda's 6 MB invoke limit, in the Function URL's own words.
    for (const std::string& big : {std::string(7 << 20, 'x'), twenty_mb}) {
        Exchange url = send_raw(http_port(), post("/lambda-url/cpp/upload", "", big), 5s, true);
        EXPECT_EQ(url.status(), 413) << url.text.substr(0, 300);
        EXPECT_EQ(url.body(), R"({"Message":"Request must be smaller than 6291456 bytes"})");
    }
}

// cpp-httplib would parse form bodies itself: url-encoded ones over 8 KiB refused with an empty
// 413, multipart ones taken apart. To Lambda they are payloads like any other.
TEST_F(Hostile, FormContentTypesAreBodiesLikeAnyOther) {
    std::string event = R"({"padding":")" + std::string(10000, 'p') + R"("})";
    Exchange url_encoded =
        send_raw(invoke_port(),
                 post(k_invoke_path, "Content-Type: application/x-www-form-urlencoded\r\n", event),
                 5s, true);
    EXPECT_EQ(url_encoded.status(), 200) << url_encoded.text.substr(0, 300);
    EXPECT_EQ(url_encoded.body(), event);
    Exchange multipart = send_raw(
        invoke_port(),
        post(k_invoke_path, "Content-Type: multipart/form-data; boundary=XX\r\n", R"({"m":1})"), 5s,
        true);
    EXPECT_EQ(multipart.status(), 200) << multipart.text.substr(0, 300);
    EXPECT_EQ(multipart.body(), R"({"m":1})");
    std::string form = "field=" + std::string(10000, 'f');
    Exchange url = send_raw(
        http_port(),
        post("/lambda-url/cpp/form", "Content-Type: application/x-www-form-urlencoded\r\n", form),
        5s, true);
    EXPECT_EQ(url.status(), 200) << url.text.substr(0, 300);
}

TEST_F(Hostile, HostileFunctionNamesGetAServiceErrorNotAFunction) {
    struct Name {
        std::string raw;  // as it appears in the request line
        int status;
    };
    const std::vector<Name> names = {
        {"..", 404},     {"../x", 404},      {"..%2F..%2Fetc%2Fpasswd", 404},
        {"%00", 404},    {"cpp%00", 404},    {std::string(200, 'a'), 400},
        {"%FF%FE", 404}, {"\xff\xfe"s, 404}, {"a\"b", 404},
        {"%22%7D", 404}, {"cpp%2F..", 404},  {"arn:aws:lambda:x:1:function:%00", 404},
    };
    for (const auto& n : names) {
        Exchange e =
            send_raw(invoke_port(),
                     post("/2015-03-31/functions/" + n.raw + "/invocations", "", "{}"), 5s, true);
        EXPECT_EQ(e.status(), n.status) << ::testing::PrintToString(n.raw) << "\n" << e.text;
        EXPECT_TRUE(is_service_error(e.body())) << ::testing::PrintToString(n.raw) << e.body();
        EXPECT_NE(e.text.find(n.status == 404 ? "X-Amzn-ErrorType: ResourceNotFoundException"
                                              : "X-Amzn-ErrorType: ValidationException"),
                  std::string::npos);
        // The Function URL of the same name: 404 in valid JSON.
        Exchange url =
            send_raw(http_port(), "GET /lambda-url/" + n.raw + "/x HTTP/1.1\r\n\r\n", 5s, true);
        EXPECT_EQ(url.status(), 404) << ::testing::PrintToString(n.raw) << "\n" << url.text;
        auto j = nlohmann::json::parse(url.body(), nullptr, false);
        EXPECT_TRUE(j.is_object() && j.contains("Message"))
            << ::testing::PrintToString(n.raw) << " " << ::testing::PrintToString(url.body());
    }
}

// --- where lambda-emu listens

// The local addresses of lambda-emu's listening TCP sockets, from /proc/net/tcp and tcp6.
std::vector<std::pair<std::string, int>> listening_sockets(pid_t pid) {
    std::set<std::string> inodes;
    std::string fd_dir = "/proc/" + std::to_string(pid) + "/fd";
    if (DIR* d = ::opendir(fd_dir.c_str())) {
        while (dirent* e = ::readdir(d)) {
            char target[256];
            ssize_t n = ::readlink((fd_dir + "/" + e->d_name).c_str(), target, sizeof target - 1);
            if (n <= 0) continue;
            std::string t(target, static_cast<std::size_t>(n));
            if (t.rfind("socket:[", 0) == 0) inodes.insert(t.substr(8, t.size() - 9));
        }
        ::closedir(d);
    }
    std::vector<std::pair<std::string, int>> out;
    for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line);  // the column names
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
                timeout >> inode;
            if (state != "0A" || !inodes.count(inode)) continue;  // 0A: LISTEN
            auto colon = local.find(':');
            std::string address = local.substr(0, colon);
            int port = std::stoi(local.substr(colon + 1), nullptr, 16);
            if (address.size() == 8) {
                in_addr a{};
                a.s_addr = static_cast<in_addr_t>(std::stoul(address, nullptr, 16));
                char text[INET_ADDRSTRLEN];
                ::inet_ntop(AF_INET, &a, text, sizeof text);
                address = text;
            }
            out.emplace_back(address, port);
        }
    }
    return out;
}

TEST_F(Hostile, EveryServerListensOnLoopbackOnlyAndEachRuntimeApiOnlyForItsOwnIds) {
    // An invocation leaves an idle environment with its own Runtime API listening.
    httplib::Client api("127.0.0.1", invoke_port());
    api.set_read_timeout(30s);
    auto r = api.Post(k_invoke_path, "{}", "application/json");
    ASSERT_TRUE(r);
    std::string request_id = r->get_header_value("X-Amzn-RequestId");
    auto sockets = listening_sockets(pid());
    std::set<int> ports;
    for (const auto& [address, port] : sockets) {
        EXPECT_EQ(address, "127.0.0.1") << "port " << port;
        ports.insert(port);
    }
    EXPECT_TRUE(ports.count(invoke_port()));
    EXPECT_TRUE(ports.count(http_port()));
    ports.erase(invoke_port());
    ports.erase(http_port());
    ASSERT_GE(ports.size(), 1u) << "the environment's Runtime API";

    // From another address of this machine, nothing answers.
    ifaddrs* addrs = nullptr;
    if (::getifaddrs(&addrs) == 0) {
        for (ifaddrs* a = addrs; a; a = a->ifa_next) {
            if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET) continue;
            char text[INET_ADDRSTRLEN];
            ::inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, text,
                        sizeof text);
            if (std::string(text).rfind("127.", 0) == 0) continue;
            for (int port : {invoke_port(), http_port(), *ports.begin()}) {
                int fd = connect_tcp(text, port);
                EXPECT_LT(fd, 0) << text << ":" << port << " accepted a connection";
                if (fd >= 0) ::close(fd);
            }
        }
        ::freeifaddrs(addrs);
    }

    // A client of an environment's Runtime API cannot answer an invocation that is not the one
    // in progress there: one it never had (400), or the one it has answered already (403).
    for (int port : ports) {
        httplib::Client runtime_api("127.0.0.1", port);
        auto post_response = [&](const std::string& id) {
            return runtime_api.Post(("/2018-06-01/runtime/invocation/" + id + "/response").c_str(),
                                    "{}", "application/json");
        };
        auto unknown = post_response("00000000-0000-4000-8000-000000000000");
        ASSERT_TRUE(unknown);
        EXPECT_EQ(unknown->status, 400);
        EXPECT_EQ(unknown->body,
                  R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})");
        auto answered = post_response(request_id);
        ASSERT_TRUE(answered);
        if (answered->status == 403) {  // the environment that ran it
            EXPECT_EQ(
                answered->body,
                R"({"errorMessage":"State transition from RuntimeReadyState to InvocationResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})");
        } else {
            EXPECT_EQ(answered->status, 400) << "another environment";
        }
    }
}

}  // namespace hostile_e2e

}  // namespace lambda_emu::testing
