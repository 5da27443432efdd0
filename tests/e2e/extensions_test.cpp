// External extensions (Extensions API 2020-01-01) and Telemetry API subscriptions, end to end:
// real extension processes (the examples in examples/extensions/ and the tiny test extensions in
// tests/e2e/extensions/) beside real runtimes, under `lambda-emu invoke` and `lambda-emu serve`.
// What they check: the EXTENSION and TELEMETRY lines, INVOKE per invocation, the SHUTDOWN
// reasons, an extension that ignores SHUTDOWN, telemetry records over HTTP and TCP, and the
// failures an extension causes, as the service (and AWS's emulator) behave.
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e/background_process.h"
#include "e2e/report_lines.h"
#include "e2e/run_command.h"
#include "e2e/temp_dir.h"

namespace lambda_emu::testing {

namespace extensions_e2e {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Json = nlohmann::json;

constexpr const char* k_hello_extension_line =
    "EXTENSION\tName: hello-extension\tState: Ready\tEvents: [INVOKE, SHUTDOWN]";

std::string hello_extension() {
    return source_path("examples/extensions/bash/extensions/hello-extension");
}
// One of the test extensions of tests/e2e/extensions/.
std::string test_extension(const std::string& name) {
    return source_path("tests/e2e/extensions/" + name);
}

// A function directory: `bootstrap` (a symlink to a runtime, the C++ example by default) and
// `extensions/`, holding symlinks to the given extensions under their own file names.
class FunctionDir {
  public:
    explicit FunctionDir(const std::vector<std::string>& extensions,
                         const std::string& bootstrap = cpp_bootstrap())
        : m_dir("lambda-emu-ext") {
        fs::create_symlink(bootstrap, m_dir.path("bootstrap"));
        fs::create_directories(m_dir.root() / "extensions");
        for (const auto& e : extensions) {
            fs::create_symlink(e, m_dir.root() / "extensions" / fs::path(e).filename());
        }
    }
    std::string dir() const { return m_dir.root().string(); }
    std::string path(const std::string& name) const { return m_dir.path(name); }
    // Extension processes of this directory still running (bash shows the script's path).
    int running_extensions() const {
        return count_processes_with((m_dir.root() / "extensions").string());
    }

  private:
    TempDir m_dir;
};

struct Reply {
    int status = 0;
    std::string body;
    std::string function_error;
    std::string request_id;
};

// One invocation through serve's Invoke API.
Reply invoke_fn(int port, const std::string& payload, const std::string& name) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60s);
    auto res = client.Post(("/2015-03-31/functions/" + name + "/invocations").c_str(), payload,
                           "application/json");
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.body = res->body;
    r.function_error = res->get_header_value("X-Amz-Function-Error");
    r.request_id = res->get_header_value("X-Amzn-RequestId");
    return r;
}

// Polls `done` every 50 ms for `limit` at most; its last value.
template <typename F>
bool eventually(F done, std::chrono::milliseconds limit = 20s) {
    for (auto until = std::chrono::steady_clock::now() + limit;
         std::chrono::steady_clock::now() < until;) {
        if (done()) return true;
        std::this_thread::sleep_for(50ms);
    }
    return done();
}

// The body invoke prints for a failure of the platform (an extension, the runtime's exit).
std::string failure_body(const std::string& type, const std::string& id, const std::string& what) {
    return R"({"errorType":")" + type + R"(","errorMessage":"RequestId: )" + id +
           " Error: " + what + "\"}\n";
}

// --- 1. registration and the text log -----------------------------------------------------

TEST(Extensions, HelloExtensionRegistersAndSeesInvokeAndShutdown) {
    auto r = invoke(
        {"--event", source_path("fixtures/apigw.json"), source_path("examples/extensions/bash")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    const std::string& id = rs[0].request_id;
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_EQ(rs[0].status, "");

    int extension = index_of_line(r.err, k_hello_extension_line);
    int start = index_of_line(r.err, "START RequestId: " + id + " Version: $LATEST");
    int invoke_line = index_of_line(r.err, "[hello-extension] INVOKE " + id);
    int end = index_of_line(r.err, "END RequestId: " + id);
    int shutdown = index_of_line(r.err, "[hello-extension] SHUTDOWN spindown");
    EXPECT_EQ(count_equal_lines(r.err, k_hello_extension_line), 1) << r.err;
    EXPECT_GE(extension, 0) << r.err;
    EXPECT_LT(extension, start) << "EXTENSION is written during Init\n" << r.err;
    EXPECT_GT(invoke_line, start) << r.err;
    EXPECT_LT(invoke_line, end) << "INVOKE belongs to the invocation\n" << r.err;
    EXPECT_GT(shutdown, end) << r.err;
    EXPECT_EQ(shutdown, static_cast<int>(lines_of(r.err).size()) - 1)
        << "SHUTDOWN comes at the very end\n"
        << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "[hello-extension] registered"), 1);
    EXPECT_EQ(
        r.out,
        R"({"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"status\":\"ok\"}","isBase64Encoded":false})"
        "\n");
}

