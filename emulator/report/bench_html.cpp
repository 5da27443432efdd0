#include "report/bench_html.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

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

constexpr const char* k_none = "\xE2\x80\x94";  // an em dash: no figure

// Chart geometry, in SVG user units.
constexpr double k_chart_width = 570;
constexpr double k_plot_left = 64;
constexpr double k_plot_right = k_chart_width - 40;
constexpr double k_plot_top = 46;
constexpr double k_plot_height = 220;
constexpr double k_plot_bottom = k_plot_top + k_plot_height;
constexpr double k_legend_top = k_plot_bottom + 58;
constexpr double k_legend_row = 18;
constexpr std::size_t k_legend_columns = 2;
constexpr std::size_t k_legend_label_chars = 16;

// ---- text ---------------------------------------------------------------------------------

// Appends code point cp as UTF-8.
void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool allowed_in_xml(std::uint32_t cp) {
    if (cp == 0x9 || cp == 0xA || cp == 0xD) return true;
    if (cp < 0x20) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    if (cp == 0xFFFE || cp == 0xFFFF) return false;
    return cp <= 0x10FFFF;
}

// The text with every byte sequence that is not valid UTF-8, and every character XML 1.0
// forbids (control characters, ...), replaced by U+FFFD: labels and paths come from the
// command line and the file system, which promise neither.
std::string xml_safe(std::string_view in) {
    constexpr std::uint32_t k_replacement = 0xFFFD;
    std::string out;
    out.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        const auto b = static_cast<unsigned char>(in[i]);
        std::size_t len = 0;
        std::uint32_t cp = 0;
        std::uint32_t min = 0;
        if (b < 0x80) {
            len = 1;
            cp = b;
        } else if ((b & 0xE0) == 0xC0) {
            len = 2;
            cp = b & 0x1F;
            min = 0x80;
        } else if ((b & 0xF0) == 0xE0) {
            len = 3;
            cp = b & 0x0F;
            min = 0x800;
        } else if ((b & 0xF8) == 0xF0) {
            len = 4;
            cp = b & 0x07;
            min = 0x10000;
        }
        bool valid = len != 0 && i + len <= in.size();
        for (std::size_t k = 1; valid && k < len; ++k) {
            const auto c = static_cast<unsigned char>(in[i + k]);
            if ((c & 0xC0) != 0x80) {
                valid = false;
            } else {
                cp = (cp << 6) | (c & 0x3F);
            }
        }
        if (valid && cp < min) valid = false;  // overlong
        if (!valid) {
            append_utf8(out, k_replacement);
            ++i;  // resynchronise on the next byte
            continue;
        }
        append_utf8(out, allowed_in_xml(cp) ? cp : k_replacement);
        i += len;
    }
    return out;
}

