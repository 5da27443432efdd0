// Summary statistics of a sample: what `lambda-emu bench` and `lambda-emu report` print per
// metric.
//
// Percentiles use linear interpolation between closest ranks (Hyndman & Fan type 7, the default
// of NumPy, R and Excel's PERCENTILE.INC): for p in [0, 100] over n sorted values x[0..n-1],
// h = (n - 1) * p / 100, and the percentile is x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] -
// x[floor(h)]). The standard deviation is the sample one (divided by n - 1); 0 when n < 2.
#pragma once

#include <cstddef>
#include <vector>

namespace lambda_emu::report {

struct Summary {
    std::size_t n = 0;  // when 0, every other field is 0 and means "no data"
    double min = 0;
    double p50 = 0;
    double p95 = 0;
    double p99 = 0;
    double max = 0;
    double mean = 0;
    double stddev = 0;
};

// The p-th percentile (0..100) of values already sorted ascending; 0 when empty.
double percentile_of_sorted(const std::vector<double>& sorted, double p);

// Every field of Summary over the values (in any order).
Summary summarize(std::vector<double> values);

}  // namespace lambda_emu::report
