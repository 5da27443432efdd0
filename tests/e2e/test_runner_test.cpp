// lambda-emu test, end to end: real case files, real handlers, and proof that the runner fails
// when it should, with the right message, in its JUnit and JSON files too.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class CaseDir {
  public:
    CaseDir()
        : m_dir(fs::temp_directory_path() / ("lambda-emu-test-" + std::to_string(::getpid()))) {
        fs::create_directories(m_dir);
    }
    ~CaseDir() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    std::string write(const std::string& name, const json& doc) const {
        return write_text(name, doc.dump(2));
    }
    std::string write_text(const std::string& name, const std::string& text) const {
        std::ofstream(m_dir / name) << text;
        return (m_dir / name).string();
    }
    std::string path(const std::string& name) const { return (m_dir / name).string(); }

  private:
    fs::path m_dir;
};

json cpp_function() {
    return {{"bootstrap", build_path("examples/cpp/bootstrap")}, {"name", "cpp"}};
}

CommandResult run_test(std::vector<std::string> args) {
    args.insert(args.begin(), {lambda_emu_bin(), "test"});
    return run_command(args, "", std::chrono::seconds(60));
}

TEST(TestRunner, CasesThatMustFailAreReportedWithTheirReasons) {
    CaseDir dir;
    json cases = json::array({
        {{"name", "passes"},
         {"event", {{"action", "echo"}}},
         {"expect", {{"response", {{"action", "echo"}}}}}},
        {{"name", "wrong status"},
         {"event_file", "apigw"},
         {"expect", {{"http", {{"status", 500}}}}}},
        {{"name", "wrong field"},
         {"event", {{"action", "echo"}, {"n", 1}}},
         {"expect", {{"json", {{"/n", 2}}}, {"response_contains", {{"m", true}}}}}},
        {{"name", "budget exceeded"},
         {"event", {{"action", "sleep"}, {"ms", 60}}},
         {"expect", {{"max_duration_ms", 5}}}},
        {{"name", "missing log line"},
         {"event", {{"action", "echo"}}},
         {"expect", {{"logs", {{"contain", "no such line"}}}}}},
        {{"name", "unexpected crash"}, {"event", {{"action", "crash"}}}},
        {{"name", "expected an error"},
         {"event", {{"action", "echo"}}},
         {"expect", {{"error", "HandlerError"}}}},
    });
    std::string file =
        dir.write("failing.test.json", {{"function", cpp_function()}, {"cases", cases}});
    auto r = run_test({"--junit", dir.path("junit.xml"), "--json", dir.path("results.json"), file});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("PASS  " + file + ": passes"), std::string::npos) << r.out;
    for (const char* line :
         {"FAIL  ", "      http status: expected 500, got 200\n", "      /n: expected 2, got 1\n",
          "      /m: expected true, missing\n", "ms budget\n",
          "      log: expected a line containing \"no such line\"\n",
          "      the invocation failed: Runtime.ExitError: RequestId: ",
          "      expected the invocation to fail with HandlerError, but it succeeded with "
          "{\"action\":\"echo\"}\n",
          "        REPORT RequestId: ", "\n1 passed, 6 failed\n"}) {
        EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
    }
    EXPECT_NE(r.out.find("Duration: "), std::string::npos);

    // The JUnit file is XML that a parser accepts, with the same counts.
    std::string check = R"PY(
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find("testsuite")
cases = suite.findall("testcase")
print(root.tag, root.get("tests"), root.get("failures"), len(cases),
      sum(1 for c in cases if c.find("failure") is not None))
print(cases[1].get("name"), "|", cases[1].find("failure").get("message"))
)PY";
    auto xml = run_command({"/usr/bin/python3", "-c", check, dir.path("junit.xml")});
    EXPECT_EQ(xml.out, "testsuites 7 6 7 6\nwrong status | http status: expected 500, got 200\n")
        << xml.err << read_file(dir.path("junit.xml"));

    json results = json::parse(read_file(dir.path("results.json")));
    EXPECT_EQ(results["summary"], json({{"passed", 1}, {"failed", 6}, {"skipped", 0}}));
    ASSERT_EQ(results["cases"].size(), 7u);
    const json& first = results["cases"][0];
    EXPECT_EQ(first["status"], "passed");
    EXPECT_TRUE(first["metrics"]["init_duration_ms"].is_number()) << "the first case is cold";
    EXPECT_TRUE(first["metrics"]["duration_ms"].is_number());
    EXPECT_EQ(first["metrics"]["memory_size_mb"], 128);
    EXPECT_GT(first["metrics"]["max_memory_used_mb"].get<int>(), 0);
    EXPECT_TRUE(results["cases"][1]["metrics"]["init_duration_ms"].is_null()) << "then warm";
    EXPECT_EQ(results["cases"][5]["outcome"], "error");
    EXPECT_EQ(results["cases"][5]["error_type"], "Runtime.ExitError");
}