// Text or attribute content: XML-safe, with & < > " ' escaped.
std::string esc(std::string_view in) {
    const std::string safe = xml_safe(in);
    std::string out;
    out.reserve(safe.size() + 16);
    for (char c : safe) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// At most max_chars characters of valid UTF-8 text, with an ellipsis when cut.
std::string clipped(const std::string& safe, std::size_t max_chars) {
    if (max_chars == 0) return {};
    std::size_t chars = 0;
    for (std::size_t i = 0; i < safe.size(); ++i) {
        if ((static_cast<unsigned char>(safe[i]) & 0xC0) == 0x80) continue;
        if (chars == max_chars - 1) {
            // Keep this character only if it is the last one.
            std::size_t rest = 0;
            for (std::size_t k = i; k < safe.size(); ++k)
                if ((static_cast<unsigned char>(safe[k]) & 0xC0) != 0x80) ++rest;
            if (rest <= 1) return safe;
            return safe.substr(0, i) + "\xE2\x80\xA6";
        }
        ++chars;
    }
    return safe;
}

// ---- numbers ------------------------------------------------------------------------------
// std::to_chars: the same digits whatever the process's locale.

std::string fixed(double v, int decimals) {
    if (!std::isfinite(v)) return k_none;
    std::array<char, 512> buf{};
    const auto r =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    if (r.ec != std::errc()) return k_none;
    std::string s(buf.data(), r.ptr);
    // "-0.00" is a zero.
    if (!s.empty() && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

// Up to max_decimals decimals, trailing zeros dropped: "5", "0.5", "12.25".
std::string trimmed(double v, int max_decimals) {
    std::string s = fixed(v, max_decimals);
    if (s.find('.') != std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
}

// The shortest decimal that reads back as v, never in exponent form: "0.0000166667".
std::string shortest(double v) {
    if (!std::isfinite(v)) return k_none;
    std::array<char, 512> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed);
    if (r.ec != std::errc()) return k_none;
    return std::string(buf.data(), r.ptr);
}

// "$0.0033": four decimals, as the articles print cost; an amount too small for them keeps two
// significant digits ("$0.000031") rather than reading as free.
std::string money(double usd) {
    if (!std::isfinite(usd)) return k_none;
    const double magnitude = std::fabs(usd);
    if (magnitude == 0 || magnitude >= 0.00005) return "$" + fixed(usd, 4);
    const int decimals = static_cast<int>(-std::floor(std::log10(magnitude))) + 1;
    return "$" + fixed(usd, decimals);
}

bool in_megabytes(Metric metric) { return std::string_view(metric_unit(metric)) == "MB"; }

// ms with two decimals, MB as integers.
std::string figure(Metric metric, double v) { return fixed(v, in_megabytes(metric) ? 0 : 2); }

std::string figure_with_unit(Metric metric, double v) {
    return figure(metric, v) + " " + metric_unit(metric);
}

std::string coord(double v) { return trimmed(v, 1); }

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
    return swatch(index_of(functions, function)) + "<span class=\"fn\">" + esc(function) +
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
    for (const auto& f : functions) names.push_back(esc(f));
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
        if (i < run.bootstraps.size()) out += " <code>" + esc(run.bootstraps[i]) + "</code>";
    }
    out += "</dd>\n";

    std::vector<std::string> memories;
    for (int m : memories_of(run)) memories.push_back(std::to_string(m) + " MB");
    out += "<dt>Memory</dt><dd>" +
           (memories.empty() ? std::string(k_none) : joined(memories, ", ")) + "</dd>\n";
    out +=
        std::string("<dt>Architecture</dt><dd>") + architecture_name(run.architecture) + "</dd>\n";
    out += "<dt>Event</dt><dd>" +
           (run.event.empty() ? k_none : "<code>" + esc(run.event) + "</code>") + "</dd>\n";
    std::string counts =
        plural(static_cast<std::size_t>(std::max(run.cold, 0)), "cold start", "cold starts") +
        ", " + std::to_string(run.warm) + " warm";
    counts += run.burst > 0 ? ", bursts of " + std::to_string(run.burst)
                            : std::string(", one cold start at a time");
    out += "<dt>Invocations</dt><dd>" + counts + "</dd>\n";
    out += "<dt>Started</dt><dd>" + (run.started.empty() ? k_none : esc(run.started)) + "</dd>\n";
    out += "<dt>Machine</dt><dd>" + (run.machine.empty() ? k_none : esc(run.machine)) + "</dd>\n";
    out += "<dt>Prices</dt><dd>$" + shortest(run.prices.per_gb_second) + " per GB-second, " +
           money(run.prices.per_request * 1e6) + " per 1M requests</dd>\n";
    out += "<dt>Cold share</dt><dd>" + trimmed(run.cold_share * 100, 2) +
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
               (has ? figure_with_unit(metric, median) : std::string(k_none)) + "</span></td>";
    };
    for (const auto& c : run.comparisons) {
        out += std::string("<tr><td>") + metric_title(c.metric) + "</td><td class=\"num\">" +
               std::to_string(c.memory_mb) + " MB</td>";
        out += median_cell(c.baseline, c.memory_mb, c.metric, c.baseline_median);
        out += median_cell(c.other, c.memory_mb, c.metric, c.other_median);
        if (c.verdict.empty()) {
            out += std::string("<td class=\"none\">") + k_none + " no data</td>";
        } else {
            out += "<td class=\"verdict\">" + esc(c.verdict) + "</td>";
        }
        out += "</tr>\n";
    }
    out += "</tbody>\n</table>\n</section>\n";
}

