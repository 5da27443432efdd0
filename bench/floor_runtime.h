// The floors of the cold-start scenarios, done by the simplest code: posix_spawn of the same
// static runtime with AWS_LAMBDA_RUNTIME_API naming a bare listener of the harness's, and one
// invocation over raw sockets (its first GET /next answered with the event, its POST /response
// read); then SIGKILL and waitpid, outside the timing.
#pragma once

#include <string>
#include <vector>

namespace lambda_emu::harness {

struct FloorColdSample {
    bool ok = false;
    std::string error;
    double spawn_to_next_us = 0;  // posix_spawn until the first /next has been read
    double total_us = 0;          // posix_spawn until the /response has been read
    long long started_ns = 0;     // the spawn, in steady_clock (CLOCK_MONOTONIC) nanoseconds
};

// With `timeline_file`, the runtime gets ECHO_RUNTIME_TIMELINE=timeline_file, and the floor
// waits (untimed) for its second /next, after which the runtime writes the file.
FloorColdSample floor_cold_invocation(const std::string& bootstrap, const std::string& event,
                                      const std::string& timeline_file = {});

// The echo runtime's ECHO_RUNTIME_TIMELINE file has its line.
bool timeline_written(const std::string& path);

// A bare posix_spawn + waitpid of `executable` with `args`, output to /dev/null: microseconds,
// or a negative number when it could not run or did not exit with `expected_exit`.
double time_spawn_wait(const std::vector<std::string>& argv, int expected_exit);

}  // namespace lambda_emu::harness
