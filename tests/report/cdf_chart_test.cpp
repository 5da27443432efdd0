#include "report/cdf_chart.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace lambda_emu::report {

namespace {

std::size_t occurrences_in_svg(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos;
         at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

CdfChart warm_chart() {
    CdfChart chart;
    chart.key = "warm_ms";
    chart.title = "Duration (warm)";
    chart.unit = "ms";
    CdfSeries s;
    s.label = "rust";
    s.sublabel = "128 MB";
    s.color = "#0072B2";
    s.values = {3, 1, std::numeric_limits<double>::quiet_NaN(), 4, 2};
    s.p50 = 2.5;
    s.p95 = 3.85;
    chart.series.push_back(s);
    return chart;
}

}  // namespace

TEST(CdfChart, OneSvgElement) {
    const std::string svg = cdf_chart_svg(warm_chart());
    EXPECT_TRUE(svg.starts_with(
        "<svg class=\"chart\" data-metric=\"warm_ms\" xmlns=\"http://www.w3.org/2000/svg\" "
        "viewBox=\"0 0 570 348\" width=\"570\" height=\"348\" role=\"img\" "
        "aria-label=\"Empirical CDF of Duration (warm) (ms)\">\n"
        "<title>Empirical CDF of Duration (warm) (ms)</title>\n"))
        << svg;
    EXPECT_TRUE(svg.ends_with("</svg>\n"));
    EXPECT_EQ(occurrences_in_svg(svg, "<svg"), 1u);
    EXPECT_EQ(occurrences_in_svg(svg, "</svg>"), 1u);
}

TEST(CdfChart, StepLineOverTheFiniteValues) {
    // 1..4 on a linear axis from 1 to 4: x = 64 + (v - 1) / 3 * 466, y = 266 - share * 220.
    const std::string svg = cdf_chart_svg(warm_chart());
    EXPECT_NE(svg.find("<path d=\"M64 266V211H219.3V156H374.7V101H530V46\" fill=\"none\" "
                       "stroke=\"#0072B2\" stroke-width=\"2\" stroke-linejoin=\"round\"/>\n"),
              std::string::npos)
        << svg;
    // The NaN is left out of the count.
    EXPECT_NE(svg.find(">rust \xC2\xB7 128 MB <tspan fill=\"#8a93a3\">n=4</tspan></text>"),
              std::string::npos);
    EXPECT_EQ(svg.find("log scale"), std::string::npos);
}

TEST(CdfChart, MarksP50AndP95) {
    CdfChart chart = warm_chart();
    const std::string svg = cdf_chart_svg(chart);
    EXPECT_NE(svg.find(">p50</text>"), std::string::npos);
    EXPECT_NE(svg.find(">p95</text>"), std::string::npos);
    EXPECT_NE(svg.find("<circle cx=\"297\" cy=\"156\" r=\"3.5\" fill=\"#0072B2\" "
                       "stroke=\"#ffffff\" stroke-width=\"1.2\"/>"
                       "<circle cx=\"506.7\" cy=\"57\" r=\"3.5\" fill=\"#0072B2\" "
                       "stroke=\"#ffffff\" stroke-width=\"1.2\"/>\n"),
              std::string::npos)
        << svg;

    chart.series[0].p50.reset();
    chart.series[0].p95.reset();
    EXPECT_EQ(cdf_chart_svg(chart).find("<circle"), std::string::npos);
}

TEST(CdfChart, WithoutValuesSaysNoData) {
    CdfChart chart = warm_chart();
    chart.series[0].values = {std::numeric_limits<double>::infinity()};
    EXPECT_EQ(cdf_chart_svg(chart),
              "<svg class=\"chart\" data-metric=\"warm_ms\" xmlns=\"http://www.w3.org/2000/svg\" "
              "viewBox=\"0 0 570 348\" width=\"570\" height=\"348\" role=\"img\" "
              "aria-label=\"Empirical CDF of Duration (warm) (ms)\">\n"
              "<title>Empirical CDF of Duration (warm) (ms)</title>\n"
              "<text x=\"14\" y=\"24\" font-size=\"15\" font-weight=\"700\" fill=\"#1d2330\">"
              "Duration (warm) (ms)</text>\n"
              "<rect x=\"64\" y=\"46\" width=\"466\" height=\"220\" fill=\"#fafbfc\" "
              "stroke=\"#c4c9d4\" stroke-width=\"1\"/>\n"
              "<text x=\"297\" y=\"156\" class=\"no-data\" text-anchor=\"middle\" "
              "font-size=\"16\" font-weight=\"600\" fill=\"#8a93a3\">no data</text>\n"
              "<text x=\"297\" y=\"176\" text-anchor=\"middle\" font-size=\"12\" "
              "fill=\"#8a93a3\">no successful invocation measured this metric</text>\n"
              "</svg>\n");
}

TEST(CdfChart, LegendLabelsAreEscapedAndClipped) {
    CdfChart chart = warm_chart();
    chart.series[0].label = "a<b&c-0123456789xyz";
    chart.series[0].dash = "7 4";
    const std::string svg = cdf_chart_svg(chart);
    // 16 characters: 15 and an ellipsis.
    EXPECT_NE(svg.find(">a&lt;b&amp;c-012345678\xE2\x80\xA6 \xC2\xB7 128 MB <tspan"),
              std::string::npos)
        << svg;
    EXPECT_EQ(occurrences_in_svg(svg, "stroke-dasharray=\"7 4\""), 2u);  // the line and its legend
}

}  // namespace lambda_emu::report
