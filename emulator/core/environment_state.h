// The Runtime API state machine of one execution environment. Every transition not listed in
// environment_state.cpp is refused, as RIE's core/states.go refuses it.
#pragma once

#include <string>

namespace lambda_emu::core {

enum class EnvState {
    started,        // spawned, Init running, no /next yet
    init_error,     // the runtime posted /init/error
    ready,          // the runtime is (or will be) waiting on /next
    running,        // an invocation is handed over and unanswered
    response_sent,  // answered; the runtime has not come back to /next yet
    dead,           // exited, killed or shut down
};

enum class Transition { next, invocation_response, invocation_error, init_error, hand_over, exit };

// The state after `t`, or nothing when `t` is not allowed from `from`.
bool transition_allowed(EnvState from, Transition t);
EnvState apply(EnvState from, Transition t);

// RIE-style names, for the InvalidStateTransition message.
const char* state_name(EnvState s);
const char* transition_name(Transition t);
// "State transition from RuntimeResponseSentState to InvocationResponse failed for runtime.
//  Error: State transition is not allowed"
std::string refusal_message(EnvState from, Transition t);

}  // namespace lambda_emu::core
