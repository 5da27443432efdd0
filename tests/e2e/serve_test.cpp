// lambda-emu serve, end to end: real HTTP clients against the real binary, real environments.
#include <gtest/gtest.h>
#include <httplib.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <set>

#include "e2e/background_process.h"
#include "e2e/report_lines.h"
#include "e2e/run_command.h"
#include "util/base64.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;

// A private copy of the C++ example bootstrap, so that its processes can be counted by path.
class FunctionDir {
  public:
    explicit FunctionDir(const std::string& name) {
        m_dir =
            fs::temp_directory_path() / ("lambda-emu-serve-" + std::to_string(::getpid())) / name;
        fs::create_directories(m_dir);
        fs::copy_file(build_path("examples/cpp/bootstrap"), m_dir / "bootstrap",
                      fs::copy_options::overwrite_existing);
    }
    FunctionDir(const std::string& name, const std::string& script) {
        m_dir =
            fs::temp_directory_path() / ("lambda-emu-serve-" + std::to_string(::getpid())) / name;
        fs::create_directories(m_dir);
        std::ofstream(m_dir / "bootstrap") << script;
        ::chmod((m_dir / "bootstrap").c_str(), 0755);
    }
    ~FunctionDir() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    std::string dir() const { return m_dir.string(); }
    std::string bootstrap() const { return (m_dir / "bootstrap").string(); }
    int running() const { return count_processes_with(bootstrap()); }

  private:
    fs::path m_dir;
};

struct Reply {
    int status = 0;
    std::string body;
    std::string function_error;
    std::string error_type;
    std::string request_id;
};

Reply invoke(int port, const std::string& name, const std::string& payload,
             const httplib::Headers& headers = {}, const std::string& query = "") {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(std::chrono::seconds(60));
    client.set_tcp_nodelay(true);
    auto res = client.Post(("/2015-03-31/functions/" + name + "/invocations" + query).c_str(),
                           headers, payload, "application/json");
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.body = res->body;
    r.function_error = res->get_header_value("X-Amz-Function-Error");
    r.error_type = res->get_header_value("X-Amzn-ErrorType");
    r.request_id = res->get_header_value("X-Amzn-RequestId");
    return r;
}

std::vector<Reply> burst(int port, const std::string& name, const std::string& payload, int n) {
    std::vector<std::future<Reply>> futures;
    for (int i = 0; i < n; ++i) {
        futures.push_back(
            std::async(std::launch::async, [=] { return invoke(port, name, payload); }));
    }
    std::vector<Reply> out;
    for (auto& f : futures) out.push_back(f.get());
    return out;
}

int count_lines(const std::string& text, const std::string& prefix) {
    return static_cast<int>(lines_starting(text, prefix).size());
}

