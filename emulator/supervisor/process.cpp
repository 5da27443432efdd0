#include "supervisor/process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

namespace lambda_emu::supervisor {

namespace {

const char* signal_words(int sig) {
    // The wording Go's os.ProcessState uses, which the service prints.
    switch (sig) {
        case SIGKILL:
            return "killed";
        case SIGSEGV:
            return "segmentation fault";
        case SIGABRT:
            return "aborted";
        case SIGTERM:
            return "terminated";
        case SIGINT:
            return "interrupt";
        case SIGBUS:
            return "bus error";
        case SIGFPE:
            return "floating point exception";
        case SIGILL:
            return "illegal instruction";
        case SIGPIPE:
            return "broken pipe";
        case SIGHUP:
            return "hangup";
        case SIGQUIT:
            return "quit";
        case SIGTRAP:
            return "trace/breakpoint trap";
        case SIGUSR1:
            return "user defined signal 1";
        case SIGUSR2:
            return "user defined signal 2";
        case SIGALRM:
            return "alarm clock";
        default:
            return nullptr;
    }
}

std::mutex& registry_mutex() {
    static std::mutex m;
    return m;
}

std::set<pid_t>& registry() {
    static std::set<pid_t> live;
    return live;
}

void register_group(pid_t pid) {
    std::lock_guard lock(registry_mutex());
    registry().insert(pid);
}

void unregister_group(pid_t pid) {
    std::lock_guard lock(registry_mutex());
    registry().erase(pid);
}

ExitStatus decode(int status) {
    if (WIFSIGNALED(status)) return {true, WTERMSIG(status)};
    return {false, WEXITSTATUS(status)};
}

class SpawnActions {
  public:
    SpawnActions() { ::posix_spawn_file_actions_init(&m_actions); }
    ~SpawnActions() { ::posix_spawn_file_actions_destroy(&m_actions); }
    SpawnActions(const SpawnActions&) = delete;
    SpawnActions& operator=(const SpawnActions&) = delete;
    posix_spawn_file_actions_t* get() { return &m_actions; }

  private:
    posix_spawn_file_actions_t m_actions{};
};

class SpawnAttr {
  public:
    SpawnAttr() { ::posix_spawnattr_init(&m_attr); }
    ~SpawnAttr() { ::posix_spawnattr_destroy(&m_attr); }
    SpawnAttr(const SpawnAttr&) = delete;
    SpawnAttr& operator=(const SpawnAttr&) = delete;
    posix_spawnattr_t* get() { return &m_attr; }

  private:
    posix_spawnattr_t m_attr{};
};

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
    out.push_back(nullptr);
    return out;
}

}  // namespace

std::string ExitStatus::describe() const {
    if (!signaled) return "exit status " + std::to_string(code);
    const char* words = signal_words(code);
    return "signal: " + (words ? std::string(words) : "signal " + std::to_string(code));
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : m_pid(std::exchange(other.m_pid, -1)),
      m_pidfd(std::move(other.m_pidfd)),
      m_stdout(std::move(other.m_stdout)),
      m_stderr(std::move(other.m_stderr)),
      m_status(std::move(other.m_status)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
    if (this != &other) {
        kill_and_reap();
        m_pid = std::exchange(other.m_pid, -1);
        m_pidfd = std::move(other.m_pidfd);
        m_stdout = std::move(other.m_stdout);
        m_stderr = std::move(other.m_stderr);
        m_status = std::move(other.m_status);
    }
    return *this;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::signal_group(int sig) const {
    if (m_pid > 0) ::kill(-m_pid, sig);
}

std::optional<ExitStatus> ChildProcess::try_reap() {
    if (m_status || m_pid <= 0) return m_status;
    int status = 0;
    pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) m_status = decode(status);
    return m_status;
}

void ChildProcess::kill_and_reap() {
    if (m_pid <= 0) return;
    // The group outlives its leader when the leader forked: kill it whether or not it was reaped.
    ::kill(-m_pid, SIGKILL);
    if (!m_status) {
        int status = 0;
        pid_t r;
        do {
            r = ::waitpid(m_pid, &status, 0);
        } while (r < 0 && errno == EINTR);
        if (r == m_pid) m_status = decode(status);
    }
    unregister_group(m_pid);
    m_pid = -1;
}

void kill_all_process_groups() {
    std::lock_guard lock(registry_mutex());
    for (pid_t pid : registry()) ::kill(-pid, SIGKILL);
}

util::Result<ChildProcess> spawn(const SpawnSpec& spec) {
    util::Pipe out;
    util::Pipe err;
    SpawnActions actions;
    ::posix_spawn_file_actions_addopen(actions.get(), 0, "/dev/null", O_RDONLY, 0);
    if (spec.discard_output) {
        ::posix_spawn_file_actions_addopen(actions.get(), 1, "/dev/null", O_WRONLY, 0);
        ::posix_spawn_file_actions_adddup2(actions.get(), 1, 2);
    } else {
        auto out_pipe = util::make_pipe();
        if (!out_pipe) return out_pipe.error();
        auto err_pipe = util::make_pipe();
        if (!err_pipe) return err_pipe.error();
        out = std::move(out_pipe.value());
        err = std::move(err_pipe.value());
        ::posix_spawn_file_actions_adddup2(actions.get(), out.write_end.get(), 1);
        ::posix_spawn_file_actions_adddup2(actions.get(), err.write_end.get(), 2);
    }
    if (!spec.working_dir.empty()) {
        ::posix_spawn_file_actions_addchdir_np(actions.get(), spec.working_dir.c_str());
    }
    SpawnAttr attr;
    ::posix_spawnattr_setpgroup(attr.get(), 0);
    sigset_t defaults;
    ::sigemptyset(&defaults);
    ::sigaddset(&defaults, SIGPIPE);
    ::sigaddset(&defaults, SIGINT);
    ::sigaddset(&defaults, SIGTERM);
    ::posix_spawnattr_setsigdefault(attr.get(), &defaults);
    sigset_t empty;
    ::sigemptyset(&empty);
    ::posix_spawnattr_setsigmask(attr.get(), &empty);
    ::posix_spawnattr_setflags(
        attr.get(), POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

    auto argv = c_strings(spec.argv);
    auto envp = c_strings(spec.env);
    pid_t pid = -1;
    int rc = ::posix_spawn(&pid, spec.executable.c_str(), actions.get(), attr.get(), argv.data(),
                           envp.data());
    if (rc != 0) return util::make_error(spec.executable + ": " + util::errno_text(rc));

    register_group(pid);
    ChildProcess child;
    child.m_pid = pid;
    child.m_pidfd = util::Fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
    child.m_stdout = std::move(out.read_end);
    child.m_stderr = std::move(err.read_end);
    if (!child.m_pidfd.valid()) {
        return util::make_error("pidfd_open: " + util::errno_text(errno));
    }
    return child;
}

}  // namespace lambda_emu::supervisor
