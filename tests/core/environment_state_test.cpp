#include "core/environment_state.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

namespace lambda_emu::core {

namespace {

constexpr EnvState k_states[] = {EnvState::started, EnvState::init_error,    EnvState::ready,
                                 EnvState::running, EnvState::response_sent, EnvState::dead};
constexpr Transition k_transitions[] = {
    Transition::next,       Transition::invocation_response, Transition::invocation_error,
    Transition::init_error, Transition::hand_over,           Transition::exit};

// The complete table of allowed transitions; everything else is refused.
const std::set<std::pair<EnvState, Transition>>& allowed_table() {
    static const std::set<std::pair<EnvState, Transition>> table = {
        {EnvState::started, Transition::next},
        {EnvState::started, Transition::init_error},
        {EnvState::started, Transition::hand_over},
        {EnvState::started, Transition::exit},
        {EnvState::ready, Transition::next},
        {EnvState::ready, Transition::hand_over},
        {EnvState::ready, Transition::exit},
        {EnvState::running, Transition::next},
        {EnvState::running, Transition::invocation_response},
        {EnvState::running, Transition::invocation_error},
        {EnvState::running, Transition::exit},
        {EnvState::response_sent, Transition::next},
        {EnvState::response_sent, Transition::hand_over},
        {EnvState::response_sent, Transition::exit},
        {EnvState::init_error, Transition::exit},
        {EnvState::dead, Transition::exit},
    };
    return table;
}

}  // namespace

TEST(EnvironmentState, EveryTransitionIsAllowedOrRefusedPerTheTable) {
    for (EnvState s : k_states) {
        for (Transition t : k_transitions) {
            bool expected = allowed_table().count({s, t}) > 0;
            EXPECT_EQ(transition_allowed(s, t), expected)
                << state_name(s) << " -> " << transition_name(t);
        }
    }
}

TEST(EnvironmentState, AnswersAreOnlyAllowedWhileRunning) {
    for (EnvState s : k_states) {
        if (s == EnvState::running) continue;
        EXPECT_FALSE(transition_allowed(s, Transition::invocation_response)) << state_name(s);
        EXPECT_FALSE(transition_allowed(s, Transition::invocation_error)) << state_name(s);
    }
}

TEST(EnvironmentState, InitErrorOnlyBeforeTheFirstNext) {
    for (EnvState s : k_states) {
        EXPECT_EQ(transition_allowed(s, Transition::init_error), s == EnvState::started)
            << state_name(s);
    }
}

TEST(EnvironmentState, TerminalStatesRefuseEverythingButExit) {
    for (EnvState s : {EnvState::init_error, EnvState::dead}) {
        for (Transition t : k_transitions) {
            EXPECT_EQ(transition_allowed(s, t), t == Transition::exit)
                << state_name(s) << " -> " << transition_name(t);
        }
    }
}

TEST(EnvironmentState, ApplyGivesTheNextState) {
    EXPECT_EQ(apply(EnvState::started, Transition::next), EnvState::ready);
    EXPECT_EQ(apply(EnvState::ready, Transition::next), EnvState::ready);
    EXPECT_EQ(apply(EnvState::response_sent, Transition::next), EnvState::ready);
    // An extra poller while an invocation runs does not end the invocation.
    EXPECT_EQ(apply(EnvState::running, Transition::next), EnvState::running);

    EXPECT_EQ(apply(EnvState::ready, Transition::hand_over), EnvState::running);
    EXPECT_EQ(apply(EnvState::response_sent, Transition::hand_over), EnvState::running);
    EXPECT_EQ(apply(EnvState::started, Transition::hand_over), EnvState::running);

    EXPECT_EQ(apply(EnvState::running, Transition::invocation_response), EnvState::response_sent);
    EXPECT_EQ(apply(EnvState::running, Transition::invocation_error), EnvState::response_sent);
    EXPECT_EQ(apply(EnvState::started, Transition::init_error), EnvState::init_error);
    for (EnvState s : k_states) EXPECT_EQ(apply(s, Transition::exit), EnvState::dead);
}

TEST(EnvironmentState, RieStateAndTransitionNames) {
    EXPECT_STREQ(state_name(EnvState::started), "RuntimeStartedState");
    EXPECT_STREQ(state_name(EnvState::init_error), "RuntimeInitErrorState");
    EXPECT_STREQ(state_name(EnvState::ready), "RuntimeReadyState");
    EXPECT_STREQ(state_name(EnvState::running), "RuntimeRunningState");
    EXPECT_STREQ(state_name(EnvState::response_sent), "RuntimeResponseSentState");
    EXPECT_STREQ(state_name(EnvState::dead), "RuntimeExitedState");

    EXPECT_STREQ(transition_name(Transition::next), "Ready");
    EXPECT_STREQ(transition_name(Transition::invocation_response), "InvocationResponse");
    EXPECT_STREQ(transition_name(Transition::invocation_error), "InvocationErrorResponse");
    EXPECT_STREQ(transition_name(Transition::init_error), "InitError");
    EXPECT_STREQ(transition_name(Transition::hand_over), "Running");
    EXPECT_STREQ(transition_name(Transition::exit), "Exited");
}

TEST(EnvironmentState, RefusalMessageIsRieText) {
    EXPECT_EQ(refusal_message(EnvState::response_sent, Transition::invocation_response),
              "State transition from RuntimeResponseSentState to InvocationResponse failed for "
              "runtime. Error: State transition is not allowed");
    EXPECT_EQ(refusal_message(EnvState::ready, Transition::invocation_error),
              "State transition from RuntimeReadyState to InvocationErrorResponse failed for "
              "runtime. Error: State transition is not allowed");
    EXPECT_EQ(refusal_message(EnvState::ready, Transition::init_error),
              "State transition from RuntimeReadyState to InitError failed for runtime. Error: "
              "State transition is not allowed");
}

}  // namespace lambda_emu::core
