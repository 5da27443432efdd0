#include "report/cdf_chart.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "report/number_format.h"
#include "report/xml_text.h"

namespace lambda_emu::report {

// A named namespace inside the unnamed one: the unity build puts the other report files in
// the same translation unit, and their helpers must not meet these.
namespace {
namespace cdf_svg {

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

std::string coord(double v) { return format_trimmed(v, 1); }

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
std::string tick_label(double v) { return format_trimmed(v, 6); }

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

std::string marker(double x, double y, const std::string& color) {
    return "<circle cx=\"" + coord(x) + "\" cy=\"" + coord(y) + "\" r=\"3.5\" fill=\"" + color +
           "\" stroke=\"#ffffff\" stroke-width=\"1.2\"/>";
}

std::string dash_attribute(const std::string& dash) {
    return dash.empty() ? std::string() : " stroke-dasharray=\"" + xml_escape(dash) + "\"";
}

// The finite values, ascending.
std::vector<double> sorted_values(std::vector<double> values) {
    std::erase_if(values, [](double v) { return !std::isfinite(v); });
    std::sort(values.begin(), values.end());
    return values;
}

}  // namespace cdf_svg
}  // namespace

std::string cdf_chart_svg(const CdfChart& chart) {
    using namespace cdf_svg;
    std::vector<std::vector<double>> sorted;
    for (const auto& s : chart.series) sorted.push_back(sorted_values(s.values));

    std::string out;
    const double height = chart_height(chart.series.size());
    const std::string title = chart.title + " (" + chart.unit + ")";
    out += "<svg class=\"chart\" data-metric=\"" + xml_escape(chart.key) +
           "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + coord(k_chart_width) + " " +
           coord(height) + "\" width=\"" + coord(k_chart_width) + "\" height=\"" + coord(height) +
           "\" role=\"img\" aria-label=\"" + xml_escape("Empirical CDF of " + title) + "\">\n";
    out += "<title>" + xml_escape("Empirical CDF of " + title) + "</title>\n";
    out +=
        text_at(14, 24, "font-size=\"15\" font-weight=\"700\" fill=\"#1d2330\"", xml_escape(title));

    bool any = false;
    double lo = 0;
    double hi = 0;
    for (const auto& values : sorted) {
        if (values.empty()) continue;
        lo = any ? std::min(lo, values.front()) : values.front();
        hi = any ? std::max(hi, values.back()) : values.back();
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
        return out;
    }

    const XAxis axis = x_axis(lo, hi, chart.integral);
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
                    format_trimmed(share * 100, 0) + "%") +
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
    out +=
        text_at((k_plot_left + k_plot_right) / 2, k_plot_bottom + 36,
                "text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2330\"",
                xml_escape(chart.title + " (" + chart.unit + (axis.log ? ", log scale)" : ")"))) +
        "\n";
    const double mid_y = (k_plot_top + k_plot_bottom) / 2;
    out += "<text x=\"16\" y=\"" + coord(mid_y) + "\" transform=\"rotate(-90 16 " + coord(mid_y) +
           ")\" text-anchor=\"middle\" font-size=\"12\" fill=\"#1d2330\">share of invocations "
           "\xE2\x89\xA4 x</text>\n";

    // The lines, then the p50 and p95 markers on top of every line.
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        if (sorted[i].empty()) continue;
        const CdfSeries& s = chart.series[i];
        out += "<path d=\"" + cdf_path(sorted[i], axis) + "\" fill=\"none\" stroke=\"" +
               xml_escape(s.color) + "\" stroke-width=\"2\" stroke-linejoin=\"round\"" +
               dash_attribute(s.dash) + "/>\n";
    }
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const CdfSeries& s = chart.series[i];
        if (sorted[i].empty() || (!s.p50 && !s.p95)) continue;
        if (s.p50) out += marker(axis.at(*s.p50), y_at(0.5), xml_escape(s.color));
        if (s.p95) out += marker(axis.at(*s.p95), y_at(0.95), xml_escape(s.color));
        out += "\n";
    }

    // Legend: one entry per series.
    const double column_width = (k_chart_width - 2 * 16) / static_cast<double>(k_legend_columns);
    for (std::size_t i = 0; i < chart.series.size(); ++i) {
        const CdfSeries& s = chart.series[i];
        const double x = 16 + static_cast<double>(i % k_legend_columns) * column_width;
        const double y = k_legend_top + static_cast<double>(i / k_legend_columns) * k_legend_row;
        out += line(
            x, y - 4, x + 28, y - 4,
            "stroke=\"" + xml_escape(s.color) + "\" stroke-width=\"2.5\"" + dash_attribute(s.dash));
        const std::string label = xml_escape(clipped(xml_safe(s.label), k_legend_label_chars)) +
                                  " \xC2\xB7 " + xml_escape(s.sublabel);
        const std::string detail =
            sorted[i].empty() ? "no data" : "n=" + std::to_string(sorted[i].size());
        out += text_at(x + 36, y, "font-size=\"12\" fill=\"#1d2330\"",
                       label + " <tspan fill=\"#8a93a3\">" + detail + "</tspan>") +
               "\n";
    }
    out += "</svg>\n";
    return out;
}

}  // namespace lambda_emu::report
