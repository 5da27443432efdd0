// A real third-party client under lambda-emu: AWS's Node.js runtime interface client
// (aws-lambda-ric, from npm, installed into the build directory by tests/e2e/node_ric.cmake)
// runs examples/node/index.mjs through `lambda-emu invoke`. The tests read what a person
// would see: the payload on stdout, the log on stderr and the exit status.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_modules = LAMBDA_EMU_NODE_MODULES;

// Every test starts here: a missing client is a failure that says what to fix, never a skip.
::testing::AssertionResult ric_installed() {
    const fs::path ric = fs::path(k_modules) / "aws-lambda-ric";
    std::string why = LAMBDA_EMU_NODE_RIC_MISSING_REASON;
    if (fs::exists(ric / "index.mjs") && fs::exists(ric / "rapid-client.node")) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "aws-lambda-ric@" LAMBDA_EMU_NODE_RIC_VERSION " is not installed at " << ric.string()
           << (why.empty() ? std::string(" (the node_ric_install build step did not produce it)")
                           : " (" + why + ")")
           << ". CI installs it: install nodejs, npm and the build tools (autoconf automake "
              "libtool libcurl4-openssl-dev cmake g++ make python3), reconfigure and rebuild.";
}

// The README's command: `lambda-emu invoke --handler index.handler
//   --env LAMBDA_EMU_NODE_MODULES=<build>/node/node_modules --payload '...' examples/node`.
CommandResult invoke_node(const std::string& payload, std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {lambda_emu_bin(), "invoke",
                                     "--handler",      "index.handler",
                                     "--env",          "LAMBDA_EMU_NODE_MODULES=" + k_modules};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"--payload", payload, source_path("examples/node")});
    return run_command(argv, "", std::chrono::seconds(20));
}

const std::string k_uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
const std::regex k_start("^START RequestId: (" + k_uuid + ") Version: \\$LATEST$");
const std::regex k_end("^END RequestId: (" + k_uuid + ")$");
const std::regex k_report_ok("^REPORT RequestId: (" + k_uuid +
                             ")\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\t"
                             "Memory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t"
                             "Init Duration: \\d+\\.\\d{2} ms\\t$");
// A failed init is retried inside the invocation: that REPORT has no Init Duration and says
// why. The RIC posts /init/error with `Lambda-Runtime-Function-Error-Type: Error`, which is not
// of the form (Runtime|Function).Xxx, so Lambda (and lambda-emu) records Runtime.Unknown.
const std::regex k_report_init_failed("^REPORT RequestId: (" + k_uuid +
                                      ")\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\t"
                                      "Memory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t"
                                      "Status: error\\tError Type: Runtime.Unknown\\t$");
const std::regex k_init_report_init(
    "^INIT_REPORT Init Duration: \\d+\\.\\d{2} ms\\tPhase: init\\tStatus: error\\t"
    "Error Type: Runtime.Unknown$");
const std::regex k_init_report_invoke(
    "^INIT_REPORT Init Duration: \\d+\\.\\d{2} ms\\tPhase: invoke\\tStatus: error\\t"
    "Error Type: Runtime.Unknown$");

// The one line of err matching re; fails the test unless there is exactly one. Returns the
// first capture group (or the whole line when there is none) and sets *index to its position.
std::string only_line(const std::string& err, const std::regex& re, const std::string& what,
                      int* index = nullptr) {
    auto lines = lines_of(err);
    std::string found;
    int count = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        std::smatch m;
        if (std::regex_match(lines[i], m, re)) {
            ++count;
            found = m.size() > 1 ? m[1].str() : m[0].str();
            if (index) *index = static_cast<int>(i);
        }
    }
    EXPECT_EQ(count, 1) << "expected exactly one " << what << " line in:\n" << err;
    return found;
}

// START, END and REPORT each once, in that order, for one request id; returns it.
std::string check_invocation_lines(const std::string& err, const std::regex& report) {
    int start_at = -1, end_at = -1, report_at = -1;
    std::string start_id = only_line(err, k_start, "START", &start_at);
    std::string end_id = only_line(err, k_end, "END", &end_at);
    std::string report_id = only_line(err, report, "REPORT", &report_at);
    EXPECT_EQ(lines_starting(err, "START ").size(), 1u) << err;
    EXPECT_EQ(lines_starting(err, "END ").size(), 1u) << err;
    EXPECT_EQ(lines_starting(err, "REPORT ").size(), 1u) << err;
    EXPECT_FALSE(start_id.empty()) << err;
    EXPECT_EQ(start_id, end_id);
    EXPECT_EQ(start_id, report_id);
    EXPECT_LT(start_at, end_at) << err;
    EXPECT_EQ(end_at + 1, report_at) << "REPORT follows END:\n" << err;
    return start_id;
}

