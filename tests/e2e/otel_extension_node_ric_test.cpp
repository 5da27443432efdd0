// A real external extension nobody here wrote, under lambda-emu: Serverless Inc.'s OpenTelemetry
// extension, the Lambda layer extension.zip of the npm package
// @serverless/aws-lambda-otel-extension-dist, installed into the build tree and relocated from
// /opt by tests/e2e/node_ric.cmake and otel_extension_layer.cmake. Beside the C++ example
// runtime it
//   - registers (Lambda-Extension-Name: otel-extension, events INVOKE and SHUTDOWN),
//   - subscribes with PUT /2020-08-15/logs to types ["platform"] at http://sandbox:4243,
//   - serves that destination (on 0.0.0.0:4243 with AWS_SAM_LOCAL=true, else on the host
//     `sandbox`, which does not resolve here) and localhost:2772 (for its internal extension),
//   - on INVOKE waits for its internal extension's data unless DO_NOT_WAIT is set (there is none
//     here), then goes back to event/next.
// With DEBUG_SLS_OTEL_LAYER=1 it logs what it does on stdout, which lambda-emu copies to the log:
// "LOGS:  <JSON>" is the queue of batches the Logs API delivered (it keeps platform.report
// records only), "Processing event:  INVOKE" each event.
// It uploads only when SLS_OTEL_REPORT_METRICS_URL / _TRACES_URL / _S3_BUCKET are set, which
// these tests never do (lambda-emu passes the function only its own variables and --env), and
// it prints its OTel payloads only for invocations its internal extension reported, so nothing
// leaves the machine: its only connections are to lambda-emu's API, and lambda-emu's to it.
//
// At SHUTDOWN it waits, in 1 s steps, for one more Logs API batch before it uploads and exits
// ("Checking log length... N N"). lambda-emu delivers every batch before SHUTDOWN (it flushes
// the subscription first) and none after, so the extension is ended at lambda-emu's 2000 ms
// shutdown deadline: these tests check that this happens promptly and leaves no process, not
// that the extension exits by itself.
//
// SERIAL (node_ric.cmake): the ports are fixed, and so are the extension's state files,
// /tmp/sls-save-log.json and /tmp/sent-requests.json, which it reads back when it starts; the
// tests remove them before and after.

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "e2e/background_process.h"
#include "e2e/run_command.h"
#include "e2e/tcp_connect.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

const std::string k_layer = LAMBDA_EMU_OTEL_LAYER_DIR;
// The layer's launcher: `extensions/otel-extension`, as shipped but for the /opt path it execs.
const std::string k_launcher = k_layer + "/extensions/otel-extension";
// What the launcher execs; a running extension has it in its command line (node index.js).
const std::string k_index = k_layer + "/otel-extension/index.js";
const std::vector<std::string> k_state_files = {"/tmp/sls-save-log.json",
                                                "/tmp/sent-requests.json"};

const std::string k_uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

// The flags every run passes: the extension, and its local mode without the internal extension.
std::vector<std::string> extension_args() {
    return {"--extension", k_launcher,           "--env", "DO_NOT_WAIT=1",
            "--env",       "AWS_SAM_LOCAL=true", "--env", "DEBUG_SLS_OTEL_LAYER=1"};
}

