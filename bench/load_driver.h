// Runs callers at once, one thread each, timing every call.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "http_callers.h"

namespace lambda_emu::harness {

struct LoadResult {
    std::vector<double> latencies_us;
    double wall_us = 0;  // from the common start until the last caller finished
    std::size_t calls = 0;
    // When each caller started its first call, from the common start (how simultaneous they were).
    std::vector<double> first_call_offsets_us;
    std::string error;  // the first failure, empty when every call succeeded

    bool ok() const { return error.empty(); }
    double throughput() const { return wall_us > 0 ? calls / (wall_us / 1e6) : 0; }
    // Adds another run's calls and wall time (rounds of one measurement).
    void add(const LoadResult& more);
};

// `per_caller` calls on every caller, all callers at once; each answer is verified (untimed).
LoadResult drive(const std::vector<std::unique_ptr<Caller>>& callers, int per_caller);

}  // namespace lambda_emu::harness
