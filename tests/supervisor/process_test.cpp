#include "supervisor/process.h"

#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace lambda_emu::supervisor {

namespace {

using namespace std::chrono_literals;

SpawnSpec shell(const std::string& script, std::vector<std::string> env = {"PATH=/usr/bin:/bin"},
                std::string working_dir = {}) {
    SpawnSpec spec;
    spec.executable = "/bin/sh";
    spec.argv = {"sh", "-c", script};
    spec.env = std::move(env);
    spec.working_dir = std::move(working_dir);
    return spec;
}

ChildProcess spawn_ok(const SpawnSpec& spec) {
    auto child = spawn(spec);
    if (!child.ok()) {
        ADD_FAILURE() << "spawn failed: " << child.error().message;
        return ChildProcess{};
    }
    return std::move(child.value());
}

// Until the leader exits (bounded), then its status.
std::optional<ExitStatus> wait_exit(ChildProcess& child, std::chrono::milliseconds limit = 10s) {
    if (child.pid() <= 0) return std::nullopt;
    pollfd p{child.pidfd(), POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(limit.count()));
    return child.try_reap();
}

// Everything on fd until EOF (every writer gone).
std::string read_all(int fd) {
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n > 0) {
            out.append(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        return out;
    }
}

// One line from fd (blocking), without its newline.
std::string read_line(int fd) {
    std::string out;
    char c;
    while (::read(fd, &c, 1) == 1 && c != '\n') out += c;
    return out;
}

// Gone, or a zombie nobody has reaped yet: either way no longer running.
bool process_is_dead(pid_t pid) {
    // getline, not an istreambuf_iterator: a read that fails because the process has just gone
    // (ESRCH) sets the stream's badbit instead of throwing.
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string content;
    if (!stat || !std::getline(stat, content)) return true;
    auto paren = content.rfind(')');
    if (paren == std::string::npos || paren + 2 >= content.size()) return true;
    char state = content[paren + 2];
    return state == 'Z' || state == 'X';
}

bool becomes_dead(pid_t pid, std::chrono::milliseconds limit = 5s) {
    auto until = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < until) {
        if (process_is_dead(pid)) return true;
        std::this_thread::sleep_for(10ms);  // polling another process's state; bounded
    }
    return process_is_dead(pid);
}

}  // namespace

TEST(ExitStatusDescribe, GoWording) {
    EXPECT_EQ((ExitStatus{false, 0}).describe(), "exit status 0");
    EXPECT_EQ((ExitStatus{false, 1}).describe(), "exit status 1");
    EXPECT_EQ((ExitStatus{false, 127}).describe(), "exit status 127");
    EXPECT_EQ((ExitStatus{true, SIGKILL}).describe(), "signal: killed");
    EXPECT_EQ((ExitStatus{true, SIGSEGV}).describe(), "signal: segmentation fault");
    EXPECT_EQ((ExitStatus{true, SIGABRT}).describe(), "signal: aborted");
    EXPECT_EQ((ExitStatus{true, SIGTERM}).describe(), "signal: terminated");
    EXPECT_EQ((ExitStatus{true, SIGBUS}).describe(), "signal: bus error");
}

TEST(Process, ExitCodes) {
    for (int code : {0, 1, 3, 42}) {
        ChildProcess child = spawn_ok(shell("exit " + std::to_string(code)));
        auto status = wait_exit(child);
        ASSERT_TRUE(status.has_value()) << code;
        EXPECT_FALSE(status->signaled);
        EXPECT_EQ(status->code, code);
        EXPECT_EQ(status->describe(), "exit status " + std::to_string(code));
        EXPECT_EQ(child.exit_status()->code, code);
    }
}

TEST(Process, KilledBySigkill) {
    ChildProcess child = spawn_ok(shell("kill -KILL $$"));
    auto status = wait_exit(child);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->signaled);
    EXPECT_EQ(status->code, SIGKILL);
    EXPECT_EQ(status->describe(), "signal: killed");
}

TEST(Process, SegmentationFault) {
    ChildProcess child = spawn_ok(shell("kill -SEGV $$"));
    auto status = wait_exit(child);
    ASSERT_TRUE(status.has_value());
    EXPECT_TRUE(status->signaled);
    EXPECT_EQ(status->code, SIGSEGV);
    EXPECT_EQ(status->describe(), "signal: segmentation fault");
}

TEST(Process, SignalGroupReachesTheChild) {
    ChildProcess child = spawn_ok(shell("sleep 30"));
    EXPECT_FALSE(child.try_reap().has_value());
    child.signal_group(SIGTERM);
    auto status = wait_exit(child);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->describe(), "signal: terminated");
}

TEST(Process, DiscardedOutputHasNoPipesAndTheChildRunsAsUsual) {
    SpawnSpec spec = shell("echo out; echo err >&2; exit 3");
    spec.discard_output = true;
    ChildProcess child = spawn_ok(spec);
    EXPECT_FALSE(child.stdout_fd().valid());
    EXPECT_FALSE(child.stderr_fd().valid());
    auto status = wait_exit(child);
    ASSERT_TRUE(status);
    EXPECT_FALSE(status->signaled);
    EXPECT_EQ(status->code, 3);
}

TEST(Process, StdoutAndStderrArePipes) {
    ChildProcess child = spawn_ok(shell("echo to-out; echo to-err >&2; printf 'no newline'"));
    EXPECT_EQ(read_all(child.stdout_fd().get()), "to-out\nno newline");
    EXPECT_EQ(read_all(child.stderr_fd().get()), "to-err\n");
    auto status = wait_exit(child);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->code, 0);
}

