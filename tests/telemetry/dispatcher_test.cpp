#include "telemetry/dispatcher.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "util/clock.h"

namespace lambda_emu::telemetry {

namespace {

using namespace std::chrono_literals;
using DispJson = nlohmann::json;

// Never reached when the code is right; waits end as soon as their condition holds.
constexpr auto k_disp_generous = 10s;

// An HTTP subscriber on 127.0.0.1: keeps each POSTed body; answers 500 while `failing`.
class RecordingServer {
  public:
    RecordingServer() {
        m_server.Post("/in", [this](const httplib::Request& req, httplib::Response& res) {
            {
                std::lock_guard lock(m_mutex);
                m_bodies.push_back(req.body);
            }
            m_cv.notify_all();
            res.status = failing ? 500 : 200;
            res.set_content("OK", "text/plain");
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        auto until = std::chrono::steady_clock::now() + k_disp_generous;
        while (!m_server.is_running() && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(1ms);
        }
    }
    ~RecordingServer() {
        m_server.stop();
        m_thread.join();
    }

    int port() const { return m_port; }

    // Until `n` bodies have arrived (or the generous timeout); all bodies so far.
    std::vector<std::string> wait_bodies(std::size_t n) {
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, k_disp_generous, [&] { return m_bodies.size() >= n; });
        return m_bodies;
    }
    std::vector<std::string> bodies() {
        std::lock_guard lock(m_mutex);
        return m_bodies;
    }

    std::atomic<bool> failing{false};

  private:
    httplib::Server m_server;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::string> m_bodies;
};

// A TCP subscriber on 127.0.0.1: one connection, read line by line.
class TcpReader {
  public:
    TcpReader() {
        m_listen = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        EXPECT_EQ(::bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        EXPECT_EQ(::listen(m_listen, 4), 0);
        socklen_t len = sizeof addr;
        ::getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
        m_port = ntohs(addr.sin_port);
    }
    ~TcpReader() {
        if (m_conn >= 0) ::close(m_conn);
        ::close(m_listen);
    }
    int port() const { return m_port; }

    // Until `n` complete lines have arrived (or the generous timeout).
    std::vector<std::string> read_lines(std::size_t n) {
        auto until = std::chrono::steady_clock::now() + k_disp_generous;
        while (count_lines() < n && std::chrono::steady_clock::now() < until) {
            int fd = m_conn >= 0 ? m_conn : m_listen;
            pollfd p{fd, POLLIN, 0};
            if (::poll(&p, 1, 100) != 1) continue;
            if (m_conn < 0) {
                m_conn = ::accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
                continue;
            }
            char buf[4096];
            ssize_t got = ::read(m_conn, buf, sizeof buf);
            if (got <= 0) break;
            m_data.append(buf, static_cast<std::size_t>(got));
        }
        std::vector<std::string> lines;
        std::size_t at = 0;
        for (std::size_t nl; (nl = m_data.find('\n', at)) != std::string::npos; at = nl + 1) {
            lines.push_back(m_data.substr(at, nl - at));
        }
        return lines;
    }

  private:
    std::size_t count_lines() const {
        return static_cast<std::size_t>(std::count(m_data.begin(), m_data.end(), '\n'));
    }
    int m_listen = -1;
    int m_conn = -1;
    int m_port = 0;
    std::string m_data;
};

// A port on 127.0.0.1 with nothing listening (bound once, then released).
int dead_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

Subscription http_subscription(int port, Api api = Api::telemetry,
                               std::vector<std::string> types = {"platform", "function",
                                                                 "extension"}) {
    Subscription s;
    s.api = api;
    s.types = std::move(types);
    // Batches go out on maxItems, maxBytes or flush(): the manual clock never reaches timeoutMs.
    s.buffering = Buffering{1000, 1048576, 30000};
    s.destination.protocol = Destination::Protocol::http;
    s.destination.host = "127.0.0.1";
    s.destination.port = port;
    s.destination.path = "/in";
    return s;
}

model::FunctionLineEvent disp_line(const std::string& text) {
    return model::FunctionLineEvent{util::SystemTime{1'700'000'000s}, "req-1", text, ""};
}

// The records of one POSTed body, parsed.
std::vector<DispJson> batch_of(const std::string& body) {
    DispJson j = DispJson::parse(body);
    EXPECT_TRUE(j.is_array()) << body;
    return std::vector<DispJson>(j.begin(), j.end());
}

// The `type` of each record, with a function record's text after a colon.
std::vector<std::string> summary(const std::string& body) {
    std::vector<std::string> out;
    for (const auto& r : batch_of(body)) {
        std::string s = r.at("type");
        if (s == "function") s += ":" + r.at("record").get<std::string>();
        out.push_back(s);
    }
    return out;
}

class DispatcherTest : public ::testing::Test {
  protected:
    util::SteadyTime later() { return clock.steady_now() + k_disp_generous; }

    util::ManualClock clock;
    // Before the dispatcher, so the dispatcher (and its keep-alive connections) goes first and
    // the server's stop() need not wait out its keep-alive timeout.
    RecordingServer server;
    Dispatcher dispatcher{clock, false};
};

TEST_F(DispatcherTest, SubscriptionDuringInitReceivesTheBacklog) {
    dispatcher.emit(model::InitStartEvent{util::SystemTime{1'700'000'000s}, "fn", "$LATEST",
                                          "on-demand", model::InitPhase::init});
    dispatcher.emit(disp_line("before"));
    dispatcher.emit(model::NoticeEvent{util::SystemTime{1'700'000'000s}, "", "ignored"});
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port())));
    dispatcher.emit(disp_line("after"));
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"platform.initStart", "function:before",
                                                            "function:after"}));
}

TEST_F(DispatcherTest, OnlyTheSubscribedTypesAreDelivered) {
    dispatcher.emit(model::StartEvent{util::SystemTime{1'700'000'000s}, "req-1", "$LATEST"});
    ASSERT_FALSE(dispatcher.subscribe(
        "ext", http_subscription(server.port(), Api::telemetry, {"function"})));
    dispatcher.emit(disp_line("a"));
    dispatcher.emit(model::FunctionLineEvent{util::SystemTime{1'700'000'000s}, "", "x", "other"});
    dispatcher.emit(model::EndEvent{util::SystemTime{1'700'000'000s}, "req-1"});
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"function:a"}));
}

TEST_F(DispatcherTest, LogsApiSubscriberGetsLogsApiRecords) {
    dispatcher.emit(model::InitStartEvent{util::SystemTime{1'700'000'000s}, "fn", "$LATEST",
                                          "on-demand", model::InitPhase::init});
    ASSERT_FALSE(
        dispatcher.subscribe("ext", http_subscription(server.port(), Api::logs, {"platform"})));
    dispatcher.emit(model::StartEvent{util::SystemTime{1'700'000'000s}, "req-1", "$LATEST"});
    dispatcher.emit(model::EndEvent{util::SystemTime{1'700'000'000s}, "req-1"});
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"platform.start", "platform.end"}));
}

TEST_F(DispatcherTest, BatchesHoldAtMostMaxItems) {
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port())));
    for (int i = 0; i < 2500; ++i) dispatcher.emit(disp_line(std::to_string(i)));
    // Two full batches go out on their own; the rest waits for its timeout or a flush.
    auto full = server.wait_bodies(2);
    ASSERT_EQ(full.size(), 2u);
    EXPECT_EQ(batch_of(full[0]).size(), 1000u);
    EXPECT_EQ(batch_of(full[1]).size(), 1000u);
    dispatcher.flush(later());
    auto all = server.wait_bodies(3);
    ASSERT_EQ(all.size(), 3u);
    auto last = batch_of(all[2]);
    ASSERT_EQ(last.size(), 500u);
    EXPECT_EQ(batch_of(all[0]).front().at("record"), "0");
    EXPECT_EQ(last.back().at("record"), "2499");
}

TEST_F(DispatcherTest, FlushDeliversWhatIsBufferedAndNothingWhenEmpty) {
    dispatcher.flush(later());  // no subscriber: returns at once
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port())));
    dispatcher.flush(later());
    EXPECT_TRUE(server.bodies().empty());
    dispatcher.emit(disp_line("one"));
    dispatcher.emit(disp_line("two"));
    dispatcher.flush(later());
    // flush() returns once the batch is delivered.
    auto bodies = server.bodies();
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"function:one", "function:two"}));
    dispatcher.flush(later());
    EXPECT_EQ(server.bodies().size(), 1u);
}

TEST_F(DispatcherTest, TimeoutDeliversWithoutFlush) {
    util::SystemClock real;
    Dispatcher on_real_time(real, false);
    Subscription s = http_subscription(server.port());
    s.buffering.timeout_ms = 25;
    ASSERT_FALSE(on_real_time.subscribe("ext", s));
    on_real_time.emit(disp_line("soon"));
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"function:soon"}));
    on_real_time.stop();
}

TEST_F(DispatcherTest, CloseSubscriptionsRefusesLaterSubscriptions) {
    ASSERT_FALSE(dispatcher.subscribe("early", http_subscription(server.port())));
    dispatcher.close_subscriptions();
    auto refused = dispatcher.subscribe("late", http_subscription(server.port()));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(refused->error_type, "Telemetry.SubscriptionClosed");
    EXPECT_EQ(refused->message, "Telemetry API subscription is closed already");
    auto refused_logs = dispatcher.subscribe("late", http_subscription(server.port(), Api::logs));
    ASSERT_TRUE(refused_logs);
    EXPECT_EQ(refused_logs->status, 403);
    EXPECT_EQ(refused_logs->error_type, "Logs.SubscriptionClosed");
    EXPECT_EQ(refused_logs->message, "Logs API subscription is closed already");
    // Even the same extension cannot change its subscription now.
    EXPECT_TRUE(dispatcher.subscribe("early", http_subscription(server.port())));
    // The subscriber from Init keeps receiving.
    dispatcher.emit(disp_line("invoke"));
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"function:invoke"}));
}

