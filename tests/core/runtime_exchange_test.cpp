#include "core/runtime_exchange.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <future>
#include <optional>
#include <string>

#include "util/clock.h"

namespace lambda_emu::core {

namespace {

using namespace std::chrono_literals;
using Polled = std::optional<model::Invocation>;

// Long enough never to be reached when the code is right; waits return as soon as their
// condition holds.
constexpr auto k_generous = 10s;
constexpr auto k_quick = 5s;

model::Invocation invocation(const std::string& id, const std::string& payload = "{}") {
    model::Invocation inv;
    inv.request_id = id;
    inv.payload = payload;
    inv.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
    return inv;
}

RuntimeAnswer response(const std::string& body) {
    RuntimeAnswer a;
    a.kind = RuntimeAnswer::Kind::response;
    a.body = body;
    a.body_bytes = body.size();
    return a;
}

RuntimeAnswer error(const std::string& type, const std::string& body) {
    RuntimeAnswer a;
    a.kind = RuntimeAnswer::Kind::error;
    a.error_type = type;
    a.body = body;
    return a;
}

const std::string k_refused_second_response =
    "State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. "
    "Error: State transition is not allowed";

class RuntimeExchangeTest : public ::testing::Test {
  protected:
    void TearDown() override {
        // Release every poller still blocked in next() before the futures join them.
        exchange.close();
        for (auto& p : m_polls) {
            if (p.valid()) p.wait();
        }
    }

    // GET /next on a real thread; blocks until an invocation is handed over.
    std::future<Polled>& poll() {
        m_polls.push_back(std::async(std::launch::async, [this] { return exchange.next(); }));
        return m_polls.back();
    }

    // Until a poller is blocked inside next().
    void wait_for_poller() {
        ASSERT_EQ(exchange.wait_back(clock.steady_now() + k_generous), WaitResult::ready);
    }

    // Brings the exchange to `running` with invocation `id`.
    void hand_over(const std::string& id) {
        auto& polled = poll();
        wait_for_poller();
        exchange.submit(invocation(id));
        ASSERT_EQ(polled.wait_for(k_quick), std::future_status::ready);
        auto got = polled.get();
        ASSERT_TRUE(got.has_value());
        ASSERT_EQ(got->request_id, id);
    }

    static bool finished(std::future<Polled>& f, std::chrono::milliseconds within) {
        return f.wait_for(within) == std::future_status::ready;
    }

    util::ManualClock clock;
    RuntimeExchange exchange{clock};

