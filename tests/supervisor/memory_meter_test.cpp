#include "supervisor/memory_meter.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <string>

#include "supervisor/process.h"

namespace lambda_emu::supervisor {

namespace {

constexpr std::uint64_t k_mib = 1024 * 1024;

// Allocates and touches 64 MiB, says so, then sleeps until killed.
const std::string k_allocate_64mib =
    "import sys, time\n"
    "block = b'\\x01' * (64 * 1024 * 1024)\n"
    "sys.stdout.write('ready\\n'); sys.stdout.flush()\n"
    "time.sleep(60)\n";

// One line from fd (blocking), without its newline.
std::string read_child_line(int fd) {
    std::string out;
    char c;
    for (;;) {
        ssize_t n = ::read(fd, &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n != 1 || c == '\n') return out;
        out += c;
    }
}

ChildProcess spawn_meter_child(const SpawnSpec& spec) {
    auto child = spawn(spec);
    if (!child.ok()) {
        ADD_FAILURE() << "spawn failed: " << child.error().message;
        return ChildProcess{};
    }
    return std::move(child.value());
}

}  // namespace

TEST(ProcMemoryMeter, SamplesThisProcess) {
    ProcMemoryMeter meter;
    MemorySample s = meter.sample(::getpid());
    EXPECT_GE(s.processes, 1);
    EXPECT_GT(s.rss_bytes, 0u);
    EXPECT_GE(s.hwm_bytes, s.rss_bytes / 2);  // HWM is a peak of what RSS was
}

TEST(ProcMemoryMeter, MissingProcessGivesAnEmptySample) {
    ProcMemoryMeter meter;
    MemorySample s = meter.sample(999999999);
    EXPECT_EQ(s.processes, 0);
    EXPECT_EQ(s.rss_bytes, 0u);
    EXPECT_EQ(s.hwm_bytes, 0u);
}

TEST(ProcMemoryMeter, SeesAProcessThatTouched64MiB) {
    SpawnSpec spec;
    spec.executable = "/usr/bin/python3";
    spec.argv = {"python3", "-c", k_allocate_64mib};
    spec.env = {"PATH=/usr/bin:/bin"};
    ChildProcess child = spawn_meter_child(spec);
    ASSERT_EQ(read_child_line(child.stdout_fd().get()), "ready");

    ProcMemoryMeter meter;
    MemorySample s = meter.sample(child.pid());
    EXPECT_EQ(s.processes, 1);
    EXPECT_GE(s.rss_bytes, 60 * k_mib);
    EXPECT_GE(s.hwm_bytes, 60 * k_mib);
}

// A runtime whose memory lives in a child (a shell bootstrap that starts python, node, java ...)
// must be measured whole.
TEST(ProcMemoryMeter, SampleCoversTheWholeProcessTree) {
    // The shell stays the parent (the trailing command stops it from exec'ing python).
    ChildProcess child = spawn_meter_child([] {
        SpawnSpec spec;
        spec.executable = "/bin/sh";
        spec.argv = {"sh", "-c", "/usr/bin/python3 -c \"$SCRIPT\"; true"};
        spec.env = {"PATH=/usr/bin:/bin", "SCRIPT=" + k_allocate_64mib};
        return spec;
    }());
    ASSERT_EQ(read_child_line(child.stdout_fd().get()), "ready");

    ProcMemoryMeter meter;
    MemorySample s = meter.sample(child.pid());
    EXPECT_GE(s.processes, 2);
    EXPECT_GE(s.rss_bytes, 60 * k_mib);
    EXPECT_GE(s.hwm_bytes, 60 * k_mib);
}

}  // namespace lambda_emu::supervisor