TEST_F(DispatcherTest, OneExtensionUsesOneApi) {
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port(), Api::telemetry)));
    auto refused = dispatcher.subscribe("ext", http_subscription(server.port(), Api::logs));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 400);
    EXPECT_EQ(refused->error_type, "ValidationError");
    // The same API again is accepted (idempotent) and does not replay the backlog twice.
    dispatcher.emit(disp_line("x"));
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port(), Api::telemetry)));
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_EQ(summary(bodies[0]), (std::vector<std::string>{"function:x"}));
}

TEST_F(DispatcherTest, FailedDeliveryIsReportedAsLogsDroppedWithTheNextBatch) {
    server.failing = true;
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port())));
    dispatcher.emit(disp_line("lost-1"));
    dispatcher.emit(disp_line("lost-2"));
    dispatcher.flush(later());
    auto failed = server.wait_bodies(1);
    ASSERT_EQ(failed.size(), 1u);
    std::size_t lost_bytes = 0;
    for (const auto& r : batch_of(failed[0])) lost_bytes += r.dump().size();

    server.failing = false;
    dispatcher.emit(disp_line("kept"));
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(2);
    ASSERT_EQ(bodies.size(), 2u);
    auto batch = batch_of(bodies[1]);
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].at("type"), "platform.logsDropped");
    EXPECT_EQ(batch[0].at("record").at("droppedRecords"), 2);
    EXPECT_EQ(batch[0].at("record").at("droppedBytes"), lost_bytes);
    EXPECT_EQ(batch[1].at("record"), "kept");

    // Once reported, the count starts again.
    dispatcher.emit(disp_line("next"));
    dispatcher.flush(later());
    auto after = server.wait_bodies(3);
    ASSERT_EQ(after.size(), 3u);
    EXPECT_EQ(summary(after[2]), (std::vector<std::string>{"function:next"}));
}

