// lambda-emu invoke, end to end: the real binary runs the example bootstraps in every language
// and the tests read what a person would see.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include "e2e/report_lines.h"
#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;

struct Language {
    std::string name;
    std::string bootstrap;
    friend void PrintTo(const Language& l, std::ostream* os) { *os << l.name; }
};

std::vector<Language> languages() {
    std::vector<Language> out = {{"cpp", build_path("examples/cpp/bootstrap")},
                                 {"python", source_path("examples/python")},
                                 {"bash", source_path("examples/bash")}};
#ifdef LAMBDA_EMU_HAVE_RUST
    out.push_back({"rust", build_path("examples/rust/bootstrap")});
#endif
    return out;
}

// Index of the first line equal to / starting with text, or -1.
int line_index(const std::string& err, const std::string& prefix) {
    auto lines = lines_of(err);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind(prefix, 0) == 0) return static_cast<int>(i);
    }
    return -1;
}

class InvokeEachLanguage : public ::testing::TestWithParam<Language> {};

TEST_P(InvokeEachLanguage, EchoesTheEventAndReportsAColdStart) {
    const std::string event = R"({"action":"echo","n":1})";
    auto r = invoke({"--payload", event, GetParam().bootstrap});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, event + "\n");
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    const std::string& id = rs[0].request_id;
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_EQ(rs[0].status, "");
    EXPECT_EQ(rs[0].memory_size, 128);
    EXPECT_GT(rs[0].max_used, 0);
    // Billing uses the exact figures; the REPORT shows them rounded to 2 decimals.
    double printed = rs[0].duration_ms + rs[0].init_ms;
    EXPECT_GE(rs[0].billed_ms, static_cast<long>(std::ceil(printed - 0.01)));
    EXPECT_LE(rs[0].billed_ms, static_cast<long>(std::ceil(printed + 0.01)))
        << "billed is ceil(Init + Duration) on a cold start";
    int init = line_index(r.err, "init " + GetParam().name);
    int start = line_index(r.err, "START RequestId: " + id + " Version: $LATEST");
    int handling = line_index(r.err, "handling " + id);
    int end = line_index(r.err, "END RequestId: " + id);
    int report = line_index(r.err, "REPORT RequestId: " + id);
    EXPECT_LT(line_index(r.err, "INIT_START Runtime Version: "), init);
    EXPECT_LT(init, start);
    EXPECT_LT(start, handling);
    EXPECT_LT(handling, end);
    EXPECT_EQ(end + 1, report) << r.err;
}

TEST_P(InvokeEachLanguage, AnswersApiGatewayFixture) {
    auto r = invoke({"--event", source_path("fixtures/apigw.json"), GetParam().bootstrap});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(
        r.out,
        R"({"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"status\":\"ok\"}","isBase64Encoded":false})"
        "\n");
}

TEST_P(InvokeEachLanguage, HandlerErrorIsReturnedWithoutStatusField) {
    auto r = invoke({"--payload", R"({"action":"error"})", GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out,
              R"({"errorMessage":"deliberate failure","errorType":"HandlerError","stackTrace":[]})"
              "\n");
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].status, "");
}

TEST_P(InvokeEachLanguage, CrashIsRuntimeExitError) {
    auto r = invoke({"--payload", R"({"action":"crash"})", GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    const std::string& id = rs[0].request_id;
    EXPECT_EQ(r.out, R"({"errorType":"Runtime.ExitError","errorMessage":"RequestId: )" + id +
                         R"( Error: Runtime exited with error: exit status 1"})"
                         "\n");
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Runtime.ExitError\t");
    int crashing = line_index(r.err, "crashing");
    int notice =
        line_index(r.err, "RequestId: " + id + " Error: Runtime exited with error: exit status 1");
    EXPECT_GE(crashing, 0);
    EXPECT_EQ(notice + 1, line_index(r.err, "Runtime.ExitError"));
    EXPECT_LT(crashing, notice);
    EXPECT_LT(notice, line_index(r.err, "END RequestId: " + id));
}