// --extension PATH adds an extension to a function given as a bootstrap file.
TEST(Extensions, ExtensionOptionAddsOne) {
    auto r = invoke(
        {"--extension", hello_extension(), "--payload", R"({"action":"echo"})", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    EXPECT_EQ(count_equal_lines(r.err, k_hello_extension_line), 1) << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "[hello-extension] INVOKE " + rs[0].request_id), 1) << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "[hello-extension] SHUTDOWN spindown"), 1) << r.err;
    EXPECT_EQ(r.out, "{\"action\":\"echo\"}\n");
}

// --- 2. INVOKE per invocation ---------------------------------------------------------------

TEST(Extensions, EveryInvocationOfAWarmEnvironmentSendsInvoke) {
    Server server =
        start_serve({"--function-name", "hello", source_path("examples/extensions/bash")});
    ASSERT_GT(server.port, 0) << server.process->err();
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        Reply r = invoke_fn(server.port, R"({"n":)" + std::to_string(i) + "}", "hello");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body, R"({"n":)" + std::to_string(i) + "}");
        EXPECT_EQ(r.function_error, "");
        ASSERT_FALSE(r.request_id.empty());
        ids.push_back(r.request_id);
        // The invocation ends when the extension is back on event/next: its line is written.
        EXPECT_TRUE(
            server.process->wait_for(std::regex("^REPORT RequestId: " + r.request_id + "\t"))
                .has_value())
            << server.process->err();
    }
    std::string err = server.process->err();
    for (const auto& id : ids) {
        EXPECT_EQ(count_equal_lines(err, "[hello-extension] INVOKE " + id), 1) << err;
    }
    EXPECT_EQ(lines_starting(err, "[hello-extension] INVOKE ").size(), 3u) << err;
    EXPECT_EQ(count_equal_lines(err, k_hello_extension_line), 1) << "one environment, warm\n"
                                                                 << err;
    EXPECT_EQ(lines_starting(err, "INIT_START ").size(), 1u) << err;
    EXPECT_EQ(lines_starting(err, "[hello-extension] registered").size(), 1u) << err;
    EXPECT_EQ(server.process->stop(SIGTERM), 0) << server.process->err();
}

// --- 3. SHUTDOWN reasons --------------------------------------------------------------------

