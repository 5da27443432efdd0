#include "report/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

namespace lambda_emu::report {

double percentile_of_sorted(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return 0;
    if (!(p > 0)) return sorted.front();  // also a NaN p
    if (p >= 100) return sorted.back();
    const double h = static_cast<double>(sorted.size() - 1) * p / 100.0;
    const double lower = std::floor(h);
    const auto i = static_cast<std::size_t>(lower);
    if (i + 1 >= sorted.size()) return sorted.back();
    return sorted[i] + (h - lower) * (sorted[i + 1] - sorted[i]);
}

Summary summarize(std::vector<double> values) {
    // A NaN would break the sort's ordering; it carries no figure anyway.
    std::erase_if(values, [](double v) { return std::isnan(v); });
    Summary s;
    if (values.empty()) return s;
    std::sort(values.begin(), values.end());
    s.n = values.size();
    s.min = values.front();
    s.max = values.back();
    s.p50 = percentile_of_sorted(values, 50);
    s.p95 = percentile_of_sorted(values, 95);
    s.p99 = percentile_of_sorted(values, 99);
    double sum = 0;
    for (double v : values) sum += v;
    s.mean = sum / static_cast<double>(s.n);
    if (s.n >= 2) {
        double squares = 0;
        for (double v : values) squares += (v - s.mean) * (v - s.mean);
        s.stddev = std::sqrt(squares / static_cast<double>(s.n - 1));
    }
    return s;
}

}  // namespace lambda_emu::report
