// lambda-emu bench and lambda-emu report, end to end: real handlers, real cold starts, and the
// JSON, CSV and HTML files they write.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e/run_command.h"
#include "e2e/temp_dir.h"

namespace lambda_emu::testing {

namespace {

using nlohmann::json;

std::string python_example() { return source_path("examples/python"); }

CommandResult bench(std::vector<std::string> args) {
    args.insert(args.begin(), {lambda_emu_bin(), "bench"});
    return run_command(args, "", std::chrono::seconds(120));
}

CommandResult report(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {lambda_emu_bin(), "report"});
    return run_command(args, stdin_text, std::chrono::seconds(60));
}

const json& stats_of(const json& doc, const std::string& function, int memory) {
    for (const auto& s : doc.at("stats")) {
        if (s.at("function") == function && s.at("memory_mb") == memory) return s;
    }
    static const json none;
    ADD_FAILURE() << "no stats for " << function << " at " << memory << " MB";
    return none;
}

TEST(Bench, ColdAndWarmSamplesInterleavedWithAComparisonAndEveryOutputFile) {
    TempDir dir;
    auto r = bench({"--cold", "3", "--warm", "4", "--json", dir.path("run.json"), "--csv",
                    dir.path("run.csv"), "--html", dir.path("run.html"), "cpp=" + cpp_bootstrap(),
                    "--vs", "python=" + python_example()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    // The table: every metric for both, the comparison and the cost.
    for (const char* text :
         {"128 MB", "Init Duration (ms)", "Duration (first) (ms)", "Billed Duration (cold) (ms)",
          "Duration (warm) (ms)", "Billed Duration (warm) (ms)", "Max Memory Used (MB)",
          "cpp vs python (medians, 128 MB)", "cost per 1M invocations", "5.0% cold",
          "0 failures"}) {
        EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
    }
    EXPECT_EQ(r.err.find("] 14/14"), std::string::npos) << "no progress bar off a terminal";
    json doc = json::parse(dir.read("run.json"));
    ASSERT_EQ(doc["samples"].size(), 14u);
    // Interleaved: cpp, python, cpp, python...; the cold ones first.
    for (std::size_t i = 0; i < 14; ++i) {
        const json& s = doc["samples"][i];
        EXPECT_EQ(s["function"], i % 2 == 0 ? "cpp" : "python") << i;
        EXPECT_EQ(s["cold"], i < 6) << i;
        EXPECT_EQ(s.contains("init_ms"), i < 6) << i;
        EXPECT_FALSE(s["failed"]) << s;
    }
    // Every cold start is its own environment; the warm ones reuse the last.
    std::set<int> cold_envs;
    for (std::size_t i = 0; i < 6; i += 2)
        cold_envs.insert(doc["samples"][i]["environment"].get<int>());
    EXPECT_EQ(cold_envs.size(), 3u);
    EXPECT_EQ(doc["samples"][6]["environment"], doc["samples"][4]["environment"]);
    for (const char* f : {"cpp", "python"}) {
        const json& s = stats_of(doc, f, 128);
        EXPECT_EQ(s["invocations"], 7);
        EXPECT_EQ(s["failures"], 0);
        EXPECT_EQ(s["init_ms"]["n"], 3);
        EXPECT_EQ(s["warm_ms"]["n"], 4);
        EXPECT_EQ(s["max_memory_mb"]["n"], 7);
        EXPECT_GT(s["max_memory_mb"]["p50"].get<double>(), 0);
        EXPECT_GT(s["cost_per_million_warm"].get<double>(), 0.2);  // requests alone are $0.20
    }
    // Python's interpreter start makes its Init slower than the static C++ runtime's.
    EXPECT_GT(stats_of(doc, "python", 128)["init_ms"]["p50"].get<double>(),
              stats_of(doc, "cpp", 128)["init_ms"]["p50"].get<double>());
    bool init_compared = false;
    for (const auto& c : doc["comparisons"]) {
        if (c["metric"] == "init_ms") {
            init_compared = true;
            EXPECT_NE(c["verdict"].get<std::string>().find("cpp"), std::string::npos) << c;
            EXPECT_NE(c["verdict"].get<std::string>().find("x faster"), std::string::npos) << c;
        }
    }
    EXPECT_TRUE(init_compared) << doc["comparisons"];
    // The CSV: a header and one row per sample.
    auto csv = lines_of(dir.read("run.csv"));
    ASSERT_EQ(csv.size(), 15u);
    EXPECT_EQ(csv[0].rfind("function,memory_mb,cold,", 0), 0u) << csv[0];
    // The HTML parses as XML and has a chart per metric.
    auto parsed = run_command({"python3", "-c",
                               "import sys, xml.etree.ElementTree as E\n"
                               "root = E.parse(sys.argv[1]).getroot()\n"
                               "print(sum(1 for e in root.iter('{http://www.w3.org/2000/svg}svg')"
                               " if e.get('class') == 'chart'))",
                               dir.path("run.html")});
    ASSERT_EQ(parsed.exit_code, 0) << parsed.err;
    EXPECT_EQ(parsed.out, "6\n");
}

TEST(Bench, ABurstStartsThatManyEnvironmentsAtOnceUntilTheColdSamplesAreIn) {
    TempDir dir;
    auto r = bench({"--cold", "10", "--burst", "5", "--warm", "0", "--json", dir.path("run.json"),
                    cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    json doc = json::parse(dir.read("run.json"));
    ASSERT_EQ(doc["samples"].size(), 10u);
    std::map<int, std::set<int>> environments_of_burst;
    for (const auto& s : doc["samples"]) {
        EXPECT_TRUE(s["cold"].get<bool>()) << s;
        environments_of_burst[s["burst"].get<int>()].insert(s["environment"].get<int>());
    }
    ASSERT_EQ(environments_of_burst.size(), 2u);
    EXPECT_EQ(environments_of_burst[0].size(), 5u);
    EXPECT_EQ(environments_of_burst[1].size(), 5u);
    EXPECT_EQ(doc["settings"]["burst"], 5);
}

TEST(Bench, AProgressBarRunsOnATerminalOnly) {
    // script(1) gives the command a terminal; the bar counts every invocation.
    auto r = run_command({"script", "-qec",
                          lambda_emu_bin() + " bench --cold 2 --warm 3 " + cpp_bootstrap(),
                          "/dev/null"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("] 5/5"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("cost per 1M invocations"), std::string::npos) << r.out;
}

TEST(Bench, FailuresAreCountedAndShownAndTheMemoryLimitHoldsAcrossTheMatrix) {
    TempDir dir;
    // 150 MiB fits in 256 MB and not in 128 MB.
    auto r =
        bench({"--cold", "2", "--warm", "2", "--memory", "128", "--memory", "256", "--payload",
               R"({"action":"alloc","mb":150})", "--json", dir.path("run.json"), cpp_bootstrap()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("Runtime.OutOfMemory"), std::string::npos) << r.out;
    json doc = json::parse(dir.read("run.json"));
    const json& small = stats_of(doc, "cpp", 128);
    EXPECT_EQ(small["invocations"], 4);
    EXPECT_EQ(small["failures"], 4);
    EXPECT_EQ(small["failure_types"], json::array({"Runtime.OutOfMemory"}));
    const json& big = stats_of(doc, "cpp", 256);
    EXPECT_EQ(big["failures"], 0);
    EXPECT_GE(big["max_memory_mb"]["min"].get<double>(), 150);
}

TEST(Bench, FunctionsOfLambdaEmuJsonAreNamedByTheConfig) {
    TempDir dir;
    auto r = bench({"--config", source_path("examples/lambda-emu.json"), "--cold", "1", "--warm",
                    "1", "--json", dir.path("run.json"), "health", "--vs", "orders"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    json doc = json::parse(dir.read("run.json"));
    EXPECT_EQ(doc["settings"]["functions"][0]["label"], "health");
    EXPECT_EQ(doc["settings"]["functions"][1]["label"], "orders");
    EXPECT_EQ(stats_of(doc, "orders", 128)["failures"], 0);
    auto unknown = bench({"--config", source_path("examples/lambda-emu.json"), "nosuch"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("nosuch: neither a bootstrap, a directory, nor a function of"),
              std::string::npos)
        << unknown.err;
    EXPECT_NE(unknown.err.find("(functions: health, orders)"), std::string::npos) << unknown.err;
}

TEST(Bench, BadArgumentsAreUsageErrorsNamingTheInput) {
    struct Case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::vector<Case> cases = {
        {{"/nonexistent/bootstrap"}, "/nonexistent/bootstrap"},
        {{"--arch", "sparc", cpp_bootstrap()}, "--arch sparc: must be x86_64 or arm64"},
        {{"--cold", "-1", cpp_bootstrap()}, "--cold -1"},
        {{"--cold", "0", "--warm", "0", cpp_bootstrap()}, "nothing to run"},
        {{"--memory", "64", cpp_bootstrap()}, "--memory 64"},
        {{"--cold-share", "2", cpp_bootstrap()}, "--cold-share"},
        {{"--event", "nosuchfixture", cpp_bootstrap()}, "nosuchfixture"},
        {{cpp_bootstrap(), "--vs", cpp_bootstrap()}, "labelled"},
    };
    for (const auto& c : cases) {
        auto r = bench(c.args);
        EXPECT_EQ(r.exit_code, 2) << c.message << "\n" << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
        EXPECT_EQ(r.out.find("cost per 1M"), std::string::npos) << "nothing ran";
    }
}

TEST(Report, ReadsTheServicesReportLinesAndLambdaEmusOwnLogs) {
    // Lines as CloudWatch shows them: a cold start, warm ones, a timeout; START/END skipped.
    const std::string lines =
        "START RequestId: 6f1b1a8e-0000-4000-8000-000000000001 Version: $LATEST\n"
        "REPORT RequestId: 6f1b1a8e-0000-4000-8000-000000000001\tDuration: 1.77 ms\tBilled "
        "Duration: 31 ms\tMemory Size: 128 MB\tMax Memory Used: 16 MB\tInit Duration: 28.96 ms\t\n"
        "END RequestId: 6f1b1a8e-0000-4000-8000-000000000001\n"
        "REPORT RequestId: 6f1b1a8e-0000-4000-8000-000000000002\tDuration: 1.22 ms\tBilled "
        "Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 16 MB\t\n"
        "REPORT RequestId: 6f1b1a8e-0000-4000-8000-000000000003\tDuration: 1.39 ms\tBilled "
        "Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 16 MB\t\n"
        "REPORT RequestId: 6f1b1a8e-0000-4000-8000-000000000004\tDuration: 3000.00 ms\tBilled "
        "Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 17 MB\tStatus: timeout\n";
    TempDir dir;
    auto r = report({"--arch", "arm64", "--json", dir.path("r.json"), "-"}, lines);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 failure: Sandbox.Timedout"), std::string::npos) << r.out;
    json doc = json::parse(dir.read("r.json"));
    const json& s = stats_of(doc, "stdin", 128);
    EXPECT_EQ(s["invocations"], 4);
    EXPECT_DOUBLE_EQ(s["init_ms"]["p50"].get<double>(), 28.96);
    EXPECT_NEAR(s["warm_ms"]["p50"].get<double>(), 1.305, 1e-9);
    EXPECT_DOUBLE_EQ(s["warm_billed_ms"]["mean"].get<double>(), 2);
    // The published arithmetic: 2 ms at 128 MB on arm64 is $0.0033 of compute per 1M.
    EXPECT_NEAR(s["cost_per_million_warm"].get<double>(), 0.0033334 + 0.2, 1e-6);

    // lambda-emu's own log, piped from invoke.
    auto inv = run_command({lambda_emu_bin(), "invoke", cpp_bootstrap()});
    ASSERT_EQ(inv.exit_code, 0) << inv.err;
    auto own = report({}, inv.err);
    ASSERT_EQ(own.exit_code, 0) << own.err << inv.err;
    EXPECT_NE(own.out.find("stdin  (1 invocation, 0 failures)"), std::string::npos) << own.out;
}

TEST(Report, AMalformedReportLineIsAnErrorWithItsLineNumber) {
    TempDir dir;
    std::string file = dir.write("bad.log",
                                 "START RequestId: x Version: $LATEST\n"
                                 "REPORT RequestId: x\tDuration: abc ms\tBilled Duration: 1 ms\t"
                                 "Memory Size: 128 MB\tMax Memory Used: 5 MB\t\n");
    auto r = report({file});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(file + ": line 2: "), std::string::npos) << r.err;
    auto empty = report({dir.write("none.log", "hello\n")});
    EXPECT_EQ(empty.exit_code, 2);
    EXPECT_NE(empty.err.find("no REPORT lines"), std::string::npos) << empty.err;
    auto missing = report({dir.path("missing.log")});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("missing.log: No such file or directory"), std::string::npos);
}

}  // namespace

}  // namespace lambda_emu::testing