  private:
    std::deque<std::future<Polled>> m_polls;
};

}  // namespace

TEST_F(RuntimeExchangeTest, StartsInStartedState) {
    EXPECT_EQ(exchange.state(), EnvState::started);
    EXPECT_FALSE(exchange.is_current("anything"));
    EXPECT_FALSE(exchange.exit_info().has_value());
}

TEST_F(RuntimeExchangeTest, WaitInitTimesOutWithoutAFirstNext) {
    EXPECT_EQ(exchange.wait_init(clock.steady_now() - 1ms), WaitResult::timed_out);
    EXPECT_EQ(exchange.wait_init(clock.steady_now()), WaitResult::timed_out);
}

TEST_F(RuntimeExchangeTest, FirstNextMakesInitReady) {
    clock.advance(100ms);
    auto& polled = poll();
    EXPECT_EQ(exchange.wait_init(clock.steady_now() + k_generous), WaitResult::ready);
    EXPECT_EQ(exchange.state(), EnvState::ready);
    EXPECT_EQ(exchange.first_next_at(), util::SteadyTime{} + 100ms);
    EXPECT_FALSE(finished(polled, 0ms)) << "next() must block until an invocation arrives";
}

TEST_F(RuntimeExchangeTest, InitErrorIsReportedAndRefusedTheSecondTime) {
    auto first = exchange.init_error("Runtime.ImportModuleError", R"({"errorMessage":"no"})");
    EXPECT_EQ(first.status, PostStatus::accepted);
    EXPECT_EQ(exchange.wait_init(clock.steady_now() + k_generous), WaitResult::init_error);
    EXPECT_EQ(exchange.state(), EnvState::init_error);
    EXPECT_EQ(exchange.init_error_type(), "Runtime.ImportModuleError");
    EXPECT_EQ(exchange.init_error_body(), R"({"errorMessage":"no"})");

    auto second = exchange.init_error("Runtime.Other", "{}");
    EXPECT_EQ(second.status, PostStatus::invalid_state);
    EXPECT_EQ(second.message,
              "State transition from RuntimeInitErrorState to InitError failed for runtime. Error: "
              "State transition is not allowed");
    EXPECT_EQ(exchange.init_error_type(), "Runtime.ImportModuleError");
    // A runtime in init_error gets nothing from /next.
    EXPECT_FALSE(exchange.next().has_value());
}

TEST_F(RuntimeExchangeTest, InitErrorAfterTheFirstNextIsRefused) {
    poll();
    wait_for_poller();
    auto result = exchange.init_error("Runtime.Late", "{}");
    EXPECT_EQ(result.status, PostStatus::invalid_state);
    EXPECT_EQ(result.message,
              "State transition from RuntimeReadyState to InitError failed for runtime. Error: "
              "State transition is not allowed");
    EXPECT_EQ(exchange.state(), EnvState::ready);
}

TEST_F(RuntimeExchangeTest, SubmitHandsTheInvocationToABlockedNext) {
    auto& polled = poll();
    wait_for_poller();
    clock.advance(50ms);
    model::Invocation inv = invocation("id-1", R"({"key":"value"})");
    inv.trace_id = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
    inv.deadline = util::SystemTime{std::chrono::milliseconds(1542409706888)};
    exchange.submit(inv);
    ASSERT_TRUE(finished(polled, k_quick));
    auto got = polled.get();
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->request_id, "id-1");
    EXPECT_EQ(got->payload, R"({"key":"value"})");
    EXPECT_EQ(got->trace_id, inv.trace_id);
    EXPECT_EQ(got->deadline, inv.deadline);
    EXPECT_EQ(exchange.state(), EnvState::running);
    EXPECT_TRUE(exchange.is_current("id-1"));
    EXPECT_FALSE(exchange.is_current("id-2"));
    EXPECT_FALSE(exchange.is_current(""));
    EXPECT_EQ(exchange.handed_over_at(), util::SteadyTime{} + 50ms);
}

TEST_F(RuntimeExchangeTest, InvocationSubmittedBeforeTheFirstNextIsPickedUp) {
    exchange.submit(invocation("early"));
    auto got = exchange.next();  // must not block: the invocation is already waiting
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->request_id, "early");
    EXPECT_EQ(exchange.state(), EnvState::running);
}

TEST_F(RuntimeExchangeTest, AnswerForTheCurrentIdIsAccepted) {
    hand_over("id-1");
    clock.advance(20ms);
    auto first = exchange.answer("id-1", response("hello"));
    EXPECT_EQ(first.status, PostStatus::accepted);
    EXPECT_EQ(exchange.state(), EnvState::response_sent);
    EXPECT_EQ(exchange.answered_at(), util::SteadyTime{} + 20ms);
    EXPECT_FALSE(exchange.is_current("id-1"));

    EXPECT_EQ(exchange.wait_answer(clock.steady_now() + k_generous), WaitResult::answered);
    RuntimeAnswer answer = exchange.take_answer();
    EXPECT_EQ(answer.kind, RuntimeAnswer::Kind::response);
    EXPECT_EQ(answer.body, "hello");
    EXPECT_EQ(answer.body_bytes, 5u);
    // Taken: nothing left.
    EXPECT_EQ(exchange.take_answer().body, "");
    EXPECT_EQ(exchange.wait_answer(clock.steady_now()), WaitResult::timed_out);
}

TEST_F(RuntimeExchangeTest, SecondAnswerIsAnInvalidStateTransition) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("first")).status, PostStatus::accepted);

    auto second = exchange.answer("id-1", response("second"));
    EXPECT_EQ(second.status, PostStatus::invalid_state);
    EXPECT_EQ(second.message, k_refused_second_response);

    auto as_error = exchange.answer("id-1", error("Runtime.X", "{}"));
    EXPECT_EQ(as_error.status, PostStatus::invalid_state);
    EXPECT_EQ(as_error.message,
              "State transition from RuntimeResponseSentState to InvocationErrorResponse failed "
              "for runtime. Error: State transition is not allowed");
    // The first answer wins.
    EXPECT_EQ(exchange.take_answer().body, "first");
}