TEST(Process, StdinIsDevNull) {
    ChildProcess child = spawn_ok(shell("cat; echo done"));
    EXPECT_EQ(read_all(child.stdout_fd().get()), "done\n");
    ASSERT_TRUE(wait_exit(child).has_value());
}

TEST(Process, RunsInItsOwnProcessGroup) {
    ChildProcess child = spawn_ok(shell("sleep 30"));
    ASSERT_GT(child.pid(), 0);
    EXPECT_EQ(::getpgid(child.pid()), child.pid());
    EXPECT_NE(::getpgid(child.pid()), ::getpgrp());
}

TEST(Process, KillAndReapKillsTheWholeGroup) {
    // The grandchild stays in the group; the shell waits for it.
    ChildProcess child = spawn_ok(shell("sleep 30 & echo $!; wait"));
    std::string line = read_line(child.stdout_fd().get());
    ASSERT_FALSE(line.empty());
    pid_t grandchild = static_cast<pid_t>(std::stol(line));
    EXPECT_EQ(::getpgid(grandchild), child.pid());
    EXPECT_FALSE(process_is_dead(grandchild));

    pid_t leader = child.pid();
    child.kill_and_reap();
    EXPECT_EQ(child.pid(), -1);
    ASSERT_TRUE(child.exit_status().has_value());
    EXPECT_EQ(child.exit_status()->describe(), "signal: killed");
    EXPECT_TRUE(process_is_dead(leader));
    EXPECT_TRUE(becomes_dead(grandchild));
}

TEST(Process, KillAndReapAfterTheLeaderExitedStillKillsTheGroup) {
    ChildProcess child = spawn_ok(shell("sleep 30 & echo $!"));
    std::string line = read_line(child.stdout_fd().get());
    ASSERT_FALSE(line.empty());
    pid_t grandchild = static_cast<pid_t>(std::stol(line));
    auto status = wait_exit(child);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->code, 0);
    EXPECT_FALSE(process_is_dead(grandchild));
    child.kill_and_reap();
    EXPECT_TRUE(becomes_dead(grandchild));
}

TEST(Process, DestructorKillsAndReaps) {
    pid_t pid;
    {
        ChildProcess child = spawn_ok(shell("sleep 30"));
        pid = child.pid();
        ASSERT_GT(pid, 0);
    }
    EXPECT_TRUE(process_is_dead(pid));
}

TEST(Process, MoveTransfersOwnership) {
    ChildProcess a = spawn_ok(shell("exit 5"));
    pid_t pid = a.pid();
    ChildProcess b = std::move(a);
    EXPECT_EQ(a.pid(), -1);  // NOLINT(bugprone-use-after-move)
    EXPECT_EQ(b.pid(), pid);
    auto status = wait_exit(b);
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->code, 5);
}

TEST(Process, EnvironmentIsExactlyTheGivenOne) {
    ChildProcess child =
        spawn_ok(shell("echo \"$FOO|${HOME-unset}|$PATH\"", {"FOO=bar baz", "PATH=/usr/bin:/bin"}));
    EXPECT_EQ(read_all(child.stdout_fd().get()), "bar baz|unset|/usr/bin:/bin\n");
    ASSERT_TRUE(wait_exit(child).has_value());
}

TEST(Process, WorkingDirIsApplied) {
    std::string templ = (std::filesystem::temp_directory_path() / "le-proc-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    std::string dir = std::filesystem::canonical(templ).string();
    ChildProcess child = spawn_ok(shell("pwd -P", {"PATH=/usr/bin:/bin"}, dir));
    EXPECT_EQ(read_all(child.stdout_fd().get()), dir + "\n");
    ASSERT_TRUE(wait_exit(child).has_value());
    std::filesystem::remove_all(dir);
}

TEST(Process, EmptyWorkingDirInherits) {
    ChildProcess child = spawn_ok(shell("pwd -P"));
    std::string expected = std::filesystem::canonical(std::filesystem::current_path()).string();
    EXPECT_EQ(read_all(child.stdout_fd().get()), expected + "\n");
    ASSERT_TRUE(wait_exit(child).has_value());
}

TEST(Process, NonexistentExecutableIsAnError) {
    SpawnSpec spec;
    spec.executable = "/nonexistent/bootstrap";
    spec.argv = {"bootstrap"};
    auto child = spawn(spec);
    ASSERT_FALSE(child.ok());
    EXPECT_EQ(child.error().message, "/nonexistent/bootstrap: No such file or directory");
}

TEST(Process, NonExecutableFileIsAnError) {
    std::string templ = (std::filesystem::temp_directory_path() / "le-proc-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    std::string path = templ + "/bootstrap";
    { std::ofstream(path) << "#!/bin/sh\necho hi\n"; }
    ::chmod(path.c_str(), 0644);
    SpawnSpec spec;
    spec.executable = path;
    spec.argv = {"bootstrap"};
    auto child = spawn(spec);  // execve needs an x bit, even for root
    ASSERT_FALSE(child.ok());
    EXPECT_NE(child.error().message.find("Permission denied"), std::string::npos)
        << child.error().message;
    std::filesystem::remove_all(templ);
}

TEST(Process, NonexistentWorkingDirIsAnError) {
    auto child = spawn(shell("true", {}, "/nonexistent-working-dir"));
    EXPECT_FALSE(child.ok());
}

}  // namespace lambda_emu::supervisor
