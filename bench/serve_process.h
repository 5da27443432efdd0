// One `lambda-emu serve` for a scenario: started with --port 0, its stderr (the log) written to
// a file, its port read from the "serving ... on http://127.0.0.1:PORT" line. Stopped with
// SIGTERM (serve then ends its environments) when destroyed.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "util/result.h"

namespace lambda_emu::harness {

class ServeProcess {
  public:
    static util::Result<std::unique_ptr<ServeProcess>> start(
        const std::string& lambda_emu, const std::vector<std::string>& args,
        const std::string& log_path, const std::vector<std::string>& extra_env = {},
        std::chrono::milliseconds limit = std::chrono::seconds(30));
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    int port() const { return m_port; }
    pid_t pid() const { return m_pid; }
    // The log so far.
    std::string log() const;
    // Lines of the log that contain `needle`.
    int count_lines(const std::string& needle) const;
    // SIGTERM, SIGKILL after `grace`; the exit code (or -signal). Idempotent.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(10));

  private:
    ServeProcess(pid_t pid, std::string log_path) : m_pid(pid), m_log_path(std::move(log_path)) {}
    pid_t m_pid;
    std::string m_log_path;
    int m_port = 0;
    bool m_stopped = false;
    int m_exit = 0;
};

}  // namespace lambda_emu::harness
