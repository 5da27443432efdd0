#include "stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lambda_emu::harness {

double micros(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::micro>(to - from).count();
}

namespace {

double sorted_percentile(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
    auto low = static_cast<std::size_t>(std::floor(rank));
    std::size_t high = std::min(low + 1, sorted.size() - 1);
    double frac = rank - static_cast<double>(low);
    return sorted[low] + (sorted[high] - sorted[low]) * frac;
}

}  // namespace

double percentile(std::vector<double> samples, double p) {
    std::sort(samples.begin(), samples.end());
    return sorted_percentile(samples, p);
}

Summary summarize(const std::vector<double>& samples) {
    Summary s;
    if (samples.empty()) return s;
    std::vector<double> sorted = samples;
    std::sort(sorted.begin(), sorted.end());
    s.count = sorted.size();
    s.p50 = sorted_percentile(sorted, 50);
    s.p90 = sorted_percentile(sorted, 90);
    s.p99 = sorted_percentile(sorted, 99);
    s.max = sorted.back();
    s.mean = std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(s.count);
    return s;
}

}  // namespace lambda_emu::harness
