// Build commands: run through /bin/sh, output line by line, timed, cancellable.
#include "watch/build_command.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace lambda_emu::watch {

using namespace std::chrono_literals;

TEST(BuildCommand, PassesOnEveryLineOfBothStreamsAndSucceeds) {
    BuildCommand build("echo one; echo two >&2; printf three", "/tmp");
    std::vector<std::string> lines;
    BuildResult r = build.run([&](const std::string& line) { lines.push_back(line); });
    EXPECT_TRUE(r.ok);
    EXPECT_EQ(r.failure, "");
    EXPECT_GE(r.seconds, 0.0);
    std::sort(lines.begin(), lines.end());
    EXPECT_EQ(lines, (std::vector<std::string>{"one", "three", "two"}));
}

TEST(BuildCommand, RunsInItsDirectoryAndReportsAFailure) {
    BuildCommand build("pwd; exit 3", "/usr");
    std::vector<std::string> lines;
    BuildResult r = build.run([&](const std::string& line) { lines.push_back(line); });
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.failure, "exit status 3");
    EXPECT_EQ(lines, (std::vector<std::string>{"/usr"}));
}

TEST(BuildCommand, CancelKillsTheWholeBuild) {
    BuildCommand build("sleep 30 & sleep 30; echo never", "/tmp");
    std::thread canceller([&] {
        std::this_thread::sleep_for(100ms);
        build.cancel();
    });
    auto started = std::chrono::steady_clock::now();
    BuildResult r = build.run([](const std::string&) {});
    canceller.join();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.failure, "cancelled");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

}  // namespace lambda_emu::watch