TEST(Extensions, IdleSpinDownSendsShutdownSpindown) {
    FunctionDir fn({hello_extension()});
    Server server = start_serve({"--function-name", "idle", "--idle-timeout", "1", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, "{}", "idle");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{}");
    // Spun down after 1 s idle, while serve keeps running.
    EXPECT_TRUE(
        server.process->wait_for(std::regex("^\\[hello-extension\\] SHUTDOWN (.*)$")).has_value())
        << server.process->err();
    EXPECT_EQ(count_equal_lines(server.process->err(), "[hello-extension] SHUTDOWN spindown"), 1)
        << server.process->err();
    EXPECT_TRUE(eventually([&] { return fn.running_extensions() == 0; }))
        << "the extension exits on SHUTDOWN";
    EXPECT_EQ(server.process->stop(SIGTERM), 0) << server.process->err();
}

TEST(Extensions, TimeoutSendsShutdownTimeout) {
    FunctionDir fn({hello_extension()});
    auto r = invoke({"--timeout", "1", "--payload", R"({"action":"sleep","ms":5000})", fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    const std::string& id = rs[0].request_id;
    EXPECT_EQ(r.out, failure_body("Sandbox.Timedout", id, "Task timed out after 1.00 seconds"));
    EXPECT_EQ(rs[0].status, "Status: timeout\t");
    EXPECT_EQ(count_equal_lines(r.err, "[hello-extension] INVOKE " + id), 1) << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "[hello-extension] SHUTDOWN timeout"), 1) << r.err;
    EXPECT_EQ(lines_starting(r.err, "[hello-extension] SHUTDOWN ").size(), 1u) << r.err;
    EXPECT_EQ(fn.running_extensions(), 0);
}

TEST(Extensions, RuntimeCrashSendsShutdownFailure) {
    FunctionDir fn({hello_extension()});
    auto r = invoke({"--payload", R"({"action":"crash"})", fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    const std::string& id = rs[0].request_id;
    EXPECT_EQ(r.out,
              failure_body("Runtime.ExitError", id, "Runtime exited with error: exit status 1"));
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Runtime.ExitError\t");
    EXPECT_EQ(count_equal_lines(r.err, "[hello-extension] SHUTDOWN failure"), 1) << r.err;
    EXPECT_EQ(lines_starting(r.err, "[hello-extension] SHUTDOWN ").size(), 1u) << r.err;
    EXPECT_EQ(fn.running_extensions(), 0);
}

// An extension that ignores SHUTDOWN (and SIGTERM) is killed at the shutdown deadline (2 s);
// serve goes on serving.
TEST(Extensions, AnExtensionIgnoringShutdownIsKilled) {
    FunctionDir fn({test_extension("ignore-shutdown")});
    Server server = start_serve({"--function-name", "stubborn", "--idle-timeout", "1", fn.dir()});
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, "{}", "stubborn");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "{}");
    ASSERT_TRUE(
        server.process->wait_for(std::regex("^\\[ignore-shutdown\\] SHUTDOWN spindown: staying$"))
            .has_value())
        << server.process->err();
    auto asked = std::chrono::steady_clock::now();
    EXPECT_TRUE(eventually([&] { return fn.running_extensions() == 0; }))
        << "the extension is still running\n"
        << server.process->err();
    // The grace is 2 s; only a generous bound is asserted (the test machine may be loaded).
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 20s);

    Reply next = invoke_fn(server.port, R"({"again":1})", "stubborn");
    EXPECT_EQ(next.status, 200) << server.process->err();
    EXPECT_EQ(next.body, R"({"again":1})");
    EXPECT_EQ(lines_starting(server.process->err(), "INIT_START ").size(), 2u)
        << "a new environment\n"
        << server.process->err();
    EXPECT_EQ(server.process->stop(SIGTERM), 0) << server.process->err();
    EXPECT_EQ(fn.running_extensions(), 0);
}

// --- 4. telemetry ---------------------------------------------------------------------------