std::string failures_text(const CandidateStats& s) {
    if (s.failures == 0) return "<span class=\"ok\">0 failed</span>";
    std::vector<std::string> types;
    for (const auto& t : s.failure_types) types.push_back(esc(t));
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
                        out += std::string("<td class=\"num none\">") + k_none + "</td>";
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
    const std::string share = trimmed(run.cold_share * 100, 2) + "%";
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
                           : std::string("<td class=\"num none\">") + k_none + "</td>";
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

struct Series {
    std::string function;
    int memory_mb = 0;
    std::size_t color = 0;  // the function's index
    std::size_t dash = 0;   // the memory size's index
    std::vector<double> sorted;
    const CandidateStats* stats = nullptr;
};

// The x axis: linear, or logarithmic when the values span more than k_log_ratio.
struct XAxis {
    static constexpr double k_log_ratio = 20;
    bool log = false;
    double lo = 0;
    double hi = 1;
    std::vector<double> ticks;

    double at(double v) const {
        double t = log ? (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo))
                       : (v - lo) / (hi - lo);
        t = std::clamp(t, 0.0, 1.0);
        return k_plot_left + t * (k_plot_right - k_plot_left);
    }
};

double nice_step(double raw) {
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / magnitude;
    const double step = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
    return step * magnitude;
}

XAxis x_axis(double lo, double hi, bool integral) {
    XAxis axis;
    if (lo > 0 && hi / lo > XAxis::k_log_ratio) {
        axis.log = true;
        axis.lo = lo / 1.25;
        axis.hi = hi * 1.25;
        const int first = static_cast<int>(std::floor(std::log10(axis.lo)));
        const int last = static_cast<int>(std::ceil(std::log10(axis.hi)));
        const bool wide = last - first > 4;
        for (int e = first; e <= last; ++e) {
            for (double m : {1.0, 2.0, 5.0}) {
                if (wide && m != 1.0) continue;
                const double v = m * std::pow(10.0, e);
                if (v >= axis.lo && v <= axis.hi) axis.ticks.push_back(v);
            }
        }
        return axis;
    }
    if (hi - lo < 1e-9 * std::max(1.0, std::fabs(hi))) {
        const double pad = std::max(std::fabs(lo) * 0.1, 1.0);
        const bool non_negative = lo >= 0;
        lo -= pad;
        hi += pad;
        if (non_negative) lo = std::max(lo, 0.0);
    }
    double step = nice_step((hi - lo) / 5);
    if (integral) step = std::max(step, 1.0);
    axis.lo = std::floor(lo / step) * step;
    axis.hi = std::ceil(hi / step) * step;
    if (axis.hi <= axis.lo) axis.hi = axis.lo + step;
    for (double v = axis.lo; v <= axis.hi + step * 1e-6; v += step)
        axis.ticks.push_back(std::round(v / step) * step);
    return axis;
}

// Ticks are round numbers: six decimals at most hide the sums' floating-point noise.
std::string tick_label(double v) { return trimmed(v, 6); }

double y_at(double share) { return k_plot_bottom - share * k_plot_height; }

// The empirical CDF as a step line: up by 1/n at each value.
std::string cdf_path(const std::vector<double>& sorted, const XAxis& axis) {
    const double n = static_cast<double>(sorted.size());
    std::string d = "M" + coord(axis.at(sorted.front())) + " " + coord(y_at(0));
    std::size_t i = 0;
    while (i < sorted.size()) {
        std::size_t j = i;
        while (j + 1 < sorted.size() && sorted[j + 1] == sorted[i]) ++j;
        if (i > 0) d += "H" + coord(axis.at(sorted[i]));
        d += "V" + coord(y_at(static_cast<double>(j + 1) / n));
        i = j + 1;
    }
    return d;
}

std::size_t legend_rows(std::size_t series) {
    return std::max<std::size_t>(1, (series + k_legend_columns - 1) / k_legend_columns);
}

double chart_height(std::size_t series) {
    return k_legend_top + static_cast<double>(legend_rows(series)) * k_legend_row + 6;
}

std::string text_at(double x, double y, const std::string& attributes, const std::string& text) {
    return "<text x=\"" + coord(x) + "\" y=\"" + coord(y) + "\"" +
           (attributes.empty() ? "" : " " + attributes) + ">" + text + "</text>";
}

std::string line(double x1, double y1, double x2, double y2, const std::string& attributes) {
    return "<line x1=\"" + coord(x1) + "\" y1=\"" + coord(y1) + "\" x2=\"" + coord(x2) +
           "\" y2=\"" + coord(y2) + "\" " + attributes + "/>";
}