TEST_P(InvokeEachLanguage, TimeoutKillsAndReportsTheConfiguredTime) {
    auto r = invoke(
        {"--timeout", "1", "--payload", R"({"action":"sleep","ms":5000})", GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_LT(r.wall_ms, 4500) << "the sleep must be cut at the timeout";
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    const std::string& id = rs[0].request_id;
    EXPECT_EQ(r.out, R"({"errorType":"Sandbox.Timedout","errorMessage":"RequestId: )" + id +
                         R"( Error: Task timed out after 1.00 seconds"})"
                         "\n");
    EXPECT_EQ(rs[0].duration_ms, 1000.0);
    EXPECT_EQ(rs[0].status, "Status: timeout\t");
    auto timed_out = std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )" + id +
                                R"( Task timed out after 1\.00 seconds$)");
    bool found = false;
    for (const auto& l : lines_of(r.err)) found = found || std::regex_match(l, timed_out);
    EXPECT_TRUE(found) << r.err;
}

TEST_P(InvokeEachLanguage, OutOfMemoryIsKilledAtTheLimit) {
    auto r = invoke(
        {"--timeout", "20", "--payload", R"({"action":"alloc","mb":300})", GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Runtime.OutOfMemory\t");
    EXPECT_EQ(rs[0].max_used, 128);
    EXPECT_NE(r.out.find(R"("errorType":"Runtime.OutOfMemory")"), std::string::npos) << r.out;
}

TEST_P(InvokeEachLanguage, WarmInvocationsReuseTheEnvironment) {
    auto r = invoke({"--count", "3", "--payload", R"({"action":"echo"})", GetParam().bootstrap});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 3u);
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_FALSE(rs[1].has_init);
    EXPECT_FALSE(rs[2].has_init);
    // Billing uses the exact Duration; the REPORT shows it rounded to 2 decimals.
    EXPECT_GE(rs[1].billed_ms, static_cast<long>(std::ceil(rs[1].duration_ms - 0.005)));
    EXPECT_LE(rs[1].billed_ms, static_cast<long>(std::ceil(rs[1].duration_ms + 0.005)));
    EXPECT_EQ(lines_starting(r.err, "init " + GetParam().name).size(), 1u) << "one Init only";
    EXPECT_EQ(lines_of(r.out).size(), 3u);
}

TEST_P(InvokeEachLanguage, InitErrorIsReportedAndReturned) {
    auto r = invoke({"--env", "EXAMPLE_INIT_FAIL=error", GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, R"({"errorMessage":"deliberate init failure","errorType":"InitFailure"})"
                     "\n");
    auto init_reports = lines_starting(r.err, "INIT_REPORT ");
    ASSERT_EQ(init_reports.size(), 2u) << r.err;
    std::regex shape(
        R"(^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: (init|invoke)\tStatus: error\tError Type: Runtime\.Unknown$)");
    EXPECT_TRUE(std::regex_match(init_reports[0], shape)) << init_reports[0];
    EXPECT_NE(init_reports[0].find("Phase: init"), std::string::npos);
    EXPECT_NE(init_reports[1].find("Phase: invoke"), std::string::npos);
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_FALSE(rs[0].has_init) << "a failed Init shows no Init Duration";
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Runtime.Unknown\t");
}

TEST_P(InvokeEachLanguage, InitCrashIsRuntimeExitError) {
    auto r = invoke({"--env", "EXAMPLE_INIT_FAIL=crash", GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(r.out, R"({"errorType":"Runtime.ExitError","errorMessage":"RequestId: )" +
                         rs[0].request_id +
                         R"( Error: Runtime exited with error: exit status 2"})"
                         "\n");
    auto init_reports = lines_starting(r.err, "INIT_REPORT ");
    ASSERT_EQ(init_reports.size(), 2u);
    EXPECT_NE(init_reports[0].find("\tPhase: init\tStatus: error\tError Type: Runtime.ExitError"),
              std::string::npos)
        << init_reports[0];
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Runtime.ExitError\t");
}

TEST_P(InvokeEachLanguage, EveryLogByteArrivesBeforeEnd) {
    auto r = invoke({"--payload", R"({"action":"log","bytes":2000000,"no_newline":true})",
                     GetParam().bootstrap});
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 2000);
    auto lines = lines_of(r.err);
    int end = line_index(r.err, "END RequestId: ");
    int handling = line_index(r.err, "handling ");
    ASSERT_GT(end, handling);
    std::size_t bytes = 0;
    for (int i = handling + 1; i < end; ++i) bytes += lines[static_cast<std::size_t>(i)].size() + 1;
    // 2,000,000 bytes written; the last line had no newline but is counted with one here.
    EXPECT_EQ(bytes, 2000001u);
    EXPECT_EQ(lines[static_cast<std::size_t>(end - 1)], std::string(100, 'x'));
}