::testing::AssertionResult layer_installed() {
    std::string why = LAMBDA_EMU_OTEL_MISSING_REASON;
    if (::access(k_launcher.c_str(), X_OK) == 0 && ::access(k_index.c_str(), X_OK) == 0) {
        return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure()
           << "@serverless/aws-lambda-otel-extension-dist@" LAMBDA_EMU_OTEL_EXTENSION_VERSION
              "'s layer is not unpacked at "
           << k_layer
           << (why.empty() ? std::string(" (the otel_extension_layer build step did not run)")
                           : " (" + why + ")")
           << ". CI installs it with npm (.ci/setup.sh): install nodejs, npm and python3, "
              "reconfigure and rebuild.";
}

// The extension exits (uncaught EADDRINUSE) when its ports are taken: say so instead.
::testing::AssertionResult ports_free() {
    for (int port : {4243, 2772}) {
        int fd = connect_tcp("127.0.0.1", port);
        if (fd >= 0) {
            ::close(fd);
            return ::testing::AssertionFailure()
                   << "something listens on 127.0.0.1:" << port
                   << ", a port otel-extension needs (another copy of this test?)";
        }
    }
    return ::testing::AssertionSuccess();
}

void remove_state_files() {
    std::error_code ec;
    for (const auto& f : k_state_files) fs::remove(f, ec);
}

// Each test starts and ends without the extension's state files.
class OtelExtension : public ::testing::Test {
  protected:
    void SetUp() override { remove_state_files(); }
    void TearDown() override { remove_state_files(); }
};

const std::string k_extension_line =
    "EXTENSION\tName: otel-extension\tState: Ready\tEvents: [INVOKE, SHUTDOWN]";
const std::string k_logs_line = "LOGS\tName: otel-extension\tState: Subscribed\tTypes: [Platform]";

// Init as the log shows it: the shipped launcher ran ("<name>  launching extension", its name
// taken from its own file name), then the subscription and the registration, before START.
void check_init(const std::string& err) {
    EXPECT_EQ(count_equal_lines(err, "otel-extension  launching extension"), 1) << err;
    EXPECT_EQ(count_equal_lines(err, k_logs_line), 1) << err;
    EXPECT_EQ(count_equal_lines(err, k_extension_line), 1) << err;
    int logs_at = index_of_line(err, k_logs_line);
    int ready_at = index_of_line(err, k_extension_line);
    int start_at = index_of_line_starting(err, "START RequestId: ");
    EXPECT_LT(logs_at, ready_at) << err;
    EXPECT_LT(ready_at, start_at) << err;
    // No error from its register, next or subscribe calls (it prints them with console.error),
    // and no 202 "Logs API is not supported" warning: lambda-emu answered 200.
    EXPECT_EQ(err.find("register failed"), std::string::npos) << err;
    EXPECT_EQ(err.find("next failed"), std::string::npos) << err;
    EXPECT_EQ(err.find("logs subscription failed"), std::string::npos) << err;
    EXPECT_EQ(err.find("Logs API is not supported"), std::string::npos) << err;
}

// The platform.report records in the extension's last "LOGS:  [[...],...]" line, by request id:
// what it received over the Logs API.
std::vector<json> received_reports(const std::string& err) {
    std::vector<json> out;
    std::string last;
    for (const auto& line : lines_starting(err, "LOGS:  ")) last = line.substr(7);
    json queue = json::parse(last, nullptr, /*allow_exceptions=*/false);
    EXPECT_TRUE(queue.is_array()) << "no LOGS: line with a JSON queue in:\n" << err;
    if (!queue.is_array()) return out;
    for (const auto& batch : queue) {
        for (const auto& record : batch) {
            if (record.value("type", "") == "platform.report") out.push_back(record);
        }
    }
    return out;
}

// The platform.report for `id` (schema 2021-03-18): time, status success, the REPORT's metrics.
void check_report_received(const std::vector<json>& reports, const std::string& id, bool with_init,
                           const std::string& err) {
    auto it = std::find_if(reports.begin(), reports.end(), [&](const json& r) {
        return r.contains("record") && r["record"].value("requestId", "") == id;
    });
    ASSERT_NE(it, reports.end()) << "no platform.report for " << id << " in:\n" << err;
    const json& r = *it;
    EXPECT_TRUE(std::regex_match(r.value("time", ""),
                                 std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
        << r.dump();
    const json& record = r["record"];
    EXPECT_EQ(record.value("status", ""), "success") << r.dump();
    ASSERT_TRUE(record.contains("metrics") && record["metrics"].is_object()) << r.dump();
    const json& m = record["metrics"];
    EXPECT_TRUE(m.contains("durationMs") && m["durationMs"].is_number()) << r.dump();
    EXPECT_TRUE(m.contains("billedDurationMs") && m["billedDurationMs"].is_number()) << r.dump();
    EXPECT_EQ(m.value("memorySizeMB", 0), 128) << r.dump();
    EXPECT_TRUE(m.contains("maxMemoryUsedMB") && m["maxMemoryUsedMB"].is_number()) << r.dump();
    EXPECT_EQ(m.contains("initDurationMs"), with_init) << r.dump();
}

// The REPORT lines' request ids, in order.
std::vector<std::string> report_ids(const std::string& err) {
    std::vector<std::string> ids;
    std::regex re("^REPORT RequestId: (" + k_uuid + ")\t.*$");
    for (const auto& line : lines_starting(err, "REPORT ")) {
        std::smatch m;
        if (std::regex_match(line, m, re)) ids.push_back(m[1]);
    }
    return ids;
}

// The extension was sent SHUTDOWN and started waiting for its last batch of logs.
void check_shutdown_seen(const std::string& err) {
    EXPECT_EQ(count_equal_lines(err, "Processing event:  SHUTDOWN"), 1) << err;
    EXPECT_NE(index_of_line_starting(err, "Checking log length..."), -1) << err;
}

TEST_F(OtelExtension, InvokeRegistersSubscribesGetsReportAndIsGoneAfterShutdown) {
    ASSERT_TRUE(layer_installed());
    ASSERT_TRUE(ports_free());
    std::vector<std::string> argv = {lambda_emu_bin(), "invoke"};
    auto args = extension_args();
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--payload", R"({"otel":"x"})", cpp_bootstrap()});
    auto r = run_command(argv, "", 30s);
    ASSERT_FALSE(r.timed_out) << r.err;
    EXPECT_EQ(r.exit_code, 0) << r.err;
    // The handler's answer: the C++ example echoes an event without an "action".
    EXPECT_EQ(r.out, "{\"otel\":\"x\"}\n") << r.err;

    check_init(r.err);
    auto ids = report_ids(r.err);
    ASSERT_EQ(ids.size(), 1u) << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "Processing event:  INVOKE"), 1) << r.err;
    // What the Logs API delivered to it: the invocation's platform.report, Init Duration included.
    check_report_received(received_reports(r.err), ids[0], /*with_init=*/true, r.err);

    // SHUTDOWN reached it; it is ended by lambda-emu's 2000 ms deadline (see the top), so
    // lambda-emu is done within a few seconds of Init (the node start, under a second)...
    check_shutdown_seen(r.err);
    EXPECT_LT(r.wall_ms, 10000) << r.err;
    // ...and no process of the extension is left.
    EXPECT_EQ(count_processes_with(k_index), 0);
}

struct Reply {
    int status = 0;
    std::string body;
    std::string request_id;
};

Reply invoke_fn(int port, const std::string& payload) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(30s);
    auto res = client.Post("/2015-03-31/functions/otel/invocations", payload, "application/json");
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.body = res->body;
    r.request_id = res->get_header_value("X-Amzn-RequestId");
    return r;
}

