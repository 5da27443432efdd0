#include "report/bench_html.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "report/cdf_chart.h"
#include "report/number_format.h"
#include "report/xml_text.h"

namespace lambda_emu::report {

// A named namespace inside the unnamed one: the unity build puts the other report files in
// the same translation unit, and their helpers must not meet these.
namespace {
namespace html_page {

// Okabe-Ito, without its yellow (unreadable on white): one colour per function.
constexpr std::array<const char*, 7> k_function_colors = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"};
// One stroke pattern per memory size ("" is solid).
constexpr std::array<const char*, 4> k_memory_dashes = {"", "7 4", "2 3", "10 3 2 3"};

// ---- numbers ------------------------------------------------------------------------------

// The shortest decimal that reads back as v, never in exponent form: "0.0000166667".
std::string shortest(double v) {
    if (!std::isfinite(v)) return k_no_figure;
    std::array<char, 512> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
    if (r.ec != std::errc()) return k_no_figure;
    return std::string(buf.data(), r.ptr);
}

// "$0.0033": four decimals, as the articles print cost; an amount too small for them keeps two
// significant digits ("$0.000031") rather than reading as free. Not format_usd (bench_tables.h),
// which prints $0.0005 as "$0.00050".
std::string money(double usd) {
    if (!std::isfinite(usd)) return k_no_figure;
    const double magnitude = std::fabs(usd);
    if (magnitude == 0 || magnitude >= 0.00005) return "$" + format_figure(usd, 4);
    const int decimals = static_cast<int>(-std::floor(std::log10(magnitude))) + 1;
    return "$" + format_figure(usd, decimals);
}

bool in_megabytes(Metric metric) { return std::string_view(metric_unit(metric)) == "MB"; }

// ms with two decimals, MB as integers.
std::string figure(Metric metric, double v) {
    return format_figure(v, in_megabytes(metric) ? 0 : 2);
}

std::string figure_with_unit(Metric metric, double v) {
    return figure(metric, v) + " " + metric_unit(metric);
}

// ---- the run's shape ----------------------------------------------------------------------

// The functions in the run's order, then any the stats name that the run does not.
std::vector<std::string> functions_of(const BenchRun& run) {
    std::vector<std::string> out = run.functions;
    for (const auto& s : run.stats)
        if (std::find(out.begin(), out.end(), s.function) == out.end()) out.push_back(s.function);
    return out;
}

std::vector<int> memories_of(const BenchRun& run) {
    std::vector<int> out;
    auto add = [&](int m) {
        if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
    };
    for (int m : run.memory_sizes) add(m);
    for (const auto& s : run.stats) add(s.memory_mb);
    return out;
}

const CandidateStats* stats_of(const BenchRun& run, const std::string& function, int memory_mb) {
    for (const auto& s : run.stats)
        if (s.function == function && s.memory_mb == memory_mb) return &s;
    return nullptr;
}

std::size_t index_of(const std::vector<std::string>& functions, const std::string& function) {
    const auto it = std::find(functions.begin(), functions.end(), function);
    return static_cast<std::size_t>(it - functions.begin());
}

const char* color_of(std::size_t function_index) {
    return k_function_colors[function_index % k_function_colors.size()];
}

std::string swatch(std::size_t function_index) {
    return std::string("<span class=\"swatch\" style=\"background-color:") +
           color_of(function_index) + "\"></span>";
}

std::string function_label(const std::vector<std::string>& functions, const std::string& function) {
    return swatch(index_of(functions, function)) + "<span class=\"fn\">" + xml_escape(function) +
           "</span>";
}

std::string plural(std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i > 0) out += separator;
        out += parts[i];
    }
    return out;
}

// ---- page parts ---------------------------------------------------------------------------

constexpr const char* k_style = R"css(
body { margin: 0; background: #f4f5f7; color: #1d2330;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { box-sizing: border-box; max-width: 1200px; margin: 0 auto; padding: 20px 20px 40px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h1 .vs { color: #5b6475; font-weight: normal; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #d9dde5; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note { color: #5b6475; margin: 4px 0 10px; font-size: 13px; }
.subtitle { color: #5b6475; margin: 0 0 14px; }
dl.settings { display: grid; grid-template-columns: max-content 1fr max-content 1fr;
  gap: 4px 16px; margin: 0; padding: 12px 16px; background: #ffffff;
  border: 1px solid #d9dde5; border-radius: 6px; }
dl.settings dt { color: #5b6475; font-weight: 600; }
dl.settings dd { margin: 0; }
dl.settings dd.wide { grid-column: span 3; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  background: #eef0f4; padding: 0 4px; border-radius: 3px; word-break: break-all; }
table { border-collapse: collapse; background: #ffffff; border: 1px solid #d9dde5;
  font-variant-numeric: tabular-nums; margin-bottom: 6px; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e6e9ef; text-align: left;
  vertical-align: top; }
thead th { background: #eef0f4; font-weight: 600; border-bottom: 1px solid #cfd4de; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
tbody tr.first td { border-top: 1px solid #cfd4de; }
td.fncell { min-width: 150px; }
td.fnname { min-width: 140px; }
td.median { text-align: right; min-width: 150px; }
.v { white-space: nowrap; }
td.none { color: #9aa1ad; }
.unit { color: #5b6475; font-size: 12px; }
.fn { font-weight: 600; overflow-wrap: anywhere; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; vertical-align: baseline; }
.bad { color: #b3261e; font-weight: 700; }
.count { display: block; color: #5b6475; font-size: 12px; }
.ok { display: block; color: #2e7d32; font-size: 12px; }
.failures { display: block; color: #b3261e; font-weight: 700; font-size: 12px;
  background: #fdecea; padding: 1px 4px; border-radius: 3px; margin-top: 2px; }
td.verdict { font-weight: 700; }
.charts { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 16px; }
svg.chart { display: block; width: 100%; height: auto; background: #ffffff;
  border: 1px solid #d9dde5; border-radius: 6px;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
)css";

void write_header(std::string& out, const BenchRun& run,
                  const std::vector<std::string>& functions) {
    std::vector<std::string> names;
    for (const auto& f : functions) names.push_back(xml_escape(f));
    out += "<header>\n<h1>lambda-emu bench";
    if (!names.empty()) {
        out += ": " + names.front();
        for (std::size_t i = 1; i < names.size(); ++i)
            out += " <span class=\"vs\">vs</span> " + names[i];
    }
    out += "</h1>\n";
    std::size_t invocations = 0;
    std::size_t failures = 0;
    for (const auto& s : run.stats) {
        invocations += s.invocations;
        failures += s.failures;
    }
    const std::string failed = plural(failures, "failure", "failures");
    out += "<p class=\"subtitle\">" + plural(invocations, "invocation", "invocations") + ", " +
           (failures > 0 ? "<span class=\"bad\">" + failed + "</span>" : failed) + "</p>\n";

    out += "<dl class=\"settings\">\n<dt>Functions</dt><dd class=\"wide\">";
    for (std::size_t i = 0; i < functions.size(); ++i) {
        if (i > 0) out += "<br/>";
        out += function_label(functions, functions[i]);
        if (i < run.bootstraps.size()) out += " <code>" + xml_escape(run.bootstraps[i]) + "</code>";
    }
    out += "</dd>\n";

    std::vector<std::string> memories;
    for (int m : memories_of(run)) memories.push_back(std::to_string(m) + " MB");
    out += "<dt>Memory</dt><dd>" +
           (memories.empty() ? std::string(k_no_figure) : joined(memories, ", ")) + "</dd>\n";
    out +=
        std::string("<dt>Architecture</dt><dd>") + architecture_name(run.architecture) + "</dd>\n";
    out += "<dt>Event</dt><dd>" +
           (run.event.empty() ? k_no_figure : "<code>" + xml_escape(run.event) + "</code>") +
           "</dd>\n";
    std::string counts =
        plural(static_cast<std::size_t>(std::max(run.cold, 0)), "cold start", "cold starts") +
        ", " + std::to_string(run.warm) + " warm";
    counts += run.burst > 0 ? ", bursts of " + std::to_string(run.burst)
                            : std::string(", one cold start at a time");
    out += "<dt>Invocations</dt><dd>" + counts + "</dd>\n";
    out += "<dt>Started</dt><dd>" + (run.started.empty() ? k_no_figure : xml_escape(run.started)) +
           "</dd>\n";
    out += "<dt>Machine</dt><dd>" + (run.machine.empty() ? k_no_figure : xml_escape(run.machine)) +
           "</dd>\n";
    out += "<dt>Prices</dt><dd>$" + shortest(run.prices.per_gb_second) + " per GB-second, " +
           money(run.prices.per_request * 1e6) + " per 1M requests</dd>\n";
    out += "<dt>Cold share</dt><dd>" + format_trimmed(run.cold_share * 100, 2) +
           "% of invocations in the mixed cost</dd>\n";
    out += "</dl>\n</header>\n";
}

void write_comparisons(std::string& out, const BenchRun& run,
                       const std::vector<std::string>& functions) {
    if (run.comparisons.empty()) return;
    out += "<section>\n<h2>Side by side</h2>\n";
    out +=
        "<p class=\"note\">Medians of each metric, the first function against each other one, "
        "per memory size.</p>\n";
    out +=
        "<table class=\"comparisons\">\n<thead><tr><th>Metric</th><th class=\"num\">Memory</th>"
        "<th class=\"num\">Baseline median</th><th class=\"num\">Other median</th>"
        "<th>Verdict</th></tr></thead>\n<tbody>\n";
    auto median_cell = [&](const std::string& function, int memory_mb, Metric metric,
                           double median) {
        const CandidateStats* s = stats_of(run, function, memory_mb);
        const bool has = s == nullptr || s->of(metric).n > 0;
        return "<td class=\"median\">" + function_label(functions, function) +
               " <span class=\"v\">" +
               (has ? figure_with_unit(metric, median) : std::string(k_no_figure)) + "</span></td>";
    };
    for (const auto& c : run.comparisons) {
        out += std::string("<tr><td>") + metric_title(c.metric) + "</td><td class=\"num\">" +
               std::to_string(c.memory_mb) + " MB</td>";
        out += median_cell(c.baseline, c.memory_mb, c.metric, c.baseline_median);
        out += median_cell(c.other, c.memory_mb, c.metric, c.other_median);
        if (c.verdict.empty()) {
            out += std::string("<td class=\"none\">") + k_no_figure + " no data</td>";
        } else {
            out += "<td class=\"verdict\">" + xml_escape(c.verdict) + "</td>";
        }
        out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

std::string failures_text(const CandidateStats& s) {
    if (s.failures == 0) return "<span class=\"ok\">0 failed</span>";
    std::vector<std::string> types;
    for (const auto& t : s.failure_types) types.push_back(xml_escape(t));
    std::string text = std::to_string(s.failures) + " failed";
    if (!types.empty()) text += ": " + joined(types, ", ");
    return "<span class=\"failures\">" + text + "</span>";
}

void write_summary(std::string& out, const BenchRun& run,
                   const std::vector<std::string>& functions) {
    out += "<section>\n<h2>Summary</h2>\n";
    out +=
        "<p class=\"note\">Successful invocations only; failures are counted apart. "
        "Durations in ms, memory in MB.</p>\n";
    for (int memory : memories_of(run)) {
        out += "<h3>" + std::to_string(memory) + " MB</h3>\n";
        out += "<table class=\"summary\">\n<thead><tr><th>Function</th><th>Metric</th>";
        for (const char* column : {"n", "min", "p50", "p95", "p99", "max", "mean", "stddev"})
            out += std::string("<th class=\"num\">") + column + "</th>";
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& function : functions) {
            const CandidateStats* s = stats_of(run, function, memory);
            if (s == nullptr) continue;
            bool first = true;
            for (Metric metric : k_all_metrics) {
                out += first ? "<tr class=\"first\">" : "<tr>";
                if (first) {
                    out += "<td class=\"fncell\" rowspan=\"" + std::to_string(k_metric_count) +
                           "\">" + function_label(functions, function) + "<span class=\"count\">" +
                           plural(s->invocations, "invocation", "invocations") + "</span>" +
                           failures_text(*s) + "</td>";
                    first = false;
                }
                const Summary& m = s->of(metric);
                out += std::string("<td>") + metric_title(metric) + " <span class=\"unit\">" +
                       metric_unit(metric) + "</span></td>";
                out += "<td class=\"num\">" + std::to_string(m.n) + "</td>";
                if (m.n == 0) {
                    for (int i = 0; i < 7; ++i)
                        out += std::string("<td class=\"num none\">") + k_no_figure + "</td>";
                } else {
                    for (double v : {m.min, m.p50, m.p95, m.p99, m.max, m.mean, m.stddev})
                        out += "<td class=\"num\">" + figure(metric, v) + "</td>";
                }
                out += "</tr>\n";
            }
        }
        out += "</tbody>\n</table>\n";
    }
    out += "</section>\n";
}

void write_cost(std::string& out, const BenchRun& run, const std::vector<std::string>& functions) {
    const std::string share = format_trimmed(run.cold_share * 100, 2) + "%";
    out += "<section>\n<h2>Cost per 1M invocations</h2>\n";
    out += "<p class=\"note\">" + std::string(architecture_name(run.architecture)) + " at $" +
           shortest(run.prices.per_gb_second) + " per GB-second; the total adds " +
           money(run.prices.per_request * 1e6) +
           " of requests; free tier excluded. All warm: every invocation billed the mean warm "
           "Billed Duration. Mixed: " +
           share +
           " cold starts (Init billed too), the rest warm. Without warm samples the cold ones "
           "price every invocation, and the other way round.</p>\n";
    out +=
        "<table class=\"cost\">\n<thead><tr><th>Function</th><th class=\"num\">Memory</th>"
        "<th class=\"num\">Warm billed (mean)</th><th class=\"num\">Cold billed (mean)</th>"
        "<th class=\"num\">All warm: compute</th><th class=\"num\">All warm: total</th>"
        "<th class=\"num\">Mixed (" +
        share + " cold): compute</th><th class=\"num\">Mixed: total</th></tr></thead>\n<tbody>\n";
    for (int memory : memories_of(run)) {
        bool first = true;
        for (const auto& function : functions) {
            const CandidateStats* s = stats_of(run, function, memory);
            if (s == nullptr) continue;
            const Summary& warm = s->of(Metric::warm_billed);
            const Summary& cold = s->of(Metric::cold_billed);
            auto cell = [](bool has, const std::string& text) {
                return has ? "<td class=\"num\">" + text + "</td>"
                           : std::string("<td class=\"num none\">") + k_no_figure + "</td>";
            };
            out += first ? "<tr class=\"first\">" : "<tr>";
            first = false;
            out += "<td class=\"fnname\">" + function_label(functions, function) +
                   "</td><td class=\"num\">" + std::to_string(memory) + " MB</td>";
            out += cell(warm.n > 0, figure_with_unit(Metric::warm_billed, warm.mean));
            out += cell(cold.n > 0, figure_with_unit(Metric::cold_billed, cold.mean));
            // compute_stats prices a missing kind of invocation as the other kind.
            const bool priced = warm.n > 0 || cold.n > 0;
            out += cell(priced, money(s->warm_cost.compute));
            out += cell(priced, money(s->warm_cost.total()));
            out += cell(priced, money(s->mixed_cost.compute));
            out += cell(priced, money(s->mixed_cost.total()));
            out += "</tr>\n";
        }
    }
    out += "</tbody>\n</table>\n</section>\n";
}

// ---- charts -------------------------------------------------------------------------------

void write_charts(std::string& out, const BenchRun& run,
                  const std::vector<std::string>& functions) {
    const std::vector<int> memories = memories_of(run);
    out += "<section>\n<h2>Distributions</h2>\n";
    out +=
        "<p class=\"note\">Empirical CDF per function (colour) and memory size (stroke); "
        "dots mark each line's p50 and p95.</p>\n<div class=\"charts\">\n";
    for (Metric metric : k_all_metrics) {
        CdfChart chart;
        chart.key = metric_key(metric);
        chart.title = metric_title(metric);
        chart.unit = metric_unit(metric);
        chart.integral = in_megabytes(metric);
        for (std::size_t f = 0; f < functions.size(); ++f) {
            for (std::size_t m = 0; m < memories.size(); ++m) {
                const CandidateStats* stats = stats_of(run, functions[f], memories[m]);
                if (stats == nullptr) continue;
                CdfSeries s;
                s.label = functions[f];
                s.sublabel = std::to_string(memories[m]) + " MB";
                s.color = color_of(f);
                s.dash = k_memory_dashes[m % k_memory_dashes.size()];
                s.values = metric_values(run, functions[f], memories[m], metric);
                if (stats->of(metric).n > 0) {
                    s.p50 = stats->of(metric).p50;
                    s.p95 = stats->of(metric).p95;
                }
                chart.series.push_back(std::move(s));
            }
        }
        out += cdf_chart_svg(chart);
    }
    out += "</div>\n</section>\n";
}

}  // namespace html_page
}  // namespace

std::string bench_html(const BenchRun& run) {
    using namespace html_page;
    const std::vector<std::string> functions = functions_of(run);

    std::string out;
    out += "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n";
    out += "<meta charset=\"utf-8\"/>\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n";
    out += "<title>" + xml_escape("lambda-emu bench: " + joined(functions, " vs ")) + "</title>\n";
    out += "<style>";
    out += k_style;
    out += "</style>\n</head>\n<body>\n<main>\n";
    write_header(out, run, functions);
    write_comparisons(out, run, functions);
    write_summary(out, run, functions);
    write_charts(out, run, functions);
    write_cost(out, run, functions);
    out += "</main>\n</body>\n</html>\n";
    return out;
}

}  // namespace lambda_emu::report