TEST_P(InvokeEachLanguage, OversizedResponseIsFunctionResponseSizeTooLarge) {
    auto r = invoke({"--timeout", "20", "--payload", R"({"action":"big","bytes":6291557})",
                     GetParam().bootstrap});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(
        r.out,
        R"({"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"})"
        "\n");
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Function.ResponseSizeTooLarge\t");
}

TEST_P(InvokeEachLanguage, ResponseAtTheLimitIsAccepted) {
    auto r = invoke({"--timeout", "20", "--payload", R"({"action":"big","bytes":6291556})",
                     GetParam().bootstrap});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.size(), 6291556u + 1);
}

INSTANTIATE_TEST_SUITE_P(Examples, InvokeEachLanguage, ::testing::ValuesIn(languages()),
                         [](const auto& info) { return info.param.name; });

// --- one language is enough for what follows ---

TEST(Invoke, AfterATimeoutTheNextInvocationIsASuppressedInit) {
    auto r = invoke({"--timeout", "1", "--count", "2", "--payload",
                     R"({"action":"sleep","ms":1500})", cpp_bootstrap()});
    EXPECT_EQ(r.exit_code, 1);
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_EQ(rs[0].status, "Status: timeout\t");
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_FALSE(rs[1].has_init) << "suppressed init: no Init Duration";
    EXPECT_EQ(lines_starting(r.err, "init cpp").size(), 2u) << "a fresh environment";
}

