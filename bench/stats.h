// Percentiles and throughput of a set of timed samples.
#pragma once

#include <chrono>
#include <vector>

namespace lambda_emu::harness {

using Clock = std::chrono::steady_clock;

// Microseconds between two instants.
double micros(Clock::time_point from, Clock::time_point to);

struct Summary {
    std::size_t count = 0;
    double p50 = 0;
    double p90 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
};

// Percentiles by linear interpolation between the closest ranks (type 7).
double percentile(std::vector<double> samples, double p);
Summary summarize(const std::vector<double>& samples);

}  // namespace lambda_emu::harness
