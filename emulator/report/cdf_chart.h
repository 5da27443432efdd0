// The bench page's chart of one metric: the empirical CDF of each series as a step line, with
// its p50 and p95 marked, over a linear or logarithmic x axis, and a legend. Inline SVG that is
// well-formed XML.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lambda_emu::report {

// One line of the chart.
struct CdfSeries {
    std::string label;           // clipped to 16 characters in the legend: "rust"
    std::string sublabel;        // after the label, never clipped: "128 MB"
    std::string color;           // a CSS colour: "#0072B2"
    std::string dash;            // an SVG stroke-dasharray: "7 4"; "" for a solid line
    std::vector<double> values;  // in any order; NaN and infinities are left out
    std::optional<double> p50;   // where to mark the line at 50%; none: no mark
    std::optional<double> p95;   // and at 95%
};

struct CdfChart {
    std::string key;        // the data-metric attribute: "init_ms"
    std::string title;      // "Init Duration"
    std::string unit;       // "ms"
    bool integral = false;  // whole-number values: no tick step below 1
    std::vector<CdfSeries> series;
};

// `<svg class="chart" data-metric="KEY" ...>...</svg>` and a newline. A chart whose series
// have no values says "no data" instead.
std::string cdf_chart_svg(const CdfChart& chart);

}  // namespace lambda_emu::report
