#include "report/bench_html.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "report/bench_data.h"

namespace lambda_emu::report {

namespace {

std::size_t count_of(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (std::size_t at = text.find(needle); at != std::string_view::npos;
         at = text.find(needle, at + needle.size()))
        ++n;
    return n;
}

// The <svg> ... </svg> of one metric's chart; empty when there is none.
std::string chart_of(const std::string& html, Metric metric) {
    const std::string open =
        std::string("<svg class=\"chart\" data-metric=\"") + metric_key(metric) + "\"";
    const std::size_t begin = html.find(open);
    if (begin == std::string::npos) return {};
    const std::size_t end = html.find("</svg>", begin);
    if (end == std::string::npos) return {};
    return html.substr(begin, end + 6 - begin);
}

class SampleAdder {
  public:
    explicit SampleAdder(BenchRun& run) : m_run(run) {}

    void cold(const std::string& function, int memory, double init, double duration, int used_mb) {
        BenchSample s = base(function, memory);
        s.cold = true;
        s.init_duration_ms = init;
        s.duration_ms = duration;
        s.billed_duration_ms = static_cast<std::int64_t>(init + duration + 0.999);
        s.max_memory_used_mb = used_mb;
        m_run.samples.push_back(s);
    }
    void warm(const std::string& function, int memory, double duration, int used_mb) {
        BenchSample s = base(function, memory);
        s.duration_ms = duration;
        s.billed_duration_ms = static_cast<std::int64_t>(duration + 0.999);
        s.max_memory_used_mb = used_mb;
        m_run.samples.push_back(s);
    }
    void failed(const std::string& function, int memory, const std::string& error_type) {
        BenchSample s = base(function, memory);
        s.failed = true;
        s.error_type = error_type;
        s.duration_ms = 3.5;
        s.billed_duration_ms = 4;
        s.max_memory_used_mb = 40;
        m_run.samples.push_back(s);
    }

  private:
    BenchSample base(const std::string& function, int memory) {
        BenchSample s;
        s.function = function;
        s.memory_mb = memory;
        s.environment = ++m_environment;
        s.request_id = "req-" + std::to_string(m_run.samples.size());
        return s;
    }

