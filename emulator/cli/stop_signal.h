// SIGINT, SIGTERM and SIGHUP go to one thread. With a stop handler set (serve), the first signal
// asks for a graceful stop and a second one ends the program; without one, every runtime
// process group is killed and the program ends at once. Either way no child outlives lambda-emu.
#pragma once

#include <functional>

namespace lambda_emu::cli {

void install_stop_signal_thread();
// Returns once no previously set handler is running.
void set_stop_handler(std::function<void()> handler);

}  // namespace lambda_emu::cli
