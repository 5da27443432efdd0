#include "report/bench_data.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

namespace lambda_emu::report {

const char* metric_title(Metric metric) {
    switch (metric) {
        case Metric::init_duration:
            return "Init Duration";
        case Metric::first_duration:
            return "Duration (first)";
        case Metric::cold_billed:
            return "Billed Duration (cold)";
        case Metric::warm_duration:
            return "Duration (warm)";
        case Metric::warm_billed:
            return "Billed Duration (warm)";
        case Metric::max_memory:
            return "Max Memory Used";
    }
    return "";
}

const char* metric_unit(Metric metric) { return metric == Metric::max_memory ? "MB" : "ms"; }

const char* metric_key(Metric metric) {
    switch (metric) {
        case Metric::init_duration:
            return "init_ms";
        case Metric::first_duration:
            return "first_ms";
        case Metric::cold_billed:
            return "cold_billed_ms";
        case Metric::warm_duration:
            return "warm_ms";
        case Metric::warm_billed:
            return "warm_billed_ms";
        case Metric::max_memory:
            return "max_memory_mb";
    }
    return "";
}

namespace {

// The value a sample contributes to a metric, if any.
std::optional<double> value_of(const BenchSample& s, Metric metric) {
    if (s.failed) return std::nullopt;
    switch (metric) {
        case Metric::init_duration:
            return s.cold ? s.init_duration_ms : std::nullopt;
        case Metric::first_duration:
            return s.cold ? std::optional<double>(s.duration_ms) : std::nullopt;
        case Metric::cold_billed:
            return s.cold ? std::optional<double>(static_cast<double>(s.billed_duration_ms))
                          : std::nullopt;
        case Metric::warm_duration:
            return s.cold ? std::nullopt : std::optional<double>(s.duration_ms);
        case Metric::warm_billed:
            return s.cold ? std::nullopt
                          : std::optional<double>(static_cast<double>(s.billed_duration_ms));
        case Metric::max_memory:
            return static_cast<double>(s.max_memory_used_mb);
    }
    return std::nullopt;
}

std::string ratio_text(double ratio) {
    char buf[32];
    std::snprintf(buf, sizeof buf, ratio < 10 ? "%.1fx" : "%.0fx", ratio);
    return buf;
}

// "rust 3.4x faster": names the better of the two by its label.
std::string verdict(Metric metric, const std::string& baseline, double base,
                    const std::string& other, double theirs) {
    if (base <= 0 || theirs <= 0) {
        if (base == theirs) return "same";
        return "";
    }
    const bool base_better = base < theirs;
    const double ratio = base_better ? theirs / base : base / theirs;
    if (ratio < 1.05) return "same";
    const std::string& winner = base_better ? baseline : other;
    const char* what = metric == Metric::max_memory ? "less memory"
                       : (metric == Metric::cold_billed || metric == Metric::warm_billed)
                           ? "cheaper"
                           : "faster";
    return winner + " " + ratio_text(ratio) + " " + what;
}

}  // namespace

std::vector<double> metric_values(const BenchRun& run, const std::string& function, int memory_mb,
                                  Metric metric) {
    std::vector<double> values;
    for (const BenchSample& s : run.samples) {
        if (s.function != function || s.memory_mb != memory_mb) continue;
        if (auto v = value_of(s, metric)) values.push_back(*v);
    }
    return values;
}

void compute_stats(BenchRun& run) {
    run.stats.clear();
    run.comparisons.clear();
    for (const std::string& function : run.functions) {
        for (int memory : run.memory_sizes) {
            CandidateStats c;
            c.function = function;
            c.memory_mb = memory;
            for (const BenchSample& s : run.samples) {
                if (s.function != function || s.memory_mb != memory) continue;
                ++c.invocations;
                if (!s.failed) continue;
                ++c.failures;
                const std::string type = s.error_type.empty() ? "unknown" : s.error_type;
                if (std::find(c.failure_types.begin(), c.failure_types.end(), type) ==
                    c.failure_types.end()) {
                    c.failure_types.push_back(type);
                }
            }
            for (Metric m : k_all_metrics) {
                c.metrics[static_cast<std::size_t>(m)] =
                    summarize(metric_values(run, function, memory, m));
            }
            const Summary& warm = c.of(Metric::warm_billed);
            const Summary& cold = c.of(Metric::cold_billed);
            // Without warm samples, every invocation is priced as the cold ones were.
            const double warm_ms = warm.n > 0 ? warm.mean : cold.mean;
            const double cold_ms = cold.n > 0 ? cold.mean : warm.mean;
            c.warm_cost = cost_per_million(memory, warm_ms, run.prices);
            c.mixed_cost = cost_per_million(
                memory, mixed_billed_ms(warm_ms, cold_ms, run.cold_share), run.prices);
            run.stats.push_back(std::move(c));
        }
    }
    if (run.functions.size() < 2) return;
    const std::string& baseline = run.functions.front();
    auto find = [&run](const std::string& function, int memory) -> const CandidateStats* {
        for (const CandidateStats& c : run.stats) {
            if (c.function == function && c.memory_mb == memory) return &c;
        }
        return nullptr;
    };
    for (std::size_t i = 1; i < run.functions.size(); ++i) {
        for (int memory : run.memory_sizes) {
            const CandidateStats* a = find(baseline, memory);
            const CandidateStats* b = find(run.functions[i], memory);
            if (a == nullptr || b == nullptr) continue;
            for (Metric m : k_all_metrics) {
                Comparison cmp;
                cmp.metric = m;
                cmp.memory_mb = memory;
                cmp.baseline = baseline;
                cmp.other = run.functions[i];
                cmp.baseline_median = a->of(m).p50;
                cmp.other_median = b->of(m).p50;
                if (a->of(m).n > 0 && b->of(m).n > 0) {
                    cmp.verdict =
                        verdict(m, baseline, cmp.baseline_median, cmp.other, cmp.other_median);
                }
                run.comparisons.push_back(std::move(cmp));
            }
        }
    }
}

}  // namespace lambda_emu::report