TEST_F(OtelExtension, ServeTwoInvocationsThenShutdownOnSigterm) {
    ASSERT_TRUE(layer_installed());
    ASSERT_TRUE(ports_free());
    auto args = extension_args();
    std::vector<std::string> serve_args = {"--function-name", "otel"};
    serve_args.insert(serve_args.end(), args.begin(), args.end());
    serve_args.push_back(cpp_bootstrap());
    Server server = start_serve(serve_args);
    ASSERT_GT(server.port, 0) << server.process->err();

    std::vector<std::string> ids;
    for (int i = 0; i < 2; ++i) {
        std::string payload = R"({"n":)" + std::to_string(i) + "}";
        Reply r = invoke_fn(server.port, payload);
        EXPECT_EQ(r.status, 200) << server.process->err();
        EXPECT_EQ(r.body, payload);
        ASSERT_FALSE(r.request_id.empty()) << server.process->err();
        ids.push_back(r.request_id);
        // The invocation ends when the extension is back on event/next.
        EXPECT_TRUE(
            server.process->wait_for(std::regex("^REPORT RequestId: " + r.request_id + "\t"))
                .has_value())
            << server.process->err();
    }
    // Each invocation's platform.report reaches the extension within its 25 ms buffering.
    EXPECT_TRUE(
        server.process->wait_for(std::regex("^LOGS:  .*\"requestId\":\"" + ids[1] + "\".*$"), 10s)
            .has_value())
        << server.process->err();

    int code = server.process->stop(SIGTERM, 15s);
    std::string err = server.process->err();
    EXPECT_EQ(code, 0) << err;
    check_init(err);
    EXPECT_EQ(report_ids(err), ids) << err;
    EXPECT_EQ(count_equal_lines(err, "Processing event:  INVOKE"), 2) << err;
    auto reports = received_reports(err);
    check_report_received(reports, ids[0], /*with_init=*/true, err);
    check_report_received(reports, ids[1], /*with_init=*/false, err);
    check_shutdown_seen(err);
    EXPECT_EQ(count_processes_with(k_index), 0);
}

}  // namespace

}  // namespace lambda_emu::testing
