// Children of the harness: spawned with a clean signal mask, registered so that a signal to the
// harness (or its watchdog) ends them, and waited for with a limit. Long-lived ones (lambda-emu
// serve, the floor server) are tied to the harness: they get SIGTERM if it dies.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lambda_emu::harness {

struct SpawnSpec {
    std::vector<std::string> argv;                // argv[0] is the executable's path
    std::optional<std::vector<std::string>> env;  // nullopt: the harness's own
    std::vector<std::string> extra_env;           // added to the environment
    int stdin_fd = -1;                            // -1: /dev/null
    int stdout_fd = -1;                           // -1: /dev/null
    int stderr_fd = -1;                           // -1: /dev/null
    bool tied = false;  // fork+exec with PR_SET_PDEATHSIG=SIGTERM (call from the main thread)
};

// The child's pid, or -1 (errno says why). Registered until reap() or wait_exit() sees it end.
pid_t spawn(const SpawnSpec& spec);

// Waits up to `limit` for the child to exit; its exit code, -signal, or nullopt if still running.
std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit);

// Blocks until the child exits (for timing: no polling delay); its exit code or -signal.
int wait_blocking(pid_t pid);

// SIGTERM, then SIGKILL after `grace`; waits for it. Its exit code or -signal.
int terminate(pid_t pid, std::chrono::milliseconds grace);

// Blocks SIGINT/SIGTERM/SIGHUP in every thread (call first in main) and ends every registered
// child when one arrives, then exits. After `limit` the same happens (a run that hangs).
void install_cleanup(std::chrono::seconds limit);

// Every registered child: SIGKILL and reap (used by the cleanup and at exit).
void kill_all_children();

}  // namespace lambda_emu::harness