std::string marker(double x, double y, const char* color) {
    return "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"3.5\" fill=\"" + color +
           "\" stroke=\"#ffffff\" stroke-width=\"1.2\"/>";
}

void write_chart(std::string& out, Metric metric, const std::vector<Series>& all_series) {
    const double height = chart_height(all_series.size());
    const std::string title = std::string(metric_title(metric)) + " (" + metric_unit(metric) + ")";
    out += std::string("<svg class=\"chart\" data-metric=\"") + esc(metric_key(metric)) +
           "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + coord(k_chart_width) + " " +
           coord(height) + "\" width=\"" + coord(k_chart_width) + "\" height=\"" + coord(height) +
           "\" role=\"img\" aria-label=\"" + esc("Empirical CDF of " + title) + "\">\n";
    out += "<title>" + esc("Empirical CDF of " + title) + "</title>\n";
    out += text_at(14, 24, "font-size=\"15\" font-weight=\"700\" fill=\"#1d2330\"", esc(title));

    bool any = false;
    double lo = 0;
    double hi = 0;
    for (const auto& s : all_series) {
        if (s.sorted.empty()) continue;
        lo = any ? std::min(lo, s.sorted.front()) : s.sorted.front();
        hi = any ? std::max(hi, s.sorted.back()) : s.sorted.back();
        any = true;
    }
    const std::string frame = "<rect x=\"" + coord(k_plot_left) + "\" y=\"" + coord(k_plot_top) +
                              "\" width=\"" + coord(k_plot_right - k_plot_left) + "\" height=\"" +
                              coord(k_plot_height) +
                              "\" fill=\"#fafbfc\" stroke=\"#c4c9d4\" stroke-width=\"1\"/>\n";
    if (!any) {
        out += "\n" + frame;
        out += text_at((k_plot_left + k_plot_right) / 2, k_plot_top + k_plot_height / 2,
                       "class=\"no-data\" text-anchor=\"middle\" font-size=\"16\" "
                       "font-weight=\"600\" fill=\"#8a93a3\"",
                       "no data");
        out += "\n" + text_at((k_plot_left + k_plot_right) / 2, k_plot_top + k_plot_height / 2 + 20,
                              "text-anchor=\"middle\" font-size=\"12\" fill=\"#8a93a3\"",
                              "no successful invocation measured this metric");
        out += "\n</svg>\n";
        return;
    }

    const XAxis axis = x_axis(lo, hi, in_megabytes(metric));
    out += text_at(k_plot_right, 24, "text-anchor=\"end\" font-size=\"11\" fill=\"#5b6475\"",
                   axis.log ? "empirical CDF, log scale" : "empirical CDF");
    out += "\n" + frame;

    // Grid and ticks.
    for (double share : {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}) {
        const double y = y_at(share);
        if (share > 0 && share < 1)
            out += line(k_plot_left, y, k_plot_right, y, "stroke=\"#e6e9ef\" stroke-width=\"1\"");
        out +=
            text_at(k_plot_left - 6, y + 4, "text-anchor=\"end\" font-size=\"11\" fill=\"#5b6475\"",
                    trimmed(share * 100, 0) + "%") +
            "\n";
    }
    for (double v : axis.ticks) {
        const double x = axis.at(v);
        out += line(x, k_plot_top, x, k_plot_bottom, "stroke=\"#e6e9ef\" stroke-width=\"1\"");
        out +=
            line(x, k_plot_bottom, x, k_plot_bottom + 4, "stroke=\"#8a93a3\" stroke-width=\"1\"");
        out += text_at(x, k_plot_bottom + 16,
                       "text-anchor=\"middle\" font-size=\"11\" fill=\"#5b6475\"", tick_label(v)) +
               "\n";
    }
    // p50 and p95 reference lines.
    for (auto [share, name] : {std::pair{0.5, "p50"}, std::pair{0.95, "p95"}}) {
        const double y = y_at(share);
        out += line(k_plot_left, y, k_plot_right, y,
                    "stroke=\"#8a93a3\" stroke-width=\"1\" stroke-dasharray=\"4 3\"");
        out += text_at(k_plot_right + 5, y + 4,
                       "font-size=\"11\" font-weight=\"600\" fill=\"#5b6475\"", name) +
               "\n";
    }
    // Axis titles.
    out += text_at((k_plot_left + k_plot_right) / 2, k_plot_bottom + 36,
                   "text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2330\"",
                   esc(std::string(metric_title(metric)) + " (" + metric_unit(metric) +
                       (axis.log ? ", log scale)" : ")"))) +
           "\n";
    const double mid_y = (k_plot_top + k_plot_bottom) / 2;
    out += "<text x=\"16\" y=\"" + coord(mid_y) + "\" transform=\"rotate(-90 16 " + coord(mid_y) +
           ")\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2330\">share of invocations "
           "\xE2\x89\xA4 x</text>\n";

    // The lines, then the p50 and p95 markers on top of every line.
    for (const auto& s : all_series) {
        if (s.sorted.empty()) continue;
        const char* dash = k_memory_dashes[s.dash % k_memory_dashes.size()];
        out += "<path d=\"" + cdf_path(s.sorted, axis) + "\" fill=\"none\" stroke=\"" +
               color_of(s.color) + "\" stroke-width=\"2\" stroke-linejoin=\"round\"" +
               (*dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()) + "/>\n";
    }
    for (const auto& s : all_series) {
        if (s.sorted.empty() || s.stats == nullptr || s.stats->of(metric).n == 0) continue;
        const Summary& m = s.stats->of(metric);
        out += marker(axis.at(m.p50), y_at(0.5), color_of(s.color));
        out += marker(axis.at(m.p95), y_at(0.95), color_of(s.color)) + "\n";
    }

    // Legend: one entry per function and memory size.
    const double column_width = (k_chart_width - 2 * 16) / static_cast<double>(k_legend_columns);
    for (std::size_t i = 0; i < all_series.size(); ++i) {
        const Series& s = all_series[i];
        const double x = 16 + static_cast<double>(i % k_legend_columns) * column_width;
        const double y = k_legend_top + static_cast<double>(i / k_legend_columns) * k_legend_row;
        const char* dash = k_memory_dashes[s.dash % k_memory_dashes.size()];
        out +=
            line(x, y - 4, x + 28, y - 4,
                 std::string("stroke=\"") + color_of(s.color) + "\" stroke-width=\"2.5\"" +
                     (*dash ? std::string(" stroke-dasharray=\"") + dash + "\"" : std::string()));
        std::string label = esc(clipped(xml_safe(s.function), k_legend_label_chars)) +
                            " \xC2\xB7 " + std::to_string(s.memory_mb) + " MB";
        const std::string detail =
            s.sorted.empty() ? "no data" : "n=" + std::to_string(s.sorted.size());
        out += text_at(x + 36, y, "font-size=\"12\" fill=\"#1d2330\"",
                       label + " <tspan fill=\"#8a93a3\">" + detail + "</tspan>") +
               "\n";
    }
    out += "</svg>\n";
}