TEST(Serve, ABurstGetsOneColdEnvironmentPerRequestThenReusesThemWarm) {
    FunctionDir fn("burst");
    auto server = start_serve({fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto replies = burst(server.port, "burst", R"({"action":"sleep","ms":300})", 5);
    for (const auto& r : replies) {
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, R"({"slept_ms":300})");
    }
    auto warm = invoke(server.port, "burst", R"({"action":"echo"})");
    EXPECT_EQ(warm.status, 200);
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    auto rs = reports(err);
    ASSERT_EQ(rs.size(), 6u) << err;
    int cold = 0;
    for (const auto& r : rs) cold += r.has_init ? 1 : 0;
    EXPECT_EQ(cold, 5) << "every concurrent request is a cold start of its own environment";
    EXPECT_FALSE(rs.back().has_init) << "the following request is warm";
    EXPECT_EQ(count_lines(err, "init cpp"), 5);
    EXPECT_EQ(fn.running(), 0);
}

TEST(Serve, ReservedConcurrencyThrottlesWithTheFlag) {
    FunctionDir fn("throttled");
    auto server = start_serve({"--reserved-concurrency", "2", "--throttle", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto replies = burst(server.port, "throttled", R"({"action":"sleep","ms":500})", 4);
    int ok = 0, throttled = 0;
    for (const auto& r : replies) {
        if (r.status == 200) ++ok;
        if (r.status == 429) {
            ++throttled;
            EXPECT_EQ(r.error_type, "TooManyRequestsException");
            EXPECT_EQ(
                r.body,
                R"({"Reason":"ReservedFunctionConcurrentInvocationLimitExceeded","Type":"User","message":"Rate Exceeded."})");
        }
    }
    EXPECT_EQ(ok, 2);
    EXPECT_EQ(throttled, 2);
    EXPECT_EQ(server.process->stop(SIGINT), 0);
}

TEST(Serve, ReservedConcurrencyQueuesWithoutTheFlag) {
    FunctionDir fn("queued");
    auto server = start_serve({"--reserved-concurrency", "2", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto replies = burst(server.port, "queued", R"({"action":"sleep","ms":300})", 4);
    for (const auto& r : replies) EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    EXPECT_EQ(count_lines(err, "init cpp"), 2) << "never more environments than the concurrency";
    EXPECT_EQ(reports(err).size(), 4u);
}

TEST(Serve, IdleEnvironmentsAreSpunDown) {
    FunctionDir fn("idle");
    auto server = start_serve({"--idle-timeout", "1", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    EXPECT_EQ(invoke(server.port, "idle", "{}").status, 200);
    EXPECT_EQ(fn.running(), 1);
    for (int i = 0; i < 60 && fn.running() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(fn.running(), 0) << "spun down after the idle timeout";
    EXPECT_EQ(invoke(server.port, "idle", "{}").status, 200);
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    auto rs = reports(server.process->err());
    ASSERT_EQ(rs.size(), 2u);
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_TRUE(rs[1].has_init) << "a new environment after the spin-down";
}

TEST(Serve, PrewarmedEnvironmentsAreProvisionedConcurrency) {
    FunctionDir fn("prewarmed", R"SH(#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
echo "type=$AWS_LAMBDA_INITIALIZATION_TYPE"
while true; do
  HDRS=$(mktemp)
  curl -sS -D "$HDRS" -o /dev/null "$API/next" || exit 1
  ID=$(grep -i '^lambda-runtime-aws-request-id:' "$HDRS" | tr -d '\r' | cut -d' ' -f2)
  rm -f "$HDRS"
  curl -sS -o /dev/null -X POST "$API/$ID/response" -d '{"ok":true}'
done
)SH");
    auto server = start_serve({"--prewarm", "2", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    EXPECT_EQ(count_lines(server.process->err(), "type=provisioned-concurrency"), 2)
        << server.process->err();
    EXPECT_EQ(invoke(server.port, "prewarmed", "{}").body, R"({"ok":true})");
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    auto rs = reports(server.process->err());
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_FALSE(rs[0].has_init) << "Init happened before the invocation";
    EXPECT_EQ(fn.running(), 0);
}

// The benchmark harness's switch (bench/, scenario 7): environments without memory samples or
// output capture, still answering every invocation.
TEST(Serve, TheHarnessSwitchTurnsMeasurementOff) {
    auto server = start_lambda_emu("serve", {cpp_bootstrap()}, std::chrono::seconds(20),
                                   {"LAMBDA_EMU_BENCH_UNMEASURED=1"});
    ASSERT_GT(server.port, 0) << server.process->err();
    for (int i = 0; i < 3; ++i) {
        Reply r = invoke(server.port, "cpp", R"({"action":"echo","n":1})");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, R"({"action":"echo","n":1})");
    }
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    EXPECT_NE(err.find("measurement off"), std::string::npos) << err;
    EXPECT_EQ(lines_starting(err, "REPORT RequestId: ").size(), 3u) << err;
    EXPECT_NE(err.find("Max Memory Used: 0 MB"), std::string::npos) << err;
    EXPECT_EQ(err.find("handling "), std::string::npos) << "the function's output is discarded";
}

TEST(Serve, SigtermFinishesInFlightInvocationsAndLeavesNoProcess) {
    FunctionDir fn("stopping");
    auto server = start_serve({fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto in_flight = std::async(std::launch::async, [&] {
        return invoke(server.port, "stopping", R"({"action":"sleep","ms":700})");
    });
    // In flight: the invocation has started (a fixed sleep loses the race on a loaded machine).
    ASSERT_TRUE(
        server.process->wait_for(std::regex("^START RequestId: "), std::chrono::seconds(20)))
        << server.process->err();
    EXPECT_EQ(server.process->stop(SIGTERM), 0) << server.process->err();
    Reply r = in_flight.get();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"slept_ms":700})");
    EXPECT_EQ(fn.running(), 0);
    EXPECT_NE(server.process->err().find("lambda-emu: stopped"), std::string::npos);
}

TEST(Serve, SeveralFunctionsFromAConfigFilePrefixTheirLogs) {
    FunctionDir a("alpha");
    FunctionDir b("beta");
    std::string config = fs::path(a.dir()).parent_path() / "lambda-emu.json";
    std::ofstream(config) << R"({"functions":[
        {"name":"alpha","bootstrap":"alpha","memory":256,"timeout":2,"environment":{"GREETING":"hi"}},
        {"name":"beta","bootstrap":")" +
                                 b.bootstrap() + R"(","reserved_concurrency":1}]})";
    auto server = start_serve({"--config", config});
    ASSERT_GT(server.port, 0) << server.process->err();
    EXPECT_EQ(invoke(server.port, "alpha", R"({"who":"a"})").body, R"({"who":"a"})");
    EXPECT_EQ(invoke(server.port, "beta", R"({"who":"b"})").body, R"({"who":"b"})");
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    auto alpha = lines_starting(err, "[alpha] REPORT RequestId: ");
    auto beta = lines_starting(err, "[beta] REPORT RequestId: ");
    ASSERT_EQ(alpha.size(), 1u) << err;
    ASSERT_EQ(beta.size(), 1u) << err;
    EXPECT_NE(alpha[0].find("Memory Size: 256 MB"), std::string::npos);
    EXPECT_NE(beta[0].find("Memory Size: 128 MB"), std::string::npos);
    EXPECT_EQ(count_lines(err, "[alpha] START RequestId: "), 1);
    EXPECT_EQ(count_lines(err, "[beta] END RequestId: "), 1);
}

TEST(Serve, ServiceErrorsHaveTheServiceShape) {
    FunctionDir fn("errs");
    auto server = start_serve({fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto missing = invoke(server.port, "nope", "{}");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.error_type, "ResourceNotFoundException");
    EXPECT_EQ(
        missing.body,
        R"({"Type":"User","message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope"})");
    auto not_json = invoke(server.port, "errs", "{nope");
    EXPECT_EQ(not_json.status, 400);
    EXPECT_EQ(not_json.error_type, "InvalidRequestContentException");
    auto big = invoke(server.port, "errs", "\"" + std::string(6291456, 'x') + "\"");
    EXPECT_EQ(big.status, 413);
    EXPECT_EQ(big.error_type, "RequestEntityTooLargeException");
    EXPECT_EQ(
        big.body,
        R"({"Type":"User","message":"Request must be smaller than 6291456 bytes for the InvokeFunction operation"})");
    auto big_event = invoke(server.port, "errs", "\"" + std::string(1048576, 'x') + "\"",
                            {{"X-Amz-Invocation-Type", "Event"}});
    EXPECT_EQ(big_event.status, 413);
    auto at_limit = invoke(server.port, "errs", "\"" + std::string(6291454, 'x') + "\"");
    EXPECT_EQ(at_limit.status, 200);
    EXPECT_EQ(at_limit.body.size(), 6291456u);
    auto bad_type = invoke(server.port, "errs", "{}", {{"X-Amz-Invocation-Type", "Sometimes"}});
    EXPECT_EQ(bad_type.status, 400);
    auto dry = invoke(server.port, "errs", "{}", {{"X-Amz-Invocation-Type", "DryRun"}});
    EXPECT_EQ(dry.status, 204);
    auto conflicting = invoke(server.port, "errs:live", "{}", {}, "?Qualifier=other");
    EXPECT_EQ(conflicting.status, 400);
    EXPECT_EQ(conflicting.error_type, "InvalidParameterValueException");
    auto long_name = invoke(server.port, std::string(171, 'a'), "{}");
    EXPECT_EQ(long_name.status, 400);
    EXPECT_EQ(long_name.error_type, "ValidationException");
    auto crash = invoke(server.port, "errs", R"({"action":"crash"})");
    EXPECT_EQ(crash.status, 200);
    EXPECT_EQ(crash.function_error, "Unhandled");
    EXPECT_NE(crash.body.find("Runtime.ExitError"), std::string::npos);
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    EXPECT_EQ(fn.running(), 0);
}

TEST(Serve, EventInvocationsRunAndFailuresAreRetriedTwice) {
    FunctionDir fn("events");
    auto server = start_serve({"--event-retry-delay", "0.2", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto ok =
        invoke(server.port, "events", R"({"action":"echo"})", {{"X-Amz-Invocation-Type", "Event"}});
    EXPECT_EQ(ok.status, 202);
    EXPECT_EQ(ok.body, "");
    auto failing = invoke(server.port, "events", R"({"action":"error"})",
                          {{"X-Amz-Invocation-Type", "Event"}});
    EXPECT_EQ(failing.status, 202);
    // 1 + 1 initial runs, then 2 retries of the failing one after 0.2 s and 0.4 s.
    for (int i = 0; i < 100 && reports(server.process->err()).size() < 4; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    auto rs = reports(server.process->err());
    ASSERT_EQ(rs.size(), 4u) << server.process->err();
    std::set<std::string> failing_ids;
    for (const auto& r : rs) {
        if (r.request_id == failing.request_id) failing_ids.insert(r.request_id);
    }
    EXPECT_EQ(count_lines(server.process->err(), "START RequestId: " + failing.request_id), 3);
    EXPECT_EQ(count_lines(server.process->err(), "START RequestId: " + ok.request_id), 1);
}

TEST(Serve, ARuntimeCannotAnswerAnotherEnvironmentsInvocation) {
    // Two environments each learn the other's request id and try to answer it on their own
    // Runtime API: refused with 400, and each invocation still gets its own response.
    FunctionDir fn("crossed", R"SH(#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
SHARE="$(dirname "$0")/ids"
mkdir -p "$SHARE"
HDRS=$(mktemp)
curl -sS -D "$HDRS" -o /dev/null "$API/next" || exit 1
ID=$(grep -i '^lambda-runtime-aws-request-id:' "$HDRS" | tr -d '\r' | cut -d' ' -f2)
touch "$SHARE/$ID"
for i in $(seq 1 200); do
  OTHER=$(ls "$SHARE" | grep -v "^$ID$" | head -n1)
  [ -n "$OTHER" ] && break
  sleep 0.01
done
CODE=$(curl -sS -o /dev/null -w '%{http_code}' -X POST "$API/$OTHER/response" -d '{"stolen":true}')
echo "cross-answer: $CODE"
curl -sS -o /dev/null -X POST "$API/$ID/response" -d "{\"own\":\"$ID\"}"
sleep 5
)SH");
    auto server = start_serve({fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto replies = burst(server.port, "crossed", "{}", 2);
    for (const auto& r : replies) {
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, R"({"own":")" + r.request_id + R"("})");
    }
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    EXPECT_EQ(count_lines(server.process->err(), "cross-answer: 400"), 2) << server.process->err();
}

TEST(Serve, TheClientIsAnsweredAtTheAnswerAndTheInvocationEndsWhenTheRuntimeIsBack) {
    // The runtime answers, writes a line, and comes back to /next only a second later. Without
    // a log tail the client has its answer at once; END and REPORT follow the runtime's return,
    // after the line it wrote. With X-Amz-Log-Type: Tail the answer waits for them.
    FunctionDir fn("late", R"SH(#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
while true; do
  HDRS=$(mktemp)
  curl -sS -D "$HDRS" -o /dev/null "$API/next" || exit 1
  ID=$(grep -i '^lambda-runtime-aws-request-id:' "$HDRS" | tr -d '\r' | cut -d' ' -f2)
  curl -sS -o /dev/null -X POST "$API/$ID/response" -d "{\"id\":\"$ID\"}"
  echo "after the answer to $ID"
  sleep 1
done
)SH");
    auto server = start_serve({fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();

    Reply first = invoke(server.port, "late", "{}");
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(first.body, R"({"id":")" + first.request_id + R"("})");
    // The runtime is still in its second's sleep: the invocation has not ended.
    EXPECT_EQ(server.process->err().find("REPORT RequestId: " + first.request_id),
              std::string::npos)
        << server.process->err();
    ASSERT_TRUE(server.process->wait_for(std::regex("^REPORT RequestId: " + first.request_id)));
    std::string err = server.process->err();
    auto after = err.find("after the answer to " + first.request_id);
    auto end = err.find("END RequestId: " + first.request_id);
    ASSERT_NE(after, std::string::npos) << err;
    ASSERT_NE(end, std::string::npos) << err;
    EXPECT_LT(after, end) << "the line written after the answer belongs to the invocation";

    httplib::Client client("127.0.0.1", server.port);
    client.set_read_timeout(std::chrono::seconds(60));
    auto tail = client.Post("/2015-03-31/functions/late/invocations", {{"X-Amz-Log-Type", "Tail"}},
                            "{}", "application/json");
    ASSERT_TRUE(tail);
    ASSERT_EQ(tail->status, 200);
    std::string id = tail->get_header_value("X-Amzn-RequestId");
    auto log = util::base64_decode(tail->get_header_value("X-Amz-Log-Result"));
    ASSERT_TRUE(log);
    EXPECT_NE(log->find("after the answer to " + id), std::string::npos) << *log;
    EXPECT_NE(log->find("REPORT RequestId: " + id), std::string::npos)
        << "a log tail is returned with its REPORT line: " << *log;

    EXPECT_EQ(server.process->stop(SIGINT), 0);
    auto rs = reports(server.process->err());
    ASSERT_EQ(rs.size(), 2u) << server.process->err();
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_FALSE(rs[1].has_init) << "the second invocation reused the environment";
}

TEST(Serve, TheRuntimeSeesTheInvocationsHeaders) {
    FunctionDir fn("headers", R"SH(#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
while true; do
  HDRS=$(mktemp)
  curl -sS -D "$HDRS" -o /dev/null "$API/next" || exit 1
  tr -d '\r' < "$HDRS" | grep -i '^lambda-runtime-' | sed 's/^/seen /'
  ID=$(grep -i '^lambda-runtime-aws-request-id:' "$HDRS" | tr -d '\r' | cut -d' ' -f2)
  rm -f "$HDRS"
  curl -sS -o /dev/null -X POST "$API/$ID/response" -d '{}'
done
)SH");
    auto server = start_serve({"--timeout", "7", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    // {"custom":{"k":"v"}} in base64, as the SDKs send a ClientContext.
    auto r = invoke(server.port, "123456789012%3Afunction%3Aheaders%3Alive", "{}",
                    {{"X-Amz-Client-Context", "eyJjdXN0b20iOnsiayI6InYifX0="}});
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    EXPECT_NE(err.find("seen Lambda-Runtime-Client-Context: {\"custom\":{\"k\":\"v\"}}"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("seen Lambda-Runtime-Invoked-Function-Arn: "
                       "arn:aws:lambda:us-east-1:000000000000:function:headers:live"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("seen Lambda-Runtime-Aws-Request-Id: " + r.request_id), std::string::npos);
    std::smatch m;
    ASSERT_TRUE(std::regex_search(err, m, std::regex(R"(seen Lambda-Runtime-Deadline-Ms: (\d+))")));
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    long long deadline = std::stoll(m[1]);
    EXPECT_GT(deadline, now_ms - 60000);
    EXPECT_LT(deadline, now_ms + 8000) << "start + 7 s timeout";
    EXPECT_TRUE(std::regex_search(
        err,
        std::regex(
            R"(seen Lambda-Runtime-Trace-Id: Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0)")));
}

// A stdlib-only Python runtime whose answers depend on the request's path.
const char* k_url_handler = R"PY(#!/usr/bin/python3
import http.client, json, os
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
conn = http.client.HTTPConnection(host, int(port))
base = "/2018-06-01/runtime/invocation/"
while True:
    conn.request("GET", base + "next")
    res = conn.getresponse()
    event = json.loads(res.read())
    rid = res.getheader("Lambda-Runtime-Aws-Request-Id")
    path = event.get("rawPath", "")
    kind = "response"
    if path == "/error":
        kind, out = "error", {"errorMessage": "nope", "errorType": "HandlerError"}
    elif path == "/plain":
        out = "hello"
    elif path == "/binary":
        out = {"statusCode": 200, "headers": {"content-type": "application/octet-stream"},
               "body": event.get("body", ""), "isBase64Encoded": event["isBase64Encoded"]}
    else:
        out = {"statusCode": 201, "headers": {"content-type": "application/json", "x-handler": "py"},
               "cookies": ["s=1; Path=/", "t=2"], "body": json.dumps(event)}
    conn.request("POST", base + rid + "/" + kind, json.dumps(out))
    conn.getresponse().read()
)PY";

TEST(Serve, FunctionUrlsTurnRequestsIntoEventsAndAnswersIntoResponses) {
    FunctionDir fn("web", k_url_handler);
    auto server = start_serve({"--http-port", "0", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto port =
        server.process->wait_for(std::regex(R"(Function URLs on http://127\.0\.0\.1:(\d+))"));
    ASSERT_TRUE(port) << server.process->err();
    std::string base = "http://127.0.0.1:" + *port + "/lambda-url/web";

    // curl: query repeats, cookies, a repeated header, a JSON body.
    auto r = run_command({"curl", "-sS", "-i", "-X", "PUT", base + "/orders/7?x=1&x=2&y=a%20b",
                          "-H", "Cookie: a=1; b=2", "-H", "X-Multi: one", "-H", "X-Multi: two",
                          "-H", "Content-Type: application/json", "--data-binary", R"({"n":1})"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("HTTP/1.1 201"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("set-cookie: s=1; Path=/\r\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("set-cookie: t=2\r\n"), std::string::npos);
    EXPECT_NE(r.out.find("x-handler: py\r\n"), std::string::npos);
    auto event = nlohmann::json::parse(r.out.substr(r.out.find("\r\n\r\n") + 4));
    EXPECT_EQ(event["version"], "2.0");
    EXPECT_EQ(event["routeKey"], "$default");
    EXPECT_EQ(event["rawPath"], "/orders/7");
    EXPECT_EQ(event["rawQueryString"], "x=1&x=2&y=a%20b");
    EXPECT_EQ(event["queryStringParameters"]["x"], "1,2");
    EXPECT_EQ(event["queryStringParameters"]["y"], "a b");
    EXPECT_EQ(event["cookies"], nlohmann::json::array({"a=1", "b=2"}));
    EXPECT_EQ(event["headers"]["x-multi"], "one,two");
    EXPECT_FALSE(event["headers"].contains("cookie"));
    EXPECT_EQ(event["requestContext"]["http"]["method"], "PUT");
    EXPECT_EQ(event["requestContext"]["http"]["path"], "/orders/7");
    EXPECT_EQ(event["requestContext"]["http"]["sourceIp"], "127.0.0.1");
    EXPECT_EQ(event["requestContext"]["stage"], "$default");
    EXPECT_TRUE(std::regex_match(event["requestContext"]["time"].get<std::string>(),
                                 std::regex(R"(\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000)")));
    EXPECT_EQ(event["body"], R"({"n":1})");
    EXPECT_EQ(event["isBase64Encoded"], false);

    // Python urllib: a binary body both ways.
    std::string script = R"PY(
import sys, urllib.request
data = bytes(range(256))
req = urllib.request.Request(sys.argv[1], data=data, headers={"Content-Type": "application/octet-stream"})
with urllib.request.urlopen(req) as res:
    body = res.read()
    print(res.status, res.headers["Content-Type"], body == data)
)PY";
    auto py = run_command({"/usr/bin/python3", "-c", script, base + "/binary"});
    EXPECT_EQ(py.out, "200 application/octet-stream True\n") << py.err;

    auto plain = run_command({"curl", "-sS", "-i", base + "/plain"});
    EXPECT_NE(plain.out.find("HTTP/1.1 200"), std::string::npos);
    EXPECT_NE(plain.out.find("\r\n\r\n\"hello\""), std::string::npos) << plain.out;
    auto failed = run_command({"curl", "-sS", "-i", base + "/error"});
    EXPECT_NE(failed.out.find("HTTP/1.1 502"), std::string::npos) << failed.out;
    auto missing = run_command({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                                "http://127.0.0.1:" + *port + "/lambda-url/nope/"});
    EXPECT_EQ(missing.out, "404");
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    EXPECT_NE(server.process->err().find("Function URL answered 502: the function failed"),
              std::string::npos);
}

TEST(Serve, BadConfigurationsAreRefusedWithFileKeyAndReason) {
    auto dir = fs::temp_directory_path() / ("lambda-emu-config-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    struct Case {
        std::string json;
        std::string message;
    };
    std::vector<Case> cases = {
        {R"({"functions":[{"name":"a","bootstrap":"x","memmory":128}]})",
         "function 'a': unknown key 'memmory'"},
        {R"({"functions":[{"name":"a","bootstrap":")" + build_path("examples/cpp/bootstrap") +
             R"("},{"name":"a","bootstrap":"y"}]})",
         "duplicate function name 'a'"},
        {R"({"functions":[{"name":"a","bootstrap":"x","memory":64}]})",
         "function 'a': memory: 64 is out of range 128-10240"},
        {R"({"functions":[{"name":"a","bootstrap":"x","timeout":"3"}]})",
         "function 'a': timeout: must be a whole number"},
        {R"({"functions":[{"name":"a","bootstrap":"/nonexistent/boot"}]})",
         "function 'a': bootstrap /nonexistent/boot: No such file or directory"},
        {R"({"functions":[{"name":"a","bootstrap":"x","architecture":"mips"}]})",
         "architecture: must be \"x86_64\" or \"arm64\""},
        {R"({"functions":[{"name":"a","bootstrap":"x","environment":{"AWS_REGION":"eu"}}]})",
         "'AWS_REGION' is reserved"},
        {R"({"functions":[]})", "functions: must be a non-empty array"},
        {R"({"function":[]})", "unknown key 'function'"},
        {"{\"functions\":\n  [oops]}", "not valid JSON: line 2, column 4"},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        std::string path = (dir / ("c" + std::to_string(i) + ".json")).string();
        std::ofstream(path) << cases[i].json;
        auto r = run_command({lambda_emu_bin(), "serve", "--port", "0", "--config", path}, "",
                             std::chrono::seconds(20));
        EXPECT_EQ(r.exit_code, 2) << cases[i].json << "\n" << r.err;
        EXPECT_NE(r.err.find(path + ": "), std::string::npos) << r.err;
        EXPECT_NE(r.err.find(cases[i].message), std::string::npos) << r.err;
    }
    fs::remove_all(dir);
}

TEST(Serve, SoakEveryInvocationGetsExactlyOneRightAnswer) {
    FunctionDir fn("soak");
    auto server = start_serve({"--timeout", "1", "--reserved-concurrency", "8", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    constexpr int k_total = 10000;
    constexpr int k_workers = 8;
    // Warm up before the first measurement of the emulator's own footprint.
    burst(server.port, "soak", R"({"action":"echo"})", k_workers);
    int fds_before = open_fd_count(server.process->pid());
    [[maybe_unused]] long rss_before = rss_kb(server.process->pid());

    std::atomic<int> next{0};
    std::atomic<int> ok{0}, crashed{0}, timed_out{0}, wrong{0};
    std::vector<std::thread> workers;
    for (int w = 0; w < k_workers; ++w) {
        workers.emplace_back([&] {
            httplib::Client client("127.0.0.1", server.port);
            client.set_read_timeout(std::chrono::seconds(30));
            client.set_tcp_nodelay(true);
            client.set_keep_alive(true);
            for (int i = next++; i < k_total; i = next++) {
                std::string payload;
                int kind = i % 100 == 7 ? 1 : i % 100 == 53 ? 2 : 0;
                if (kind == 1) payload = R"({"action":"crash","seq":)" + std::to_string(i) + "}";
                if (kind == 2)
                    payload = R"({"action":"sleep","ms":3000,"seq":)" + std::to_string(i) + "}";
                if (kind == 0) payload = R"({"action":"echo","seq":)" + std::to_string(i) + "}";
                auto res = client.Post("/2015-03-31/functions/soak/invocations", payload,
                                       "application/json");
                if (!res || res->status != 200) {
                    ++wrong;
                    continue;
                }
                std::string fe = res->get_header_value("X-Amz-Function-Error");
                if (kind == 0 && fe.empty() && res->body == payload) {
                    ++ok;
                } else if (kind == 1 && fe == "Unhandled" &&
                           res->body.find("Runtime.ExitError") != std::string::npos) {
                    ++crashed;
                } else if (kind == 2 && fe == "Unhandled" &&
                           res->body.find("Sandbox.Timedout") != std::string::npos) {
                    ++timed_out;
                } else {
                    ++wrong;
                }
            }
        });
    }
    for (auto& t : workers) t.join();
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(ok.load(), k_total - 200);
    EXPECT_EQ(crashed.load(), 100);
    EXPECT_EQ(timed_out.load(), 100);
    int fds_after = open_fd_count(server.process->pid());
    [[maybe_unused]] long rss_after = rss_kb(server.process->pid());
    EXPECT_LE(fds_after, fds_before + 8) << "descriptors leak";
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
    // Sanitizer builds keep shadow memory and quarantines that grow by design: the bound on the
    // emulator's own memory is checked in the release build.
    EXPECT_LE(rss_after, rss_before + 16 * 1024) << "memory grows";
#endif
    std::string err_before_stop = server.process->err();
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    EXPECT_EQ(fn.running(), 0) << "no orphan process";
    std::string err = server.process->err();
    EXPECT_EQ(count_lines(err, "REPORT RequestId: "), k_total + k_workers);
    // Every request id appears in exactly one REPORT.
    std::set<std::string> ids;
    for (const auto& line : lines_starting(err, "REPORT RequestId: "))
        ids.insert(line.substr(18, 36));
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(k_total + k_workers));
}

}  // namespace

}  // namespace lambda_emu::testing