std::vector<Json> parse_ndjson(const std::string& text) {
    std::vector<Json> out;
    for (const auto& line : lines_of(text)) {
        if (line.empty()) continue;
        Json j = Json::parse(line, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << line;
        if (!j.is_discarded()) out.push_back(std::move(j));
    }
    return out;
}

std::vector<Json> of_type(const std::vector<Json>& records, const std::string& type) {
    std::vector<Json> out;
    for (const auto& r : records) {
        if (r.value("type", "") == type) out.push_back(r);
    }
    return out;
}

// What every run of the log-forwarder beside the C++ example delivers for one cold invocation.
void expect_forwarded_records(const std::vector<Json>& records, const std::string& id) {
    std::set<std::string> types;
    for (const auto& r : records) {
        EXPECT_TRUE(r.contains("time") && r["time"].is_string()) << r.dump();
        types.insert(r.value("type", ""));
    }
    for (const char* t :
         {"platform.initStart", "platform.telemetrySubscription", "platform.extension",
          "platform.initRuntimeDone", "platform.initReport", "platform.start",
          "platform.runtimeDone", "platform.report", "function"}) {
        EXPECT_TRUE(types.count(t)) << "no " << t << " record";
    }
    EXPECT_FALSE(types.count("extension")) << "the log-forwarder does not subscribe to them";

    auto subscription = of_type(records, "platform.telemetrySubscription");
    ASSERT_EQ(subscription.size(), 1u);
    EXPECT_EQ(
        subscription[0]["record"],
        Json::parse(
            R"({"name":"log-forwarder","state":"Subscribed","types":["platform","function"]})"));
    auto extension = of_type(records, "platform.extension");
    ASSERT_EQ(extension.size(), 1u);
    EXPECT_EQ(
        extension[0]["record"],
        Json::parse(R"({"name":"log-forwarder","state":"Ready","events":["INVOKE","SHUTDOWN"]})"));
    auto init_start = of_type(records, "platform.initStart");
    ASSERT_EQ(init_start.size(), 1u);
    EXPECT_EQ(init_start[0]["record"].value("initializationType", ""), "on-demand");
    EXPECT_EQ(init_start[0]["record"].value("phase", ""), "init");
    auto init_report = of_type(records, "platform.initReport");
    ASSERT_EQ(init_report.size(), 1u);
    EXPECT_EQ(init_report[0]["record"].value("status", ""), "success");

    auto start = of_type(records, "platform.start");
    ASSERT_EQ(start.size(), 1u);
    EXPECT_EQ(start[0]["record"].value("requestId", ""), id);
    auto done = of_type(records, "platform.runtimeDone");
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0]["record"].value("requestId", ""), id);
    EXPECT_EQ(done[0]["record"].value("status", ""), "success");

    auto report = of_type(records, "platform.report");
    ASSERT_EQ(report.size(), 1u);
    const Json& rec = report[0]["record"];
    EXPECT_EQ(rec.value("requestId", ""), id);
    EXPECT_EQ(rec.value("status", ""), "success");
    ASSERT_TRUE(rec.contains("metrics")) << rec.dump();
    const Json& m = rec["metrics"];
    EXPECT_TRUE(m.contains("durationMs") && m["durationMs"].is_number()) << m.dump();
    EXPECT_TRUE(m.contains("billedDurationMs") && m["billedDurationMs"].is_number_integer())
        << m.dump();
    EXPECT_EQ(m.value("memorySizeMB", 0), 128) << m.dump();
    EXPECT_TRUE(m.contains("maxMemoryUsedMB") && m["maxMemoryUsedMB"].is_number_integer())
        << m.dump();
    EXPECT_TRUE(m.contains("initDurationMs") && m["initDurationMs"].is_number()) << "a cold start\n"
                                                                                 << m.dump();

    std::vector<std::string> function_lines;
    for (const auto& r : of_type(records, "function")) {
        if (r["record"].is_string()) function_lines.push_back(r["record"]);
    }
    auto has = [&](const std::string& line) {
        return std::find(function_lines.begin(), function_lines.end(), line) !=
               function_lines.end();
    };
    EXPECT_TRUE(has("init cpp"));
    EXPECT_TRUE(has("handling " + id));
    // The last invocation's report comes last: the forwarder waits for it before exiting.
    EXPECT_EQ(records.back().value("type", ""), "platform.report");
}

class ExtensionsTelemetry : public ::testing::TestWithParam<std::string> {};

