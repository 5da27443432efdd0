// A long-running command under test (lambda-emu serve): started with pipes, its stderr collected
// by a thread, stopped with a signal, and never left running after the test.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace lambda_emu::testing {

class BackgroundProcess {
  public:
    explicit BackgroundProcess(const std::vector<std::string>& argv,
                               const std::vector<std::string>& extra_env = {});
    ~BackgroundProcess();
    BackgroundProcess(const BackgroundProcess&) = delete;
    BackgroundProcess& operator=(const BackgroundProcess&) = delete;

    pid_t pid() const { return m_pid; }
    // Waits until stderr has a line matching `pattern`; its first capture group (or the line).
    std::optional<std::string> wait_for(const std::regex& pattern,
                                        std::chrono::milliseconds limit = std::chrono::seconds(20));
    // Everything written to stderr so far.
    std::string err();
    std::string out();
    // Sends `sig`, waits up to `limit` for the exit; the exit code, or -1 (then it is killed).
    int stop(int sig, std::chrono::milliseconds limit = std::chrono::seconds(20));

  private:
    void read_loop();

    pid_t m_pid = -1;
    int m_out = -1;
    int m_err = -1;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::string m_err_text;
    std::string m_out_text;
    bool m_eof = false;
    std::thread m_reader;
    std::optional<int> m_exit;
};

// Starts `lambda-emu serve --port 0 ARGS...` and waits for its "serving" line.
struct Server {
    std::unique_ptr<BackgroundProcess> process;
    int port = 0;
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};
Server start_serve(const std::vector<std::string>& args);
// The same for another serving command (watch).
Server start_lambda_emu(const std::string& command, const std::vector<std::string>& args,
                        std::chrono::milliseconds limit = std::chrono::seconds(20),
                        const std::vector<std::string>& extra_env = {});

// A file descriptor count and resident memory of a process, from /proc.
int open_fd_count(pid_t pid);
long rss_kb(pid_t pid);

}  // namespace lambda_emu::testing