TEST(Invoke, MemoryOfChildProcessesCounts) {
    // The bash bootstrap runs curl for each request: its own memory plus its children's.
    auto r = invoke({"--memory", "512", "--payload", R"({"action":"alloc","mb":64})",
                     source_path("examples/bash")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_GE(rs[0].max_used, 64);
}

TEST(Invoke, NoMemoryLimitLetsItRun) {
    auto r = invoke(
        {"--no-memory-limit", "--payload", R"({"action":"alloc","mb":200})", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_GE(rs[0].max_used, 200);
}

TEST(Invoke, EventFromStandardInput) {
    auto r = run_command({lambda_emu_bin(), "invoke", "-", cpp_bootstrap()},
                         R"({"action":"echo","s":2})");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"action\":\"echo\",\"s\":2}\n");
    auto r2 =
        run_command({lambda_emu_bin(), "invoke", "--event", "-", cpp_bootstrap()}, R"([1,2])");
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    EXPECT_EQ(r2.out, "[1,2]\n");
}

TEST(Invoke, AFixturesShortNameIsAnEvent) {
    auto r = invoke({"--event", "sqs", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(source_path("fixtures/sqs.json"));
    std::string fixture((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(r.out, fixture + "\n");
    auto unknown = invoke({"--event", "sqs-nope", cpp_bootstrap()});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("(nor a fixture name: alb, apigw, apigw-v2, "), std::string::npos)
        << unknown.err;
}

TEST(Invoke, JsonLogFormatPrintsPlatformRecords) {
    auto r = invoke({"--log-format", "json", "--payload", R"({"action":"echo"})", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const char* type :
         {"platform.initStart", "platform.initRuntimeDone", "platform.initReport", "platform.start",
          "platform.runtimeDone", "platform.report"}) {
        EXPECT_NE(r.err.find(std::string("\"type\":\"") + type + "\""), std::string::npos) << type;
    }
    std::regex report(
        R"(\{"time":"[0-9T:.-]+Z","type":"platform.report","record":\{"requestId":"[0-9a-f-]{36}","status":"success","metrics":\{"durationMs":[0-9.]+,"billedDurationMs":\d+,"memorySizeMB":128,"maxMemoryUsedMB":\d+,"initDurationMs":[0-9.]+\}\}\})");
    bool found = false;
    for (const auto& l : lines_of(r.err)) found = found || std::regex_match(l, report);
    EXPECT_TRUE(found) << r.err;
    std::regex app(
        R"(\{"timestamp":"[0-9T:.-]+Z","level":"INFO","requestId":"[0-9a-f-]{36}","message":"handling [0-9a-f-]{36}"\})");
    found = false;
    for (const auto& l : lines_of(r.err)) found = found || std::regex_match(l, app);
    EXPECT_TRUE(found) << r.err;
}

// A bootstrap written by the test, in a directory of its own.
class ScriptFunction {
  public:
    ScriptFunction(const std::string& name, const std::string& script) {
        m_dir = fs::temp_directory_path() /
                ("lambda-emu-test-" + std::to_string(::getpid()) + "-" + name);
        fs::create_directories(m_dir);
        std::ofstream(m_dir / "bootstrap") << script;
        ::chmod((m_dir / "bootstrap").c_str(), 0755);
    }
    ~ScriptFunction() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    std::string dir() const { return m_dir.string(); }

  private:
    fs::path m_dir;
};

const char* k_curl_loop_head = R"SH(#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
HDRS=$(mktemp)
curl -sS -D "$HDRS" -o /dev/null "$API/next"
ID=$(grep -i '^lambda-runtime-aws-request-id:' "$HDRS" | tr -d '\r' | cut -d' ' -f2)
)SH";

TEST(Invoke, RuntimeEnvironmentIsLambdas) {
    ScriptFunction fn("envfn", std::string(k_curl_loop_head) + R"SH(
env | sort | grep -E '^(AWS_|_HANDLER|LAMBDA_|_LAMBDA|TZ|LANG|MY_)' 
echo "CWD=$(pwd)"
curl -sS -o /dev/null -X POST "$API/$ID/response" -d '{}'
)SH");
    std::string env_file = fn.dir() + "/vars.env";
    std::ofstream(env_file) << "# comment\nMY_FILE_VAR=\"from file\"\nMY_BOTH=file\n";
    auto r = invoke({"--memory", "256", "--env", "MY_VAR=hello", "--env", "MY_BOTH=flag",
                     "--env-file", env_file, "--handler", "main.handler", fn.dir()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string name = fs::path(fn.dir()).filename().string();
    for (const std::string& expected :
         {"AWS_LAMBDA_FUNCTION_NAME=" + name, std::string("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256"),
          std::string("AWS_LAMBDA_FUNCTION_VERSION=$LATEST"), std::string("AWS_REGION=us-east-1"),
          std::string("AWS_DEFAULT_REGION=us-east-1"), std::string("_HANDLER=main.handler"),
          "LAMBDA_TASK_ROOT=" + fn.dir(), "CWD=" + fn.dir(),
          std::string("AWS_LAMBDA_INITIALIZATION_TYPE=on-demand"),
          "AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + name, std::string("TZ=:UTC"),
          std::string("LANG=en_US.UTF-8"), std::string("MY_VAR=hello"),
          std::string("MY_FILE_VAR=from file"), std::string("MY_BOTH=flag")}) {
        EXPECT_FALSE(lines_starting(r.err, expected + "").empty()) << expected << "\n" << r.err;
    }
    auto stream = lines_starting(r.err, "AWS_LAMBDA_LOG_STREAM_NAME=");
    ASSERT_EQ(stream.size(), 1u);
    EXPECT_TRUE(std::regex_match(
        stream[0],
        std::regex(R"(AWS_LAMBDA_LOG_STREAM_NAME=\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32})")))
        << stream[0];
    auto api = lines_starting(r.err, "AWS_LAMBDA_RUNTIME_API=");
    ASSERT_EQ(api.size(), 1u);
    EXPECT_TRUE(std::regex_match(api[0], std::regex(R"(AWS_LAMBDA_RUNTIME_API=127\.0\.0\.1:\d+)")));
    EXPECT_TRUE(lines_starting(r.err, "_LAMBDA_SERVER_PORT").empty());
}

TEST(Invoke, PartialBatchResponsesSayWhatWouldBeRetried) {
    ScriptFunction fn("batch", std::string(k_curl_loop_head) + R"SH(
curl -sS -o /dev/null -X POST "$API/$ID/response" -d '{"batchItemFailures":[{"itemIdentifier":"second"}]}'
)SH");
    std::string event =
        R"({"Records":[{"messageId":"first","body":"a","eventSource":"aws:sqs"},{"messageId":"second","body":"b","eventSource":"aws:sqs"}]})";
    auto r = invoke({"--payload", event, fn.dir()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(lines_starting(r.err, "BATCH ").size(), 1u);
    EXPECT_NE(r.err.find("BATCH aws:sqs: 2 records, 1 would be retried: second"), std::string::npos)
        << r.err;
    auto whole = invoke({"--payload", event, "--env", "IGNORED=1", cpp_bootstrap()});
    EXPECT_NE(whole.err.find("BATCH aws:sqs: 2 records, all succeeded"), std::string::npos)
        << whole.err;
}

TEST(Invoke, HttpEventsShowTheHttpResponseTheClientWouldGet) {
    auto ok = invoke({"--event", "apigw", cpp_bootstrap()});
    ASSERT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.err.find("HTTP response through the API Gateway REST API:\nHTTP/1.1 200 OK\n"
                          "content-type: application/json\n\n{\"status\":\"ok\"}\n"),
              std::string::npos)
        << ok.err;
    ScriptFunction fn("malformed", std::string(k_curl_loop_head) + R"SH(
curl -sS -o /dev/null -X POST "$API/$ID/response" -d '{"statusCode":"two hundred"}'
)SH");
    auto bad = invoke({"--event", "apigw", fn.dir()});
    EXPECT_EQ(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("HTTP response through the API Gateway REST API (statusCode is missing "
                           "or not an integer):\nHTTP/1.1 502 Bad Gateway\n"),
              std::string::npos)
        << bad.err;
    EXPECT_NE(bad.err.find(R"({"message": "Internal server error"})"), std::string::npos);
}

TEST(Invoke, NoProcessOutlivesTheInvocation) {
    const std::string marker = "lambda-emu-orphan-marker-" + std::to_string(::getpid());
    ScriptFunction fn("forker", std::string(k_curl_loop_head) + "(exec -a " + marker +
                                    " sleep 300) &\necho forked\nexit 3\n");
    auto r = invoke({fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("exit status 3"), std::string::npos) << r.out;
    EXPECT_EQ(count_processes_with(marker), 0) << "the runtime's process group is killed";
}

TEST(Invoke, ARuntimeThatNeverCallsNextHitsTheInitLimitThenTheTimeout) {
    ScriptFunction fn("stuck", "#!/bin/sh\necho stuck in init\nexec sleep 30\n");
    // The 10 s Init limit applies in the init phase; the retry inside the invocation is cut by
    // the function timeout.
    auto r = invoke({"--timeout", "1", fn.dir()});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_LT(r.wall_ms, 15000);
    auto init_reports = lines_starting(r.err, "INIT_REPORT ");
    ASSERT_EQ(init_reports.size(), 2u) << r.err;
    EXPECT_TRUE(std::regex_match(
        init_reports[0],
        std::regex(R"(INIT_REPORT Init Duration: 100\d\d\.\d\d ms\tPhase: init\tStatus: timeout)")))
        << init_reports[0];
    EXPECT_NE(init_reports[1].find("Phase: invoke\tStatus: timeout"), std::string::npos);
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(rs[0].status, "Status: timeout\t");
    EXPECT_NE(r.out.find("Sandbox.Timedout"), std::string::npos);
}

TEST(Invoke, ARuntimeKilledBySignalIsRuntimeExitError) {
    ScriptFunction fn("selfkill", std::string(k_curl_loop_head) + "kill -9 $$\n");
    auto r = invoke({fn.dir()});
    EXPECT_EQ(r.exit_code, 1);
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_EQ(r.out, R"({"errorType":"Runtime.ExitError","errorMessage":"RequestId: )" +
                         rs[0].request_id +
                         R"( Error: Runtime exited with error: signal: killed"})"
                         "\n");
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Runtime.ExitError\t");
}

TEST(Invoke, ARuntimeExitingZeroGaveNoReason) {
    ScriptFunction fn("exitzero", std::string(k_curl_loop_head) + "exit 0\n");
    auto r = invoke({fn.dir()});
    EXPECT_EQ(r.exit_code, 1);
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_NE(r.out.find("Error: Runtime exited without providing a reason"), std::string::npos)
        << r.out;
}

TEST(Invoke, TheFirstAnswerWinsAndWrongIdsAreRefused) {
    ScriptFunction fn("twice", std::string(k_curl_loop_head) + R"SH(
post() { curl -sS -o /dev/null -w "%{http_code} " -X POST "$API/$1/$2" -d "$3"; }
post "$ID" response '{"first":true}'
post "$ID" response '{"second":true}'
post "$ID" error '{"errorType":"Late"}'
post not-a-real-id response '{}'
echo
curl -sS -X POST "$API/$ID/response" -d '{}'
echo
)SH");
    auto r = invoke({fn.dir()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"first\":true}\n");
    EXPECT_NE(r.err.find("202 403 403 400 \n"), std::string::npos) << r.err;
    EXPECT_NE(
        r.err.find(
            R"({"errorMessage":"State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})"),
        std::string::npos)
        << r.err;
}

// --- bad input: one clear line, exit 2 ---

struct BadInput {
    std::string name;
    std::vector<std::string> args;
    std::string message;  // a substring of the one-line error
    friend void PrintTo(const BadInput& b, std::ostream* os) { *os << b.name; }
};

class InvokeBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(InvokeBadInput, ExitsTwoWithAClearMessage) {
    auto args = GetParam().args;
    for (auto& a : args) {
        if (a == "@cpp") a = cpp_bootstrap();
        if (a.rfind("@src/", 0) == 0) a = source_path(a.substr(5));
    }
    auto r = invoke(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find(GetParam().message), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("START"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, InvokeBadInput,
    ::testing::Values(
        BadInput{"MissingBootstrap",
                 {"/nonexistent/bootstrap"},
                 "bootstrap /nonexistent/bootstrap: No such file or directory"},
        BadInput{"DirectoryWithoutBootstrap", {"@src/fixtures"}, "has no 'bootstrap' file"},
        BadInput{"NotExecutable", {"@src/fixtures/apigw.json"}, "not executable"},
        BadInput{"EventMissing",
                 {"--event", "/nonexistent.json", "@cpp"},
                 "event /nonexistent.json: No such file or directory"},
        BadInput{"EventNotJson",
                 {"--event", "@src/CMakeLists.txt", "@cpp"},
                 "is not valid JSON: line 1, column"},
        BadInput{"PayloadNotJson",
                 {"--payload", "{\"a\":\n\n  nope}", "@cpp"},
                 "--payload is not valid JSON: line 3, column 4: syntax error"},
        BadInput{
            "MemoryTooSmall", {"--memory", "64", "@cpp"}, "--memory 64: must be 128 to 10240 MB"},
        BadInput{"MemoryTooLarge",
                 {"--memory", "10241", "@cpp"},
                 "--memory 10241: must be 128 to 10240 MB"},
        BadInput{
            "TimeoutZero", {"--timeout", "0", "@cpp"}, "--timeout 0: must be 1 to 900 seconds"},
        BadInput{"TimeoutTooLong",
                 {"--timeout", "901", "@cpp"},
                 "--timeout 901: must be 1 to 900 seconds"},
        BadInput{"EnvWithoutEquals", {"--env", "NOPE", "@cpp"}, "--env: 'NOPE' is not KEY=VALUE"},
        BadInput{"EnvReserved", {"--env", "AWS_REGION=x", "@cpp"}, "'AWS_REGION' is reserved"},
        BadInput{"EnvBadName", {"--env", "1X=y", "@cpp"}, "must start with a letter"},
        BadInput{"EnvFileMissing",
                 {"--env-file", "/nonexistent.env", "@cpp"},
                 "--env-file /nonexistent.env: No such file or directory"},
        BadInput{"TwoEvents",
                 {"--payload", "{}", "--event", "@src/fixtures/sqs.json", "@cpp"},
                 "give the event once"},
        BadInput{"UnknownOption", {"--bogus", "@cpp"}, "bogus"},
        BadInput{"BadLogFormat", {"--log-format", "xml", "@cpp"}, "xml"},
        BadInput{
            "BadFunctionName", {"--function-name", "a/b", "@cpp"}, "may contain only letters"}),
    [](const auto& info) { return info.param.name; });

TEST(Invoke, HelpNamesEveryOption) {
    auto r = run_command({lambda_emu_bin(), "invoke", "--help"});
    EXPECT_EQ(r.exit_code, 0);
    for (const char* opt :
         {"--event", "--payload", "--memory", "--timeout", "--env", "--env-file", "--function-name",
          "--handler", "--count", "--log-format", "--no-memory-limit"}) {
        EXPECT_NE(r.out.find(opt), std::string::npos) << opt;
    }
    auto v = run_command({lambda_emu_bin(), "--version"});
    EXPECT_EQ(v.exit_code, 0);
    EXPECT_EQ(v.out.rfind("lambda-emu ", 0), 0u);
}

}  // namespace

}  // namespace lambda_emu::testing