TEST_P(ExtensionsTelemetry, LogForwarderReceivesTheRecords) {
    TempDir tmp("lambda-emu-ext-telemetry");
    std::string file = tmp.path("records.ndjson");
    std::vector<std::string> args = {"--env", "LOG_FORWARDER_FILE=" + file};
    if (GetParam() == "TCP") args.insert(args.end(), {"--env", "LOG_FORWARDER_PROTOCOL=TCP"});
    args.insert(args.end(), {"--event", source_path("fixtures/apigw.json"),
                             build_path("examples/extensions/function")});
    auto r = invoke(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    EXPECT_EQ(count_equal_lines(r.err,
                                "TELEMETRY\tName: log-forwarder\tState: Subscribed\tTypes: "
                                "[Platform, Function]"),
              1)
        << r.err;
    EXPECT_EQ(count_equal_lines(r.err,
                                "EXTENSION\tName: log-forwarder\tState: Ready\tEvents: [INVOKE, "
                                "SHUTDOWN]"),
              1)
        << r.err;
    EXPECT_LT(index_of_line_starting(r.err, "TELEMETRY\t"),
              index_of_line_starting(r.err, "EXTENSION\t"));
    EXPECT_LT(index_of_line_starting(r.err, "EXTENSION\t"),
              index_of_line_starting(r.err, "START RequestId: "));
    auto records = parse_ndjson(tmp.read("records.ndjson"));
    ASSERT_FALSE(records.empty()) << r.err;
    expect_forwarded_records(records, rs[0].request_id);
}

INSTANTIATE_TEST_SUITE_P(Protocols, ExtensionsTelemetry, ::testing::Values("HTTP", "TCP"),
                         [](const auto& info) { return info.param; });

// The test itself is the subscriber: its HTTP server on 127.0.0.1 receives the POSTed arrays.
class TelemetrySink {
  public:
    TelemetrySink() {
        m_server.Post("/", [this](const httplib::Request& req, httplib::Response& res) {
            Json batch = Json::parse(req.body, nullptr, false);
            std::lock_guard lock(m_mutex);
            if (!batch.is_array()) {
                ++m_malformed;
                res.status = 400;
                return;
            }
            for (auto& r : batch) m_records.push_back(std::move(r));
            res.status = 200;
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~TelemetrySink() {
        // stop() does nothing before the accept loop runs: give it that chance first.
        eventually([this] { return m_server.is_running(); }, 5s);
        m_server.stop();
        m_thread.join();
    }
    int port() const { return m_port; }
    std::vector<Json> records() {
        std::lock_guard lock(m_mutex);
        return m_records;
    }
    int malformed() {
        std::lock_guard lock(m_mutex);
        return m_malformed;
    }

  private:
    httplib::Server m_server;
    int m_port = -1;
    std::thread m_thread;
    std::mutex m_mutex;
    std::vector<Json> m_records;
    int m_malformed = 0;
};

TEST(Extensions, TelemetryReachesTheTestsOwnSubscriber) {
    TelemetrySink sink;
    ASSERT_GT(sink.port(), 0);
    auto r = invoke({"--env", "TEST_TELEMETRY_PORT=" + std::to_string(sink.port()), "--extension",
                     test_extension("telemetry-subscriber"), "--payload", R"({"action":"echo"})",
                     cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    const std::string& id = rs[0].request_id;
    EXPECT_EQ(count_equal_lines(r.err, "[telemetry-subscriber] subscribed 200"), 1) << r.err;
    EXPECT_EQ(count_equal_lines(r.err,
                                "TELEMETRY\tName: telemetry-subscriber\tState: Subscribed\tTypes: "
                                "[Platform, Function, Extension]"),
              1)
        << r.err;

    // Records after the report may still be on their way when invoke exits: wait for the report.
    auto report_of = [&] {
        for (const auto& rec : of_type(sink.records(), "platform.report")) {
            if (rec["record"].value("requestId", "") == id) return rec;
        }
        return Json();
    };
    ASSERT_TRUE(eventually([&] { return !report_of().is_null(); })) << r.err;
    EXPECT_EQ(sink.malformed(), 0);
    auto records = sink.records();

    std::vector<std::string> extension_lines, function_lines;
    for (const auto& rec : of_type(records, "extension")) {
        if (rec["record"].is_string()) extension_lines.push_back(rec["record"]);
    }
    for (const auto& rec : of_type(records, "function")) {
        if (rec["record"].is_string()) function_lines.push_back(rec["record"]);
    }
    auto contains = [](const std::vector<std::string>& v, const std::string& s) {
        return std::find(v.begin(), v.end(), s) != v.end();
    };
    EXPECT_TRUE(contains(extension_lines, "[telemetry-subscriber] INVOKE"))
        << "extension records: " << ::testing::PrintToString(extension_lines);
    EXPECT_TRUE(contains(function_lines, "handling " + id))
        << "function records: " << ::testing::PrintToString(function_lines);
    EXPECT_FALSE(contains(extension_lines, "handling " + id)) << "the runtime's line is function";

    auto subscription = of_type(records, "platform.telemetrySubscription");
    ASSERT_EQ(subscription.size(), 1u);
    EXPECT_EQ(subscription[0]["record"],
              Json::parse(R"({"name":"telemetry-subscriber","state":"Subscribed",)"
                          R"("types":["platform","function","extension"]})"));

    Json report = report_of()["record"];
    EXPECT_EQ(report.value("status", ""), "success");
    ASSERT_TRUE(report.contains("spans") && report["spans"].is_array()) << report.dump();
    ASSERT_EQ(report["spans"].size(), 1u) << report.dump();
    const Json& span = report["spans"][0];
    EXPECT_EQ(span.value("name", ""), "extensionOverhead") << report.dump();
    EXPECT_TRUE(span.contains("start") && span["start"].is_string()) << report.dump();
    EXPECT_TRUE(span.contains("durationMs") && span["durationMs"].is_number()) << report.dump();
    EXPECT_GE(span.value("durationMs", -1.0), 0.0) << report.dump();
}

// --- 5. failures ----------------------------------------------------------------------------

TEST(Extensions, ExitBeforeRegisteringIsExtensionCrash) {
    FunctionDir fn({test_extension("exit-before-register")});
    auto r = invoke({"--payload", "{}", fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    EXPECT_EQ(r.out, failure_body("Extension.Crash", rs[0].request_id, "exit status 1"));
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Extension.Crash\t");
    auto init_reports = lines_starting(r.err, "INIT_REPORT ");
    ASSERT_FALSE(init_reports.empty()) << r.err;
    std::regex shape(
        R"(^INIT_REPORT Init Duration: \d+\.\d{2} ms\tPhase: (init|invoke)\tStatus: error\tError Type: Extension\.Crash$)");
    for (const auto& line : init_reports) EXPECT_TRUE(std::regex_match(line, shape)) << line;
    EXPECT_EQ(lines_starting(r.err, "EXTENSION\t").size(), 0u) << "it never registered\n" << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "init cpp"), 0) << "the runtime is never started\n" << r.err;
    EXPECT_EQ(fn.running_extensions(), 0);
}

TEST(Extensions, InitErrorReportedByAnExtensionIsExtensionInitError) {
    FunctionDir fn({test_extension("init-error")});
    auto r = invoke({"--payload", "{}", fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    Json body = Json::parse(r.out, nullptr, false);
    ASSERT_TRUE(body.is_object()) << r.out;
    EXPECT_EQ(body.value("errorType", ""), "Extension.InitError") << r.out;
    EXPECT_EQ(rs[0].status, "Status: error\tError Type: Extension.InitError\t");
    const std::string line =
        "EXTENSION\tName: init-error\tState: InitError\tEvents: [INVOKE, SHUTDOWN]\tError Type: "
        "Extension.ConfigInvalid";
    EXPECT_GE(count_equal_lines(r.err, line), 1) << r.err;
    auto init_reports = lines_starting(r.err, "INIT_REPORT ");
    ASSERT_FALSE(init_reports.empty()) << r.err;
    for (const auto& l : init_reports) {
        EXPECT_TRUE(l.ends_with("\tStatus: error\tError Type: Extension.InitError")) << l;
    }
    EXPECT_LT(index_of_line(r.err, line), index_of_line_starting(r.err, "INIT_REPORT "))
        << "EXTENSION comes before INIT_REPORT\n"
        << r.err;
    EXPECT_EQ(fn.running_extensions(), 0);
}

// An extension that exits when it receives INVOKE fails that invocation with Extension.Crash;
// the next invocation gets a fresh environment. `payload` is the handler's work: a slow one
// (the crash comes before the runtime's answer) and a fast one (it comes after the answer but
// before the invocation ends, which needs every extension back on event/next).
void expect_crash_during_invoke(const std::string& payload) {
    FunctionDir fn({test_extension("crash-on-invoke")});
    auto r = invoke({"--count", "2", "--payload", payload, fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 2u) << r.err;
    auto out = lines_of(r.out);
    ASSERT_EQ(out.size(), 2u) << r.out;
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(out[i] + "\n", failure_body("Extension.Crash", rs[i].request_id, "exit status 1"))
            << r.err;
        EXPECT_EQ(rs[i].status, "Status: error\tError Type: Extension.Crash\t") << r.err;
    }
    EXPECT_EQ(lines_starting(r.err, "INIT_START ").size(), 2u) << "a fresh environment\n" << r.err;
    EXPECT_EQ(lines_starting(r.err, "[crash-on-invoke] crashing").size(), 2u) << r.err;
    EXPECT_EQ(fn.running_extensions(), 0);
}

TEST(Extensions, CrashDuringASlowInvocationIsExtensionCrash) {
    expect_crash_during_invoke(R"({"action":"sleep","ms":1000})");
}

// The runtime answers before the extension's exit is seen: the invocation still ends with the
// extension's crash (the service may have returned the runtime's answer already; the REPORT and
// the outcome record the failure).
TEST(Extensions, CrashDuringAFastInvocationIsExtensionCrash) {
    expect_crash_during_invoke(R"({"action":"echo"})");
}

TEST(Extensions, InitDurationIncludesASlowExtension) {
    FunctionDir fn({test_extension("slow-init")});
    auto r = invoke({"--payload", R"({"action":"echo"})", fn.dir()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u) << r.err;
    ASSERT_TRUE(rs[0].has_init) << r.err;
    EXPECT_GE(rs[0].init_ms, 300.0) << "the extension sleeps 300 ms before its first next";
    EXPECT_EQ(count_equal_lines(r.err,
                                "EXTENSION\tName: slow-init\tState: Ready\tEvents: [INVOKE, "
                                "SHUTDOWN]"),
              1)
        << r.err;
    EXPECT_EQ(r.out, "{\"action\":\"echo\"}\n");
}

// An extension gets the function's variables, the user's included, but not those the service
// withholds from extensions.
TEST(Extensions, AnExtensionGetsTheFunctionsVariablesButNotTheWithheldOnes) {
    FunctionDir fn({test_extension("print-env")});
    auto r = invoke({"--env", "TEST_VAR=seen", "--payload", "{}", fn.dir()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto seen = lines_starting(r.err, "[print-env] ");
    auto has = [&](const std::string& key) {
        return std::any_of(seen.begin(), seen.end(), [&](const std::string& l) {
            return l.rfind("[print-env] " + key + "=", 0) == 0;
        });
    };
    EXPECT_TRUE(has("AWS_LAMBDA_RUNTIME_API")) << r.err;
    EXPECT_TRUE(has("AWS_LAMBDA_FUNCTION_NAME")) << r.err;
    EXPECT_TRUE(has("AWS_REGION")) << r.err;
    EXPECT_EQ(count_equal_lines(r.err, "[print-env] TEST_VAR=seen"), 1) << r.err;
    for (const char* withheld :
         {"_HANDLER", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", "AWS_LAMBDA_LOG_GROUP_NAME",
          "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_XRAY_DAEMON_ADDRESS"}) {
        EXPECT_FALSE(has(withheld)) << withheld << "\n" << r.err;
    }
}

// exit/error during an invocation: 202 to the extension, and the invocation fails with the
// fixed type Extension.ExitError (not the type the extension posted), the next one in a fresh
// environment.
TEST(Extensions, ExitErrorDuringAnInvocationIsExtensionExitError) {
    FunctionDir fn({test_extension("exit-error-on-invoke")});
    auto r = invoke({"--count", "2", "--payload", R"({"action":"sleep","ms":500})", fn.dir()});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 2u) << r.err;
    auto out = lines_of(r.out);
    ASSERT_EQ(out.size(), 2u) << r.out;
    for (int i = 0; i < 2; ++i) {
        EXPECT_EQ(out[i] + "\n", failure_body("Extension.ExitError", rs[i].request_id,
                                              "exit-error-on-invoke reported Extension.Broken"))
            << r.err;
        EXPECT_EQ(rs[i].status, "Status: error\tError Type: Extension.ExitError\t") << r.err;
    }
    EXPECT_EQ(count_equal_lines(r.err, "[exit-error-on-invoke] exit/error: 202"), 2) << r.err;
    EXPECT_EQ(lines_starting(r.err, "INIT_START ").size(), 2u) << r.err;
}

// --- internal extensions -------------------------------------------------------------------

// A runtime that registers an extension from its own process: it gets an EXTENSION line, Init
// waits for it, it may not ask for SHUTDOWN, and registration closes with Init.
TEST(Extensions, AnInternalExtensionRegistersFromTheRuntimeUntilInitEnds) {
    FunctionDir fn({}, test_extension("internal-extension-runtime"));
    auto r = invoke({"--count", "2", "--payload", R"({"n":1})", fn.dir()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"n\":1}\n{\"n\":1}\n");
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 2u) << r.err;
    EXPECT_EQ(
        count_equal_lines(r.err, "EXTENSION\tName: internal-ext\tState: Ready\tEvents: [INVOKE]"),
        1)
        << r.err;
    EXPECT_EQ(count_equal_lines(r.err,
                                "refused: 403 "
                                R"({"errorMessage":"SHUTDOWN: )"
                                R"(ShutdownEventNotSupportedForInternalExtension",)"
                                R"("errorType":"Extension.InvalidEventType"})"),
              1)
        << r.err;
    EXPECT_EQ(count_equal_lines(r.err,
                                "refused: 403 "
                                R"({"errorMessage":"Extension registration closed already",)"
                                R"("errorType":"Extension.RegistrationClosed"})"),
              2)
        << r.err;
    EXPECT_TRUE(rs[0].has_init);
    EXPECT_FALSE(rs[1].has_init) << "one environment, kept warm";
}

}  // namespace extensions_e2e

}  // namespace lambda_emu::testing
