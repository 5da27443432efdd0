#include "e2e/background_process.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <memory>

#include "e2e/run_command.h"

extern char** environ;

namespace lambda_emu::testing {

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const std::vector<std::string>& extra_env) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) return;
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    ::posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    for (const auto& e : extra_env) env_strings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::posix_spawnp(&m_pid, args[0], &actions, nullptr, args.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    m_out = out[0];
    m_err = err[0];
    m_reader = std::thread([this] { read_loop(); });
}

BackgroundProcess::~BackgroundProcess() {
    if (m_pid > 0 && !m_exit) stop(SIGKILL, std::chrono::seconds(5));
    if (m_reader.joinable()) m_reader.join();
    if (m_out >= 0) ::close(m_out);
    if (m_err >= 0) ::close(m_err);
}

void BackgroundProcess::read_loop() {
    bool out_open = true, err_open = true;
    char buf[65536];
    while (out_open || err_open) {
        pollfd fds[2];
        nfds_t n = 0;
        if (out_open) fds[n++] = {m_out, POLLIN, 0};
        if (err_open) fds[n++] = {m_err, POLLIN, 0};
        if (::poll(fds, n, -1) < 0) continue;
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            std::lock_guard lock(m_mutex);
            if (got <= 0) {
                (fds[i].fd == m_out ? out_open : err_open) = false;
                continue;
            }
            (fds[i].fd == m_out ? m_out_text : m_err_text)
                .append(buf, static_cast<std::size_t>(got));
            m_cv.notify_all();
        }
    }
    std::lock_guard lock(m_mutex);
    m_eof = true;
    m_cv.notify_all();
}

std::optional<std::string> BackgroundProcess::wait_for(const std::regex& pattern,
                                                       std::chrono::milliseconds limit) {
    std::unique_lock lock(m_mutex);
    std::optional<std::string> found;
    m_cv.wait_for(lock, limit, [&] {
        for (const auto& line : lines_of(m_err_text)) {
            std::smatch m;
            if (std::regex_search(line, m, pattern)) {
                found = m.size() > 1 ? m[1].str() : line;
                return true;
            }
        }
        return m_eof;
    });
    return found;
}

std::string BackgroundProcess::err() {
    std::lock_guard lock(m_mutex);
    return m_err_text;
}

std::string BackgroundProcess::out() {
    std::lock_guard lock(m_mutex);
    return m_out_text;
}

int BackgroundProcess::stop(int sig, std::chrono::milliseconds limit) {
    if (m_exit) return *m_exit;
    ::kill(m_pid, sig);
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    for (;;) {
        pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid) break;
        if (std::chrono::steady_clock::now() > deadline) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
            m_exit = -1;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return *m_exit;
}

Server start_serve(const std::vector<std::string>& args) { return start_lambda_emu("serve", args); }

Server start_lambda_emu(const std::string& command, const std::vector<std::string>& args,
                        std::chrono::milliseconds limit,
                        const std::vector<std::string>& extra_env) {
    std::vector<std::string> argv = {lambda_emu_bin(), command, "--port", "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    Server s;
    s.process = std::make_unique<BackgroundProcess>(argv, extra_env);
    auto port =
        s.process->wait_for(std::regex(R"(serving .* on http://127\.0\.0\.1:(\d+))"), limit);
    if (port) s.port = std::stoi(*port);
    return s;
}

int open_fd_count(pid_t pid) {
    int n = 0;
    DIR* d = ::opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
    if (!d) return -1;
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] != '.') ++n;
    }
    ::closedir(d);
    return n;
}

long rss_kb(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    }
    return -1;
}

}  // namespace lambda_emu::testing
