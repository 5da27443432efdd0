// The figures of one `lambda-emu bench` run: every sample as measured, and what is computed from
// them (summaries per metric, cost, side-by-side comparisons). Written by the bench runner,
// read by the table, JSON, CSV and HTML writers.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report/cost.h"
#include "report/stats.h"

namespace lambda_emu::report {

// One invocation as the REPORT line gave it.
struct BenchSample {
    std::string function;  // the candidate's label
    int memory_mb = 0;
    bool cold = false;    // the first invocation of a fresh environment
    int burst = -1;       // which burst round (0, 1, ...) it belonged to; -1: not a burst
    int environment = 0;  // a number per execution environment, distinct within the run
    std::string request_id;
    bool failed = false;
    std::string error_type;  // on failure: "Runtime.ExitError", a handler's errorType, ...
    std::optional<double> init_duration_ms;
    double duration_ms = 0;
    std::int64_t billed_duration_ms = 0;
    int max_memory_used_mb = 0;
};

// The metrics summarised per function and memory size, in the order they are shown.
enum class Metric {
    init_duration,   // Init Duration of cold starts
    first_duration,  // Duration of the first invocation of each environment
    cold_billed,     // Billed Duration of cold starts (Init included)
    warm_duration,   // Duration of warm invocations
    warm_billed,     // Billed Duration of warm invocations
    max_memory,      // Max Memory Used, every invocation
};
inline constexpr std::size_t k_metric_count = 6;
inline constexpr std::array<Metric, k_metric_count> k_all_metrics = {
    Metric::init_duration, Metric::first_duration, Metric::cold_billed,
    Metric::warm_duration, Metric::warm_billed,    Metric::max_memory};

// "Init Duration", "Duration (first)", "Billed Duration (cold)", "Duration (warm)",
// "Billed Duration (warm)", "Max Memory Used".
const char* metric_title(Metric metric);
// "ms" or "MB".
const char* metric_unit(Metric metric);
// A short machine name: "init_ms", "first_ms", "cold_billed_ms", "warm_ms", "warm_billed_ms",
// "max_memory_mb" (JSON keys, CSV columns).
const char* metric_key(Metric metric);

// The summaries of one function at one memory size.
struct CandidateStats {
    std::string function;
    int memory_mb = 0;
    std::size_t invocations = 0;
    std::size_t failures = 0;                // failed invocations, all counted, none dropped
    std::vector<std::string> failure_types;  // distinct error types, in order of first sight
    std::array<Summary, k_metric_count> metrics{};
    CostPerMillion warm_cost;   // all-warm traffic: mean warm Billed Duration
    CostPerMillion mixed_cost;  // cold_share of cold starts, the rest warm
    const Summary& of(Metric metric) const { return metrics[static_cast<std::size_t>(metric)]; }
};

// One line of a side-by-side table: a metric of `other` against the first function, at one
// memory size, from the paired medians.
struct Comparison {
    Metric metric;
    int memory_mb = 0;
    std::string baseline;  // the first FUNCTION
    std::string other;     // a --vs FUNCTION
    double baseline_median = 0;
    double other_median = 0;
    // "Rust 3.4x faster", "rust 2.6x less memory", "same"; empty when a median is missing.
    std::string verdict;
};

struct BenchRun {
    std::vector<std::string> functions;   // labels, the FUNCTION first, then each --vs
    std::vector<std::string> bootstraps;  // their paths, parallel to functions
    std::vector<int> memory_sizes;
    Architecture architecture = Architecture::x86_64;
    Prices prices;
    double cold_share = 0.05;
    std::string event;    // what --event named
    std::string started;  // ISO 8601 UTC
    std::string machine;  // "x86_64, 2 CPUs, Linux 6.1" or similar
    int cold = 0;         // --cold N
    int warm = 0;         // --warm M
    int burst = 0;        // --burst C (0: one cold start at a time)
    std::vector<BenchSample> samples;

    // Computed by compute_stats() from the samples.
    std::vector<CandidateStats> stats;  // per function, per memory size, in that order
    std::vector<Comparison> comparisons;
};

// The values of one metric for one function and memory size, in sample order (successful
// invocations only; failures are counted apart).
std::vector<double> metric_values(const BenchRun& run, const std::string& function, int memory_mb,
                                  Metric metric);

// Fills run.stats and run.comparisons from run.samples.
void compute_stats(BenchRun& run);

}  // namespace lambda_emu::report
