// The external extensions of one environment as processes: each started in its own process
// group with the environment the service gives extensions, its output passed on line by line
// and its exit noticed, by a monitor thread of its own.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "supervisor/process.h"
#include "util/clock.h"
#include "util/result.h"

namespace lambda_emu::sandbox {

// The runtime's environment without what the service withholds from extensions
// (lambda-facts section 2: _HANDLER, LAMBDA_TASK_ROOT, AWS_EXECUTION_ENV...).
std::vector<std::string> extension_environment(const std::vector<std::string>& runtime_env);

class ExtensionProcesses {
  public:
    using LineFn = std::function<void(const std::string& name, std::string_view line)>;
    using ExitFn = std::function<void(const std::string& name, const supervisor::ExitStatus&)>;

    ExtensionProcesses(LineFn on_line, ExitFn on_exit);
    ~ExtensionProcesses();
    ExtensionProcesses(const ExtensionProcesses&) = delete;
    ExtensionProcesses& operator=(const ExtensionProcesses&) = delete;

    // Starts the executable at `path` (its name is the file name) in `working_dir`.
    util::Status launch(const std::string& path, const std::vector<std::string>& env,
                        const std::string& working_dir);
    std::size_t size() const { return m_processes.size(); }
    // The leaders' process ids (for the environment's memory).
    std::vector<pid_t> pids() const;
    // Until every extension process has exited, or the deadline (true when all have).
    bool wait_exited(const util::Clock& clock, util::SteadyTime deadline) const;
    // SIGKILL to the groups of the extensions not named in `keep`.
    void kill_except(const std::vector<std::string>& keep);
    // Delivers what every extension has written so far.
    void flush();
    // SIGKILL every group, reap, and stop the monitors. Idempotent.
    void kill_all();

  private:
    struct Process;
    LineFn m_on_line;
    ExitFn m_on_exit;
    std::vector<std::unique_ptr<Process>> m_processes;
};

}  // namespace lambda_emu::sandbox