void write_charts(std::string& out, const BenchRun& run,
                  const std::vector<std::string>& functions) {
    const std::vector<int> memories = memories_of(run);
    out += "<section>\n<h2>Distributions</h2>\n";
    out +=
        "<p class=\"note\">Empirical CDF per function (colour) and memory size (stroke); "
        "dots mark each line's p50 and p95.</p>\n<div class=\"charts\">\n";
    for (Metric metric : k_all_metrics) {
        std::vector<Series> all_series;
        for (std::size_t f = 0; f < functions.size(); ++f) {
            for (std::size_t m = 0; m < memories.size(); ++m) {
                const CandidateStats* stats = stats_of(run, functions[f], memories[m]);
                if (stats == nullptr) continue;
                Series s;
                s.function = functions[f];
                s.memory_mb = memories[m];
                s.color = f;
                s.dash = m;
                s.stats = stats;
                s.sorted = metric_values(run, functions[f], memories[m], metric);
                std::erase_if(s.sorted, [](double v) { return !std::isfinite(v); });
                std::sort(s.sorted.begin(), s.sorted.end());
                all_series.push_back(std::move(s));
            }
        }
        write_chart(out, metric, all_series);
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
    out += "<title>" + esc("lambda-emu bench: " + joined(functions, " vs ")) + "</title>\n";
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