TEST(TestRunner, MalformedCaseFilesAreUsageErrorsNamingFileCaseAndReason) {
    CaseDir dir;
    struct Bad {
        std::string text;
        std::string message;
    };
    std::string fn = cpp_function().dump();
    std::vector<Bad> bad = {
        {"{", "not valid JSON"},
        {R"({"cases":[{"name":"a"}]})", "function: 'function' is required"},
        {R"({"function":)" + fn + R"(,"cases":[{"event":{}}]})",
         "case 1: 'name' (a non-empty string) is required"},
        {R"({"function":)" + fn + R"(,"cases":[{"name":"a","expect":{"statusCode":200}}]})",
         "case 'a': unknown key 'statusCode' in expect"},
        {R"({"function":)" + fn +
             R"(,"cases":[{"name":"a","expect":{"json":{"statusCode":200}}}]})",
         "case 'a': expect.json: 'statusCode' is not a JSON pointer"},
        {R"({"function":)" + fn + R"(,"cases":[{"name":"a","event":{},"event_file":"sqs"}]})",
         "case 'a': give the event once"},
        {R"({"function":)" + fn + R"(,"cases":[{"name":"a","generate":"nosuch"}]})",
         "case 'a': generate: "},
        {R"({"function":)" + fn + R"(,"cases":[{"name":"a"},{"name":"a"}]})",
         "case 'a': a second case of that name"},
        {R"({"function":{"bootstrap":"/nonexistent/bootstrap"},"cases":[{"name":"a"}]})",
         "function: bootstrap /nonexistent/bootstrap: No such file or directory"},
        {R"({"function":)" + fn + R"(,"cases":[{"name":"a","expect":{"max_init_ms":"fast"}}]})",
         "case 'a': expect.max_init_ms: must be a non-negative number"},
    };
    for (std::size_t i = 0; i < bad.size(); ++i) {
        std::string file = dir.write_text("bad" + std::to_string(i) + ".test.json", bad[i].text);
        auto r = run_test({file});
        EXPECT_EQ(r.exit_code, 2) << bad[i].text << "\n" << r.err;
        EXPECT_NE(r.err.find(file + ": "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(bad[i].message), std::string::npos) << bad[i].text << "\n" << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line: " << r.err;
    }
}

TEST(TestRunner, FilterSkipsAndJobsRunCasesOnSeparateEnvironments) {
    CaseDir dir;
    json cases = json::array();
    for (int i = 0; i < 4; ++i) {
        cases.push_back({{"name", "slow " + std::to_string(i)},
                         {"event", {{"action", "sleep"}, {"ms", 400}}},
                         {"expect", {{"response", {{"slept_ms", 400}}}}}});
    }
    cases.push_back({{"name", "other"}, {"event", {{"action", "echo"}}}});
    std::string file =
        dir.write("jobs.test.json", {{"function", cpp_function()}, {"cases", cases}});
    auto filtered = run_test({"--filter", "other", "--junit", dir.path("f.xml"), file});
    EXPECT_EQ(filtered.exit_code, 0) << filtered.out << filtered.err;
    EXPECT_NE(filtered.out.find("1 passed, 0 failed, 4 skipped\n"), std::string::npos)
        << filtered.out;
    EXPECT_NE(read_file(dir.path("f.xml")).find("<skipped message=\"filtered out\"/>"),
              std::string::npos);

    auto parallel =
        run_test({"--jobs", "4", "--filter", "slow", "--json", dir.path("p.json"), file});
    EXPECT_EQ(parallel.exit_code, 0) << parallel.out << parallel.err;
    json results = json::parse(read_file(dir.path("p.json")));
    int cold = 0;
    for (const auto& c : results["cases"]) {
        if (c["status"] == "passed" && c["metrics"]["init_duration_ms"].is_number()) ++cold;
    }
    EXPECT_EQ(cold, 4) << "four cases at once, four environments";
}

TEST(TestRunner, AFunctionOfLambdaEmuJsonIsNamedByTheConfig) {
    CaseDir dir;
    json doc = {{"config", source_path("examples/lambda-emu.json")},
                {"function", "orders"},
                {"cases", json::array({{{"name", "the config's memory and environment apply"},
                                        {"event", {{"action", "echo"}}},
                                        {"expect",
                                         {{"response", {{"action", "echo"}}},
                                          {"logs", {{"match", "Memory Size: 256 MB"}}}}}}})}};
    auto ok = run_test({dir.write("config.test.json", doc)});
    EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
    EXPECT_NE(ok.out.find("1 passed, 0 failed"), std::string::npos) << ok.out;
    doc["function"] = "nobody";
    auto missing = run_test({dir.write("missing.test.json", doc)});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("no function named 'nobody' (functions: health, orders)"),
              std::string::npos)
        << missing.err;
}

TEST(TestRunner, TheExampleCasesPass) {
    std::vector<std::string> args = {
        source_path("examples/tests/cpp.test.json"), source_path("examples/tests/python.test.json"),
        source_path("examples/tests/bash.test.json"), source_path("examples/tests/node.test.json")};
    std::vector<std::string> workloads = {"cpp", "python", "node"};
#ifdef LAMBDA_EMU_HAVE_RUST
    args.push_back(source_path("examples/tests/rust.test.json"));
    workloads.push_back("rust");
#endif
    for (const auto& language : workloads) {
        for (const char* workload : {"health", "fib"}) {
            args.push_back(
                source_path("examples/tests/bench-" + language + "-" + workload + ".test.json"));
        }
    }
    auto r = run_test(args);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
}

}  // namespace

}  // namespace lambda_emu::testing
