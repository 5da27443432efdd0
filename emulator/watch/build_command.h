// A function's build command (`--build "cargo build --release"`): run with /bin/sh -c in a
// directory, its output passed on line by line as it comes, timed.
#pragma once

#include <sys/types.h>

#include <functional>
#include <mutex>
#include <string>

namespace lambda_emu::watch {

struct BuildResult {
    bool ok = false;
    std::string failure;  // "exit status 1", or why it could not start
    double seconds = 0;
};

// Runs `command` to its end; every line of its stdout and stderr goes to on_line as it arrives.
// cancel() (from another thread) kills it.
class BuildCommand {
  public:
    BuildCommand(std::string command, std::string directory)
        : m_command(std::move(command)), m_directory(std::move(directory)) {}
    BuildResult run(const std::function<void(const std::string& line)>& on_line);
    // Kills a run in progress (its whole process group); it returns with ok false.
    void cancel();
    const std::string& command() const { return m_command; }

  private:
    std::string m_command;
    std::string m_directory;
    std::mutex m_mutex;
    pid_t m_running = -1;  // the process group of the run in progress
    bool m_cancelled = false;
};

}  // namespace lambda_emu::watch