TEST_F(RuntimeExchangeTest, ErrorAnswerIsKeptWithItsType) {
    hand_over("id-1");
    auto result = exchange.answer("id-1", error("Runtime.HandlerError", R"({"errorMessage":"x"})"));
    EXPECT_EQ(result.status, PostStatus::accepted);
    ASSERT_EQ(exchange.wait_answer(clock.steady_now()), WaitResult::answered);
    RuntimeAnswer answer = exchange.take_answer();
    EXPECT_EQ(answer.kind, RuntimeAnswer::Kind::error);
    EXPECT_EQ(answer.error_type, "Runtime.HandlerError");
    EXPECT_EQ(answer.body, R"({"errorMessage":"x"})");
}

TEST_F(RuntimeExchangeTest, UnknownOrEmptyIdIsAnInvalidRequestId) {
    hand_over("id-1");
    EXPECT_EQ(exchange.answer("someone-else", response("x")).status,
              PostStatus::invalid_request_id);
    EXPECT_EQ(exchange.answer("", response("x")).status, PostStatus::invalid_request_id);
    // Still running, still answerable.
    EXPECT_EQ(exchange.state(), EnvState::running);
    EXPECT_EQ(exchange.answer("id-1", response("ok")).status, PostStatus::accepted);
}

TEST_F(RuntimeExchangeTest, AnswerBeforeAnyInvocationIsAnInvalidRequestId) {
    EXPECT_EQ(exchange.answer("id-1", response("x")).status, PostStatus::invalid_request_id);
    EXPECT_EQ(exchange.answer("", response("x")).status, PostStatus::invalid_request_id);
    EXPECT_EQ(exchange.state(), EnvState::started);
}

TEST_F(RuntimeExchangeTest, SecondAnswerAfterTheRuntimeIsBackOnNext) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("first")).status, PostStatus::accepted);
    poll();
    wait_for_poller();
    auto late = exchange.answer("id-1", response("again"));
    EXPECT_EQ(late.status, PostStatus::invalid_state);
    EXPECT_EQ(late.message,
              "State transition from RuntimeReadyState to InvocationResponse failed for runtime. "
              "Error: State transition is not allowed");
}

// Once the next invocation has been handed over, the previous id is no longer the active one:
// RIE's AwsRequestIDValidator answers 400 InvalidRequestID ("stale request ID", lambda-facts
// section 1).
TEST_F(RuntimeExchangeTest, StaleIdOfThePreviousInvocationIsAnInvalidRequestId) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("first")).status, PostStatus::accepted);
    hand_over("id-2");
    auto stale = exchange.answer("id-1", response("late"));
    EXPECT_EQ(stale.status, PostStatus::invalid_request_id) << stale.message;
    // The current invocation is unaffected.
    EXPECT_EQ(exchange.answer("id-2", response("second")).status, PostStatus::accepted);
    EXPECT_EQ(exchange.take_answer().body, "second");
}

TEST_F(RuntimeExchangeTest, WaitAnswerTimesOutAtADeadlineInThePast) {
    hand_over("id-1");
    clock.advance(3s);
    EXPECT_EQ(exchange.wait_answer(clock.steady_now() - 1ms), WaitResult::timed_out);
    EXPECT_EQ(exchange.wait_answer(util::SteadyTime{}), WaitResult::timed_out);
    EXPECT_EQ(exchange.state(), EnvState::running);
}

TEST_F(RuntimeExchangeTest, RuntimeExitWakesWaitAnswer) {
    hand_over("id-1");
    auto waiting = std::async(std::launch::async, [this] {
        return exchange.wait_answer(clock.steady_now() + k_generous);
    });
    exchange.runtime_exited(RuntimeExit{false, "exit status 1"});
    ASSERT_EQ(waiting.wait_for(k_quick), std::future_status::ready);
    EXPECT_EQ(waiting.get(), WaitResult::exited);
    EXPECT_EQ(exchange.state(), EnvState::dead);
    auto info = exchange.exit_info();
    ASSERT_TRUE(info.has_value());
    EXPECT_FALSE(info->clean);
    EXPECT_EQ(info->description, "exit status 1");
    // A dead environment hands nothing out and refuses answers.
    EXPECT_FALSE(exchange.next().has_value());
    EXPECT_NE(exchange.answer("id-1", response("late")).status, PostStatus::accepted);
}