    BenchRun& m_run;
    int m_environment = 0;
};

// Two functions at two memory sizes with cold and warm samples; python fails once at 128 MB
// and has no cold start at 256 MB (so three of its metrics have no data there).
BenchRun two_function_run(const std::string& first = "rust",
                          const std::string& first_bootstrap = "examples/rust/bootstrap") {
    BenchRun run;
    run.functions = {first, "python"};
    run.bootstraps = {first_bootstrap, "examples/python/bootstrap"};
    run.memory_sizes = {128, 256};
    run.architecture = Architecture::arm64;
    run.prices = Prices{0.0000133334, 0.0000002};
    run.cold_share = 0.05;
    run.event = "apigw-http";
    run.started = "2025-11-20T09:15:00Z";
    run.machine = "x86_64, 2 CPUs, Linux 6.1";
    run.cold = 3;
    run.warm = 5;
    SampleAdder add(run);
    for (int memory : {128, 256}) {
        for (double init : {28.96, 30.12, 27.41}) add.cold(first, memory, init, 1.77, 16);
        for (double d : {1.22, 1.13, 1.39, 1.25, 1.18}) add.warm(first, memory, d, 16);
    }
    for (double init : {99.76, 104.3, 97.2}) add.cold("python", 128, init, 167.47, 41);
    for (double d : {108.21, 90.58, 129.14, 101.0, 112.4}) add.warm("python", 128, d, 41);
    add.failed("python", 128, "Runtime.ExitError");
    for (double d : {60.5, 55.25, 70.0, 58.1, 61.9}) add.warm("python", 256, d, 42);
    compute_stats(run);
    return run;
}

// Parses the page with Python's XML parser, which accepts nothing that is not well-formed.
bool parses_as_xml(const std::string& html) {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    const std::filesystem::path file =
        std::filesystem::temp_directory_path() /
        ("bench_html_" + std::to_string(::getpid()) + "_" + info->name() + ".html");
    {
        std::ofstream out(file, std::ios::binary);
        out << html;
    }
    const std::string command =
        "python3 -c 'import sys,xml.etree.ElementTree as E; E.parse(sys.argv[1])' '" +
        file.string() + "'";
    const int status = std::system(command.c_str());
    std::filesystem::remove(file);
    return status == 0;
}

TEST(BenchHtml, ParsesAsStrictXml) {
    const std::string html = bench_html(two_function_run());
    EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n"));
    EXPECT_NE(html.find("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">"),
              std::string::npos);
    EXPECT_NE(html.find("<meta charset=\"utf-8\"/>"), std::string::npos);
    EXPECT_NE(html.find("<title>lambda-emu bench: rust vs python</title>"), std::string::npos);
    EXPECT_TRUE(parses_as_xml(html));
}

TEST(BenchHtml, EscapesHostileLabelsAndPaths) {
    const std::string hostile = "a<b&\"c\"";
    BenchRun run = two_function_run(hostile, "/tmp/</code><script>x</script>&amp;");
    run.event = "ev'<i>";
    run.machine = "m\x01\xff\xc3(";  // a control character and bytes that are not UTF-8
    run.samples.front().failed = true;
    run.samples.front().error_type = "<Err&>";
    compute_stats(run);
    const std::string html = bench_html(run);
    EXPECT_TRUE(parses_as_xml(html));
    EXPECT_EQ(html.find(hostile), std::string::npos);
    EXPECT_NE(html.find("a&lt;b&amp;&quot;c&quot;"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_NE(html.find("/tmp/&lt;/code&gt;&lt;script&gt;x&lt;/script&gt;&amp;amp;"),
              std::string::npos);
    EXPECT_NE(html.find("ev&#39;&lt;i&gt;"), std::string::npos);
    EXPECT_NE(html.find("&lt;Err&amp;&gt;"), std::string::npos);
    EXPECT_EQ(html.find('\x01'), std::string::npos);
}

TEST(BenchHtml, OneChartPerMetric) {
    const std::string html = bench_html(two_function_run());
    EXPECT_EQ(count_of(html, "<svg class=\"chart\""), k_metric_count);
    for (Metric metric : k_all_metrics) {
        const std::string open =
            std::string("<svg class=\"chart\" data-metric=\"") + metric_key(metric) + "\"";
        EXPECT_EQ(count_of(html, open), 1u) << metric_key(metric);
        const std::string chart = chart_of(html, metric);
        ASSERT_FALSE(chart.empty()) << metric_key(metric);
        // A step line per function and memory size that has data, a legend, p50 and p95.
        EXPECT_GE(count_of(chart, "<path d=\"M"), 3u) << metric_key(metric);
        EXPECT_NE(chart.find(">p50</text>"), std::string::npos);
        EXPECT_NE(chart.find(">p95</text>"), std::string::npos);
        EXPECT_NE(chart.find("rust \xC2\xB7 128 MB"), std::string::npos);
        EXPECT_NE(chart.find(metric_title(metric)), std::string::npos);
        EXPECT_EQ(chart.find("class=\"no-data\""), std::string::npos);
    }
    // python has no cold start at 256 MB: its legend entry says so.
    EXPECT_NE(chart_of(html, Metric::init_duration).find("no data</tspan>"), std::string::npos);
}

TEST(BenchHtml, ChartWithoutDataSaysSo) {
    BenchRun run = two_function_run();
    std::erase_if(run.samples, [](const BenchSample& s) { return s.cold; });
    compute_stats(run);
    const std::string html = bench_html(run);
    EXPECT_TRUE(parses_as_xml(html));
    for (Metric metric : {Metric::init_duration, Metric::first_duration, Metric::cold_billed}) {
        const std::string chart = chart_of(html, metric);
        EXPECT_NE(chart.find("class=\"no-data\""), std::string::npos) << metric_key(metric);
        EXPECT_EQ(chart.find("<path"), std::string::npos) << metric_key(metric);
    }
    EXPECT_EQ(chart_of(html, Metric::warm_duration).find("class=\"no-data\""), std::string::npos);
}

TEST(BenchHtml, NoScriptAndNoExternalUrl) {
    std::string html = bench_html(two_function_run());
    EXPECT_EQ(html.find("<script"), std::string::npos);
    for (std::string_view allowed :
         {"http://www.w3.org/1999/xhtml", "http://www.w3.org/2000/svg"}) {
        for (std::size_t at = html.find(allowed); at != std::string::npos; at = html.find(allowed))
            html.erase(at, allowed.size());
    }
    EXPECT_EQ(html.find("http://"), std::string::npos);
    EXPECT_EQ(html.find("https://"), std::string::npos);
    EXPECT_EQ(html.find("url("), std::string::npos);
    EXPECT_EQ(html.find("@import"), std::string::npos);
    EXPECT_EQ(html.find("src="), std::string::npos);
    EXPECT_EQ(html.find("href="), std::string::npos);
}

TEST(BenchHtml, ShowsVerdictsAndFailures) {
    const BenchRun run = two_function_run();
    const std::string html = bench_html(run);
    ASSERT_FALSE(run.comparisons.empty());
    std::size_t verdicts = 0;
    for (const Comparison& c : run.comparisons) {
        if (c.verdict.empty()) continue;
        ++verdicts;
        EXPECT_NE(html.find("<td class=\"verdict\">" + c.verdict + "</td>"), std::string::npos)
            << c.verdict;
    }
    EXPECT_GT(verdicts, 0u);
    EXPECT_NE(html.find("Side by side"), std::string::npos);
    EXPECT_NE(html.find("<span class=\"failures\">1 failed: Runtime.ExitError</span>"),
              std::string::npos);
    EXPECT_NE(html.find("<span class=\"ok\">0 failed</span>"), std::string::npos);
}

TEST(BenchHtml, FormatsFiguresAsTheArticlesDo) {
    const std::string html = bench_html(two_function_run());
    // ms with two decimals, MB as integers, money with four decimals.
    EXPECT_NE(html.find("<td class=\"num\">27.41</td>"), std::string::npos);    // min Init
    EXPECT_NE(html.find("<td class=\"num\">16</td>"), std::string::npos);       // Max Memory
    EXPECT_NE(html.find("<td class=\"num\">$0.0033</td>"), std::string::npos);  // 128 MB, 2 ms
    EXPECT_NE(html.find("$0.2000 per 1M requests"), std::string::npos);
    EXPECT_NE(html.find("$0.0000133334 per GB-second"), std::string::npos);
    EXPECT_NE(html.find("5% cold"), std::string::npos);
    EXPECT_NE(html.find("arm64"), std::string::npos);
    EXPECT_NE(html.find("<code>examples/rust/bootstrap</code>"), std::string::npos);
    EXPECT_NE(html.find("2025-11-20T09:15:00Z"), std::string::npos);
    EXPECT_NE(html.find("x86_64, 2 CPUs, Linux 6.1"), std::string::npos);
}

TEST(BenchHtml, IsDeterministic) {
    EXPECT_EQ(bench_html(two_function_run()), bench_html(two_function_run()));
}

TEST(BenchHtml, WithoutComparisonsHasNoComparisonTable) {
    BenchRun run = two_function_run();
    run.functions.pop_back();
    run.bootstraps.pop_back();
    std::erase_if(run.samples, [](const BenchSample& s) { return s.function == "python"; });
    compute_stats(run);
    const std::string html = bench_html(run);
    EXPECT_TRUE(run.comparisons.empty());
    EXPECT_EQ(html.find("Side by side"), std::string::npos);
    EXPECT_EQ(count_of(html, "<svg class=\"chart\""), k_metric_count);
    EXPECT_TRUE(parses_as_xml(html));
}

}  // namespace

}  // namespace lambda_emu::report
