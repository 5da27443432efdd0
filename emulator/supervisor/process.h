// Child processes: posix_spawn into their own process group, stdin from /dev/null, stdout and
// stderr to pipes, a pidfd to watch for the exit. The owner of a ChildProcess owns the whole
// group: destroying it kills and reaps. Knows nothing of Lambda.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "util/fd.h"
#include "util/result.h"

namespace lambda_emu::supervisor {

struct SpawnSpec {
    std::string executable;
    std::vector<std::string> argv;  // argv[0] included
    std::vector<std::string> env;   // "KEY=VALUE"
    std::string working_dir;        // empty: inherit
    // stdout and stderr to /dev/null instead of pipes: the child then has no output to read.
    bool discard_output = false;
};

// How a process ended.
struct ExitStatus {
    bool signaled = false;
    int code = 0;  // exit code, or the signal number when signaled

    // "exit status 1", "signal: killed", "signal: segmentation fault" (Go's os.ProcessState words).
    std::string describe() const;
};

class ChildProcess {
  public:
    ChildProcess() = default;
    ChildProcess(ChildProcess&& other) noexcept;
    ChildProcess& operator=(ChildProcess&&) noexcept;
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;
    ~ChildProcess();

    pid_t pid() const { return m_pid; }
    int pidfd() const { return m_pidfd.get(); }
    util::Fd& stdout_fd() { return m_stdout; }
    util::Fd& stderr_fd() { return m_stderr; }

    // Signal every process of the group.
    void signal_group(int sig) const;
    // Reap the leader if it has exited; the status once known.
    std::optional<ExitStatus> try_reap();
    std::optional<ExitStatus> exit_status() const { return m_status; }
    // SIGKILL the group and reap the leader.
    void kill_and_reap();

  private:
    friend util::Result<ChildProcess> spawn(const SpawnSpec& spec);
    pid_t m_pid = -1;
    util::Fd m_pidfd;
    util::Fd m_stdout;
    util::Fd m_stderr;
    std::optional<ExitStatus> m_status;
};

util::Result<ChildProcess> spawn(const SpawnSpec& spec);

// SIGKILL the process group of every live ChildProcess: the last act of a program that is being
// interrupted, so that no runtime outlives it.
void kill_all_process_groups();

}  // namespace lambda_emu::supervisor
