#include "frontend/http_listener.h"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

namespace lambda_emu::frontend {

namespace {

std::unique_ptr<HttpListener> bound_listener() {
    auto listener = HttpListener::bind(
        "127.0.0.1", 0, [](const ApiRequest&) { return ApiResponse{}; }, 2);
    EXPECT_TRUE(listener.ok());
    return listener.ok() ? std::move(listener.value()) : nullptr;
}

// Whether serve() (begun on its own thread) returns within the limit; if not, the listener is
// stopped again so that the test ends.
bool returns_within(std::future<void>& serving, HttpListener& listener,
                    std::chrono::seconds limit) {
    bool returned = serving.wait_for(limit) == std::future_status::ready;
    if (!returned) listener.stop();
    return returned;
}

// A signal can stop serving before the listen loop runs: that stop is not lost.
TEST(HttpListener, AStopBeforeServeMakesServeReturnAtOnce) {
    auto listener = bound_listener();
    ASSERT_TRUE(listener);
    listener->stop();
    auto serving = std::async(std::launch::async, [&listener] { listener->serve(); });
    EXPECT_TRUE(returns_within(serving, *listener, std::chrono::seconds(5)));
}

TEST(HttpListener, AStopWhileServingEndsIt) {
    auto listener = bound_listener();
    ASSERT_TRUE(listener);
    auto serving = std::async(std::launch::async, [&listener] { listener->serve(); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    listener->stop();
    EXPECT_TRUE(returns_within(serving, *listener, std::chrono::seconds(5)));
}

TEST(HttpListener, AStopRightAfterServeBeganIsNotLost) {
    for (int i = 0; i < 50; ++i) {
        auto listener = bound_listener();
        ASSERT_TRUE(listener);
        auto serving = std::async(std::launch::async, [&listener] { listener->serve(); });
        listener->stop();
        ASSERT_TRUE(returns_within(serving, *listener, std::chrono::seconds(5))) << i;
    }
}

}  // namespace

}  // namespace lambda_emu::frontend
