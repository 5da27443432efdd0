#include "e2e/run_command.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <sstream>

extern char** environ;

namespace lambda_emu::testing {

namespace {

struct OwnedFd {
    int fd = -1;
    OwnedFd() = default;
    explicit OwnedFd(int f) : fd(f) {}
    OwnedFd(const OwnedFd&) = delete;
    OwnedFd& operator=(const OwnedFd&) = delete;
    ~OwnedFd() { reset(); }
    void reset() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

}  // namespace

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text,
                          std::chrono::milliseconds limit,
                          const std::vector<std::string>& extra_env) {
    CommandResult result;
    int in[2], out[2], err[2];
    if (::pipe2(in, O_CLOEXEC) || ::pipe2(out, O_CLOEXEC) || ::pipe2(err, O_CLOEXEC)) return result;
    OwnedFd in_r(in[0]), in_w(in[1]), out_r(out[0]), out_w(out[1]), err_r(err[0]), err_w(err[1]);

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_adddup2(&actions, in_r.fd, 0);
    ::posix_spawn_file_actions_adddup2(&actions, out_w.fd, 1);
    ::posix_spawn_file_actions_adddup2(&actions, err_w.fd, 2);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
    for (const auto& e : extra_env) env_strings.push_back(e);
    std::vector<char*> envp;
    for (auto& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);

    auto start = std::chrono::steady_clock::now();
    pid_t pid = -1;
    int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        result.err = std::string("spawn failed: ") + std::strerror(rc);
        return result;
    }
    in_r.reset();
    out_w.reset();
    err_w.reset();
    ::fcntl(in_w.fd, F_SETFL, O_NONBLOCK);

    std::size_t written = 0;
    if (stdin_text.empty()) in_w.reset();
    auto deadline = start + limit;
    while (out_r.fd >= 0 || err_r.fd >= 0) {
        pollfd fds[3];
        nfds_t n = 0;
        if (out_r.fd >= 0) fds[n++] = {out_r.fd, POLLIN, 0};
        if (err_r.fd >= 0) fds[n++] = {err_r.fd, POLLIN, 0};
        if (in_w.fd >= 0) fds[n++] = {in_w.fd, POLLOUT, 0};
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            ::kill(pid, SIGKILL);
            break;
        }
        int r = ::poll(fds, n, static_cast<int>(left.count()));
        if (r < 0 && errno != EINTR) break;
        for (nfds_t i = 0; i < n; ++i) {
            if (!fds[i].revents) continue;
            if (fds[i].fd == in_w.fd) {
                ssize_t w =
                    ::write(in_w.fd, stdin_text.data() + written, stdin_text.size() - written);
                if (w > 0) written += static_cast<std::size_t>(w);
                if (w < 0 || written == stdin_text.size()) in_w.reset();
                continue;
            }
            char buf[65536];
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            bool is_out = fds[i].fd == out_r.fd;
            if (got > 0) {
                (is_out ? result.out : result.err).append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                (is_out ? out_r : err_r).reset();
            }
        }
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.wall_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (WIFEXITED(status) && !result.timed_out) result.exit_code = WEXITSTATUS(status);
    return result;
}

std::string lambda_emu_bin() { return LAMBDA_EMU_BIN; }
std::string source_path(const std::string& relative) {
    return std::string(LAMBDA_EMU_SOURCE_DIR) + "/" + relative;
}
std::string build_path(const std::string& relative) {
    return std::string(LAMBDA_EMU_BINARY_DIR) + "/" + relative;
}

std::string read_file(const std::string& path) {
    // read(2), not a stream: reading /proc/PID/... of a process that exits meanwhile fails with
    // ESRCH, which libstdc++'s filebuf reports by throwing.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return "";
    std::string out;
    char buf[65536];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
        if (n > 0) out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return n < 0 ? "" : out;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix) {
    std::vector<std::string> out;
    for (auto& l : lines_of(text)) {
        if (l.rfind(prefix, 0) == 0) out.push_back(l);
    }
    return out;
}

int count_equal_lines(const std::string& text, const std::string& line) {
    auto all = lines_of(text);
    return static_cast<int>(std::count(all.begin(), all.end(), line));
}

int index_of_line(const std::string& text, const std::string& line) {
    auto all = lines_of(text);
    auto it = std::find(all.begin(), all.end(), line);
    return it == all.end() ? -1 : static_cast<int>(it - all.begin());
}

int index_of_line_starting(const std::string& text, const std::string& prefix) {
    auto all = lines_of(text);
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (all[i].rfind(prefix, 0) == 0) return static_cast<int>(i);
    }
    return -1;
}

int count_processes_with(const std::string& needle) {
    int count = 0;
    DIR* dir = ::opendir("/proc");
    if (!dir) return 0;
    while (dirent* e = ::readdir(dir)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string cmd = read_file(std::string("/proc/") + e->d_name + "/cmdline");
        for (auto& c : cmd) {
            if (c == '\0') c = ' ';
        }
        if (cmd.find(needle) != std::string::npos) ++count;
    }
    ::closedir(dir);
    return count;
}

}  // namespace lambda_emu::testing
