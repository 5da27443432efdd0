#include "core/environment_state.h"

namespace lambda_emu::core {

bool transition_allowed(EnvState from, Transition t) {
    if (t == Transition::exit) return true;
    switch (from) {
        case EnvState::started:
            return t == Transition::next || t == Transition::init_error ||
                   t == Transition::hand_over;
        case EnvState::ready:
            return t == Transition::next || t == Transition::hand_over;
        case EnvState::running:
            // Extra pollers may wait on /next while an invocation runs; they get the next one.
            return t == Transition::next || t == Transition::invocation_response ||
                   t == Transition::invocation_error;
        case EnvState::response_sent:
            return t == Transition::next || t == Transition::hand_over;
        case EnvState::init_error:
        case EnvState::dead:
            return false;
    }
    return false;
}

EnvState apply(EnvState from, Transition t) {
    switch (t) {
        case Transition::exit:
            return EnvState::dead;
        case Transition::init_error:
            return EnvState::init_error;
        case Transition::invocation_response:
        case Transition::invocation_error:
            return EnvState::response_sent;
        case Transition::hand_over:
            return EnvState::running;
        case Transition::next:
            return from == EnvState::running ? EnvState::running : EnvState::ready;
    }
    return from;
}

const char* state_name(EnvState s) {
    switch (s) {
        case EnvState::started:
            return "RuntimeStartedState";
        case EnvState::init_error:
            return "RuntimeInitErrorState";
        case EnvState::ready:
            return "RuntimeReadyState";
        case EnvState::running:
            return "RuntimeRunningState";
        case EnvState::response_sent:
            return "RuntimeResponseSentState";
        case EnvState::dead:
            return "RuntimeExitedState";
    }
    return "RuntimeUnknownState";
}

const char* transition_name(Transition t) {
    switch (t) {
        case Transition::next:
            return "Ready";
        case Transition::invocation_response:
            return "InvocationResponse";
        case Transition::invocation_error:
            return "InvocationErrorResponse";
        case Transition::init_error:
            return "InitError";
        case Transition::hand_over:
            return "Running";
        case Transition::exit:
            return "Exited";
    }
    return "Unknown";
}

std::string refusal_message(EnvState from, Transition t) {
    return std::string("State transition from ") + state_name(from) + " to " + transition_name(t) +
           " failed for runtime. Error: State transition is not allowed";
}

}  // namespace lambda_emu::core
