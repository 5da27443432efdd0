// The subcommand table. Each command adds itself to the CLI11 app and returns the exit status
// through its run function; cli/ is the only module that knows CLI11.
#pragma once

#include <functional>
#include <memory>

namespace CLI {
class App;
}

namespace lambda_emu::cli {

// Exit statuses.
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_function_failed = 1;
inline constexpr int k_exit_usage = 2;

struct Registered {
    CLI::App* app = nullptr;
    std::function<int()> run;  // called after parsing when this subcommand was chosen
};

struct Command {
    // Registers the subcommand and its options on the parent app.
    std::function<Registered(CLI::App& parent)> add;
};

Command invoke_command();
Command serve_command();
Command event_command();
Command watch_command();
Command test_command();
Command bench_command();
Command report_command();

}  // namespace lambda_emu::cli
