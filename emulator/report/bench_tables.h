// The text, CSV and JSON forms of a bench run (the HTML form is bench_html.h). The text table is
// what `lambda-emu bench` and `lambda-emu report` print: per function and memory size, n, min,
// p50, p95, p99, max, mean and standard deviation of every metric, the failures, the comparison
// with the first function, and the cost per 1M invocations.
#pragma once

#include <string>

#include "report/bench_data.h"

namespace lambda_emu::report {

std::string bench_table(const BenchRun& run);

// One row per sample, with a header row.
std::string bench_csv(const BenchRun& run);

// The settings, every sample, the summaries, the comparisons and the cost.
std::string bench_json(const BenchRun& run);

// "$0.0033": four decimals, more when that would show less than two significant digits.
std::string format_usd(double usd);

}  // namespace lambda_emu::report
