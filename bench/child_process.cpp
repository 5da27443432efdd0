#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>

extern char** environ;

namespace lambda_emu::harness {

namespace {

std::mutex g_mutex;
std::set<pid_t> g_children;

void register_child(pid_t pid) {
    std::lock_guard lock(g_mutex);
    g_children.insert(pid);
}

void unregister_child(pid_t pid) {
    std::lock_guard lock(g_mutex);
    g_children.erase(pid);
}

int decode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status); }

std::vector<char*> c_strings(std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (auto& s : strings) out.push_back(s.data());
    out.push_back(nullptr);
    return out;
}

pid_t fork_tied(char* const* argv, char* const* envp, int in, int out, int err) {
    const pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid != 0) return pid;
    // The child: only async-signal-safe calls until execve.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(127);
    sigset_t none;
    ::sigemptyset(&none);
    ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
    int null_fd = ::open("/dev/null", O_RDWR);
    ::dup2(in >= 0 ? in : null_fd, 0);
    ::dup2(out >= 0 ? out : null_fd, 1);
    ::dup2(err >= 0 ? err : null_fd, 2);
    ::execve(argv[0], argv, envp);
    ::_exit(127);
}

}  // namespace

pid_t spawn(const SpawnSpec& spec) {
    std::vector<std::string> env_strings;
    if (spec.env) {
        env_strings = *spec.env;
    } else {
        for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    }
    env_strings.insert(env_strings.end(), spec.extra_env.begin(), spec.extra_env.end());
    std::vector<std::string> args = spec.argv;
    std::vector<char*> argv = c_strings(args);
    std::vector<char*> envp = c_strings(env_strings);

    pid_t pid = -1;
    if (spec.tied) {
        pid = fork_tied(argv.data(), envp.data(), spec.stdin_fd, spec.stdout_fd, spec.stderr_fd);
    } else {
        posix_spawn_file_actions_t actions;
        ::posix_spawn_file_actions_init(&actions);
        auto redirect = [&](int fd, int target) {
            if (fd >= 0) {
                ::posix_spawn_file_actions_adddup2(&actions, fd, target);
            } else {
                ::posix_spawn_file_actions_addopen(&actions, target, "/dev/null", O_RDWR, 0);
            }
        };
        redirect(spec.stdin_fd, 0);
        redirect(spec.stdout_fd, 1);
        redirect(spec.stderr_fd, 2);
        posix_spawnattr_t attr;
        ::posix_spawnattr_init(&attr);
        sigset_t none;
        ::sigemptyset(&none);
        ::posix_spawnattr_setsigmask(&attr, &none);
        ::posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
        if (::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data()) != 0) pid = -1;
        ::posix_spawnattr_destroy(&attr);
        ::posix_spawn_file_actions_destroy(&actions);
    }
    if (pid > 0) register_child(pid);
    return pid;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    auto pause = std::chrono::microseconds(50);
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            unregister_child(pid);
            return decode(status);
        }
        if (r < 0) {
            unregister_child(pid);
            return -1;
        }
        if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(pause);
        pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(5));
    }
}

int wait_blocking(pid_t pid) {
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    unregister_child(pid);
    return r == pid ? decode(status) : -1;
}

int terminate(pid_t pid, std::chrono::milliseconds grace) {
    ::kill(pid, SIGTERM);
    if (auto code = wait_exit(pid, grace)) return *code;
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    unregister_child(pid);
    return decode(status);
}

void kill_all_children() {
    std::set<pid_t> children;
    {
        std::lock_guard lock(g_mutex);
        children.swap(g_children);
    }
    // SIGTERM first: lambda-emu serve then kills its runtimes' process groups itself.
    for (pid_t pid : children) ::kill(pid, SIGTERM);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    for (pid_t pid : children) {
        int status = 0;
        while (::waitpid(pid, &status, WNOHANG) == 0 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, WNOHANG);
    }
}

void install_cleanup(std::chrono::seconds limit) {
    sigset_t set;
    ::sigemptyset(&set);
    ::sigaddset(&set, SIGINT);
    ::sigaddset(&set, SIGTERM);
    ::sigaddset(&set, SIGHUP);
    ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
        int sig = 0;
        while (::sigwait(&set, &sig) != 0) {
        }
        std::fprintf(stderr, "bench: signal %d: stopping every child\n", sig);
        kill_all_children();
        std::_Exit(128 + sig);
    }).detach();
    std::thread([limit] {
        std::this_thread::sleep_for(limit);
        std::fprintf(stderr, "bench: still running after %lld s: stopping every child\n",
                     static_cast<long long>(limit.count()));
        kill_all_children();
        std::_Exit(3);
    }).detach();
}

}  // namespace lambda_emu::harness