// stdout is one JSON document and a '\n'.
json parse_stdout(const CommandResult& r) {
    EXPECT_FALSE(r.out.empty());
    if (r.out.empty()) return json();
    EXPECT_EQ(r.out.back(), '\n') << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line of output:\n" << r.out;
    json j = json::parse(r.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON:\n" << r.out;
    return j;
}

TEST(NodeRic, SuccessEchoesEventWithRequestId) {
    ASSERT_TRUE(ric_installed());
    auto r = invoke_node(R"({"name":"x"})");
    ASSERT_FALSE(r.timed_out) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;

    std::string id = check_invocation_lines(r.err, k_report_ok);
    // The exact bytes the handler's return value serialises to.
    EXPECT_EQ(r.out, R"({"message":"hello from node","requestId":")" + id +
                         R"(","input":{"name":"x"}})" + "\n");

    // The function's console.log, in the RIC's text format, between START and END.
    int start_at = -1, log_at = -1, end_at = -1;
    only_line(r.err, k_start, "START", &start_at);
    only_line(r.err, k_end, "END", &end_at);
    only_line(r.err,
              std::regex("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\\t" + id +
                         "\\tINFO\\thandling event$"),
              "console.log", &log_at);
    EXPECT_LT(start_at, log_at) << r.err;
    EXPECT_LT(log_at, end_at) << r.err;

    EXPECT_TRUE(lines_starting(r.err, "INIT_REPORT").empty()) << r.err;
}

TEST(NodeRic, ThrownErrorIsAFunctionError) {
    ASSERT_TRUE(ric_installed());
    auto r = invoke_node(R"({"action":"error"})");
    ASSERT_FALSE(r.timed_out) << r.err;
    EXPECT_EQ(r.exit_code, 1) << r.err;

    check_invocation_lines(r.err, k_report_ok);

    // What RIC 4.x posts to /invocation/{id}/error: errorType is the thrown class's name, and
    // the stack goes under "trace", its first line "Error: <message>".
    json j = parse_stdout(r);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j.value("errorType", ""), "Error") << r.out;
    EXPECT_EQ(j.value("errorMessage", ""), "deliberate failure") << r.out;
    ASSERT_TRUE(j.contains("trace") && j["trace"].is_array() && !j["trace"].empty()) << r.out;
    EXPECT_EQ(j["trace"][0], "Error: deliberate failure") << r.out;
    ASSERT_GE(j["trace"].size(), 2u) << r.out;
    EXPECT_NE(j["trace"][1].get<std::string>().find("examples/node/index.mjs:"), std::string::npos)
        << r.out;
    std::vector<std::string> keys;
    for (auto& [k, v] : j.items()) keys.push_back(k);
    EXPECT_EQ(keys, (std::vector<std::string>{"errorMessage", "errorType", "trace"})) << r.out;

    // The RIC also logs the error itself, as an ERROR line with the request id.
    EXPECT_EQ(lines_starting(r.err, "INIT_REPORT").size(), 0u) << r.err;
    EXPECT_NE(r.err.find("\tERROR\tInvoke Error \t{\"errorType\":\"Error\""), std::string::npos)
        << r.err;
}

TEST(NodeRic, ModuleThrowingAtLoadIsAnInitError) {
    ASSERT_TRUE(ric_installed());
    auto r = invoke_node("{}", {"--env", "EXAMPLE_INIT_FAIL=error"});
    ASSERT_FALSE(r.timed_out) << r.err;
    EXPECT_EQ(r.exit_code, 1) << r.err;

    // Init fails (Phase: init), is tried again inside the invocation (Phase: invoke) and fails
    // again; the invocation then ends with the error.
    int init_at = -1, start_at = -1, invoke_init_at = -1, end_at = -1;
    only_line(r.err, k_init_report_init, "INIT_REPORT Phase: init", &init_at);
    only_line(r.err, k_start, "START", &start_at);
    only_line(r.err, k_init_report_invoke, "INIT_REPORT Phase: invoke", &invoke_init_at);
    only_line(r.err, k_end, "END", &end_at);
    EXPECT_EQ(lines_starting(r.err, "INIT_REPORT").size(), 2u) << r.err;
    EXPECT_LT(init_at, start_at) << r.err;
    EXPECT_LT(start_at, invoke_init_at) << r.err;
    EXPECT_LT(invoke_init_at, end_at) << r.err;
    check_invocation_lines(r.err, k_report_init_failed);

    // What RIC 4.x posts to /init/error for a module that throws while it loads: the thrown
    // Error as it is (errorType "Error", not a Runtime.* type).
    json j = parse_stdout(r);
    ASSERT_TRUE(j.is_object()) << r.out;
    EXPECT_EQ(j.value("errorType", ""), "Error") << r.out;
    EXPECT_EQ(j.value("errorMessage", ""), "deliberate init failure") << r.out;
    ASSERT_TRUE(j.contains("trace") && j["trace"].is_array() && j["trace"].size() >= 2) << r.out;
    EXPECT_EQ(j["trace"][0], "Error: deliberate init failure") << r.out;
    EXPECT_NE(j["trace"][1].get<std::string>().find("examples/node/index.mjs:"), std::string::npos)
        << r.out;

    // The RIC logs the error at each attempt, with no request id ("-").
    auto lines = lines_of(r.err);
    int logged = 0;
    for (const auto& line : lines) {
        if (line.find("\t-\tERROR\tInit Error \t{\"errorType\":\"Error\"") != std::string::npos) {
            ++logged;
        }
    }
    EXPECT_EQ(logged, 2) << r.err;
}

}  // namespace

}  // namespace lambda_emu::testing