TEST_F(DispatcherTest, UnreachableDestinationCountsDropsUntilResubscribed) {
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(dead_port())));
    dispatcher.emit(disp_line("a"));
    dispatcher.flush(later());
    dispatcher.emit(disp_line("b"));
    dispatcher.emit(disp_line("c"));
    dispatcher.flush(later());
    // The extension subscribes again (still in Init) with a destination that answers.
    EXPECT_TRUE(server.bodies().empty());
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port())));
    dispatcher.emit(disp_line("d"));
    dispatcher.flush(later());
    auto bodies = server.wait_bodies(1);
    ASSERT_EQ(bodies.size(), 1u);
    auto batch = batch_of(bodies[0]);
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].at("type"), "platform.logsDropped");
    EXPECT_EQ(batch[0].at("record").at("droppedRecords"), 3);
    EXPECT_EQ(batch[1].at("record"), "d");
}

TEST_F(DispatcherTest, TcpDestinationGetsOneJsonRecordPerLine) {
    TcpReader reader;
    Subscription s = http_subscription(0);
    s.destination.protocol = Destination::Protocol::tcp;
    s.destination.port = reader.port();
    s.destination.path.clear();
    dispatcher.emit(disp_line("init line"));
    ASSERT_FALSE(dispatcher.subscribe("ext", s));
    dispatcher.emit(disp_line("second"));
    dispatcher.flush(later());
    auto lines = reader.read_lines(2);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_EQ(DispJson::parse(lines[0]).at("record"), "init line");
    EXPECT_EQ(DispJson::parse(lines[1]).at("record"), "second");
    // The connection stays open for the next batch.
    dispatcher.emit(disp_line("third"));
    dispatcher.flush(later());
    lines = reader.read_lines(3);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(DispJson::parse(lines[2]).at("record"), "third");
}

TEST_F(DispatcherTest, StopJoinsAndEndsDelivery) {
    ASSERT_FALSE(dispatcher.subscribe("ext", http_subscription(server.port())));
    dispatcher.emit(disp_line("buffered"));
    dispatcher.stop();
    // After stop: nothing is delivered, subscriptions are refused, flush returns at once.
    dispatcher.emit(disp_line("ignored"));
    dispatcher.flush(later());
    auto refused = dispatcher.subscribe("other", http_subscription(server.port()));
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->error_type, "Telemetry.SubscriptionClosed");
    dispatcher.stop();  // twice is fine
    EXPECT_TRUE(server.bodies().empty());
}

TEST_F(DispatcherTest, StopWithoutAnySubscriberReturns) {
    Dispatcher unused(clock, false);
    unused.emit(disp_line("x"));
    unused.stop();
}

}  // namespace

}  // namespace lambda_emu::telemetry
