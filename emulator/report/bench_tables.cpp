#include "report/bench_tables.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "report/number_format.h"

namespace lambda_emu::report {

namespace {

using nlohmann::ordered_json;

std::string pad_left(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : std::string(width - s.size(), ' ') + s;
}

std::string pad_right(const std::string& s, std::size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

int decimals_of(Metric metric) { return metric == Metric::max_memory ? 0 : 2; }

std::string value_text(Metric metric, double v) { return format_fixed(v, decimals_of(metric)); }

const CandidateStats* find(const BenchRun& run, const std::string& function, int memory) {
    for (const CandidateStats& c : run.stats) {
        if (c.function == function && c.memory_mb == memory) return &c;
    }
    return nullptr;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

ordered_json summary_json(const Summary& s) {
    ordered_json j;
    j["n"] = s.n;
    if (s.n == 0) return j;
    j["min"] = s.min;
    j["p50"] = s.p50;
    j["p95"] = s.p95;
    j["p99"] = s.p99;
    j["max"] = s.max;
    j["mean"] = s.mean;
    j["stddev"] = s.stddev;
    return j;
}

}  // namespace

std::string format_usd(double usd) {
    int decimals = 4;
    // Small amounts keep two significant digits: $0.000033, not $0.0000.
    while (usd > 0 && decimals < 10 && usd < 10 * std::pow(10.0, -decimals)) ++decimals;
    return "$" + format_fixed(usd, decimals);
}

std::string bench_table(const BenchRun& run) {
    std::ostringstream out;
    const std::size_t label_width = 30;
    const std::size_t col = 9;
    for (int memory : run.memory_sizes) {
        out << pad_right(std::to_string(memory) + " MB", label_width);
        for (const char* h : {"n", "min", "p50", "p95", "p99", "max", "mean", "stddev"}) {
            out << pad_left(h, col);
        }
        out << '\n';
        for (const std::string& function : run.functions) {
            const CandidateStats* c = find(run, function, memory);
            if (c == nullptr) continue;
            out << function << "  (" << c->invocations
                << (c->invocations == 1 ? " invocation, " : " invocations, ") << c->failures
                << (c->failures == 1 ? " failure" : " failures");
            for (std::size_t i = 0; i < c->failure_types.size(); ++i) {
                out << (i == 0 ? ": " : ", ") << c->failure_types[i];
            }
            out << ")\n";
            for (Metric m : k_all_metrics) {
                const Summary& s = c->of(m);
                out << pad_right(std::string("  ") + metric_title(m) + " (" + metric_unit(m) + ")",
                                 label_width);
                out << pad_left(std::to_string(s.n), col);
                if (s.n == 0) {
                    out << pad_left("-", col) << '\n';
                    continue;
                }
                for (double v : {s.min, s.p50, s.p95, s.p99, s.max}) {
                    out << pad_left(value_text(m, v), col);
                }
                out << pad_left(format_fixed(s.mean, 2), col)
                    << pad_left(format_fixed(s.stddev, 2), col) << '\n';
            }
        }
        std::string pair;  // the "A vs B" block being printed
        for (const Comparison& cmp : run.comparisons) {
            if (cmp.memory_mb != memory) continue;
            if (cmp.baseline + " vs " + cmp.other != pair) {
                pair = cmp.baseline + " vs " + cmp.other;
                out << '\n'
                    << pad_right(pair + " (medians, " + std::to_string(memory) + " MB)",
                                 label_width)
                    << pad_left(cmp.baseline, 12) << pad_left(cmp.other, 12) << '\n';
            }
            const std::string unit = metric_unit(cmp.metric);
            out << pad_right(std::string("  ") + metric_title(cmp.metric), label_width);
            if (cmp.verdict.empty()) {
                out << pad_left("-", 12) << pad_left("-", 12) << '\n';
                continue;
            }
            out << pad_left(value_text(cmp.metric, cmp.baseline_median) + " " + unit, 12)
                << pad_left(value_text(cmp.metric, cmp.other_median) + " " + unit, 12) << "   "
                << cmp.verdict << '\n';
        }
        out << '\n';
    }
    out << "cost per 1M invocations (" << architecture_name(run.architecture) << ", $"
        << format_fixed(run.prices.per_gb_second, 10) << " per GB-s, "
        << format_usd(run.prices.per_request * 1e6) << " per 1M requests; free tier excluded)\n";
    out << pad_right("", label_width) << pad_left("memory", col) << pad_left("compute", 12)
        << pad_left("all warm", 12)
        << pad_left(format_fixed(run.cold_share * 100, 1) + "% cold", 12) << '\n';
    for (const CandidateStats& c : run.stats) {
        out << pad_right("  " + c.function, label_width)
            << pad_left(std::to_string(c.memory_mb) + " MB", col)
            << pad_left(format_usd(c.warm_cost.compute), 12)
            << pad_left(format_usd(c.warm_cost.total()), 12)
            << pad_left(format_usd(c.mixed_cost.total()), 12) << '\n';
    }
    out << "  (compute: the GB-seconds of all-warm traffic alone; the totals add the requests)\n";
    return out.str();
}

std::string bench_csv(const BenchRun& run) {
    std::ostringstream out;
    out << "function,memory_mb,cold,burst,environment,request_id,failed,error_type,init_ms,"
           "duration_ms,billed_ms,max_memory_mb\n";
    for (const BenchSample& s : run.samples) {
        out << csv_field(s.function) << ',' << s.memory_mb << ',' << (s.cold ? 1 : 0) << ','
            << (s.burst >= 0 ? std::to_string(s.burst) : "") << ',' << s.environment << ','
            << s.request_id << ',' << (s.failed ? 1 : 0) << ',' << csv_field(s.error_type) << ','
            << (s.init_duration_ms ? format_fixed(*s.init_duration_ms, 3) : "") << ','
            << format_fixed(s.duration_ms, 3) << ',' << s.billed_duration_ms << ','
            << s.max_memory_used_mb << '\n';
    }
    return out.str();
}

std::string bench_json(const BenchRun& run) {
    ordered_json j;
    ordered_json settings;
    ordered_json functions = ordered_json::array();
    for (std::size_t i = 0; i < run.functions.size(); ++i) {
        functions.push_back({{"label", run.functions[i]},
                             {"bootstrap", i < run.bootstraps.size() ? run.bootstraps[i] : ""}});
    }
    settings["functions"] = functions;
    settings["memory_mb"] = run.memory_sizes;
    settings["architecture"] = architecture_name(run.architecture);
    settings["event"] = run.event;
    settings["cold"] = run.cold;
    settings["warm"] = run.warm;
    settings["burst"] = run.burst;
    settings["price_gb_s"] = run.prices.per_gb_second;
    settings["price_request"] = run.prices.per_request;
    settings["cold_share"] = run.cold_share;
    settings["started"] = run.started;
    settings["machine"] = run.machine;
    j["settings"] = settings;

    ordered_json stats = ordered_json::array();
    for (const CandidateStats& c : run.stats) {
        ordered_json s;
        s["function"] = c.function;
        s["memory_mb"] = c.memory_mb;
        s["invocations"] = c.invocations;
        s["failures"] = c.failures;
        s["failure_types"] = c.failure_types;
        for (Metric m : k_all_metrics) s[metric_key(m)] = summary_json(c.of(m));
        s["cost_per_million_warm"] = c.warm_cost.total();
        s["cost_per_million_mixed"] = c.mixed_cost.total();
        stats.push_back(s);
    }
    j["stats"] = stats;

    ordered_json comparisons = ordered_json::array();
    for (const Comparison& cmp : run.comparisons) {
        comparisons.push_back({{"metric", metric_key(cmp.metric)},
                               {"memory_mb", cmp.memory_mb},
                               {"baseline", cmp.baseline},
                               {"other", cmp.other},
                               {"baseline_median", cmp.baseline_median},
                               {"other_median", cmp.other_median},
                               {"verdict", cmp.verdict}});
    }
    j["comparisons"] = comparisons;

    ordered_json samples = ordered_json::array();
    for (const BenchSample& s : run.samples) {
        ordered_json o;
        o["function"] = s.function;
        o["memory_mb"] = s.memory_mb;
        o["cold"] = s.cold;
        if (s.burst >= 0) o["burst"] = s.burst;
        o["environment"] = s.environment;
        o["request_id"] = s.request_id;
        o["failed"] = s.failed;
        if (!s.error_type.empty()) o["error_type"] = s.error_type;
        if (s.init_duration_ms) o["init_ms"] = *s.init_duration_ms;
        o["duration_ms"] = s.duration_ms;
        o["billed_ms"] = s.billed_duration_ms;
        o["max_memory_mb"] = s.max_memory_used_mb;
        samples.push_back(o);
    }
    j["samples"] = samples;
    return j.dump(2) + "\n";
}

}  // namespace lambda_emu::report