TEST_F(RuntimeExchangeTest, RuntimeExitWakesABlockedNext) {
    auto& polled = poll();
    wait_for_poller();
    exchange.runtime_exited(RuntimeExit{true, "exit status 0"});
    ASSERT_TRUE(finished(polled, k_quick));
    EXPECT_FALSE(polled.get().has_value());
}

TEST_F(RuntimeExchangeTest, RuntimeExitDuringInit) {
    exchange.runtime_exited(RuntimeExit{false, "signal: killed"});
    EXPECT_EQ(exchange.wait_init(clock.steady_now() + k_generous), WaitResult::exited);
    EXPECT_EQ(exchange.init_error("Runtime.X", "{}").status, PostStatus::invalid_state);
}

TEST_F(RuntimeExchangeTest, CloseWakesABlockedNext) {
    auto& polled = poll();
    wait_for_poller();
    EXPECT_FALSE(finished(polled, 0ms));
    exchange.close();
    ASSERT_TRUE(finished(polled, k_quick));
    EXPECT_FALSE(polled.get().has_value());
    // Closed for good.
    EXPECT_FALSE(exchange.next().has_value());
}

TEST_F(RuntimeExchangeTest, CloseWakesEveryWaiter) {
    auto init = std::async(std::launch::async,
                           [this] { return exchange.wait_init(clock.steady_now() + k_generous); });
    exchange.close();
    ASSERT_EQ(init.wait_for(k_quick), std::future_status::ready);
    EXPECT_EQ(init.get(), WaitResult::closed);
    EXPECT_EQ(exchange.wait_answer(clock.steady_now() + k_generous), WaitResult::closed);
    EXPECT_EQ(exchange.wait_back(clock.steady_now() + k_generous), WaitResult::closed);
}

TEST_F(RuntimeExchangeTest, WaitBackIsReadyWhenThePollerReturns) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("ok")).status, PostStatus::accepted);
    // Nobody is polling yet.
    EXPECT_EQ(exchange.wait_back(clock.steady_now() - 1ms), WaitResult::timed_out);

    auto back = std::async(std::launch::async,
                           [this] { return exchange.wait_back(clock.steady_now() + k_generous); });
    poll();
    ASSERT_EQ(back.wait_for(k_quick), std::future_status::ready);
    EXPECT_EQ(back.get(), WaitResult::ready);
    EXPECT_EQ(exchange.state(), EnvState::ready);
}

TEST_F(RuntimeExchangeTest, WaitBackReportsAnExit) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("ok")).status, PostStatus::accepted);
    exchange.runtime_exited(RuntimeExit{false, "signal: segmentation fault"});
    EXPECT_EQ(exchange.wait_back(clock.steady_now() + k_generous), WaitResult::exited);
}

TEST_F(RuntimeExchangeTest, TwoInvocationsInARow) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("one")).status, PostStatus::accepted);
    ASSERT_EQ(exchange.take_answer().body, "one");
    hand_over("id-2");
    EXPECT_TRUE(exchange.is_current("id-2"));
    ASSERT_EQ(exchange.answer("id-2", response("two")).status, PostStatus::accepted);
    EXPECT_EQ(exchange.wait_answer(clock.steady_now()), WaitResult::answered);
    EXPECT_EQ(exchange.take_answer().body, "two");
}

TEST_F(RuntimeExchangeTest, SubmitClearsAnUntakenAnswer) {
    hand_over("id-1");
    ASSERT_EQ(exchange.answer("id-1", response("stale")).status, PostStatus::accepted);
    auto& polled = poll();
    wait_for_poller();
    exchange.submit(invocation("id-2"));
    ASSERT_TRUE(finished(polled, k_quick));
    EXPECT_EQ(exchange.wait_answer(clock.steady_now()), WaitResult::timed_out);
}

}  // namespace lambda_emu::core
