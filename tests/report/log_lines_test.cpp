#include "report/log_lines.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace lambda_emu::report {

namespace {

using model::OutcomeKind;

// 2024-05-20T16:29:44.833Z
const util::SystemTime k_time{std::chrono::milliseconds(1716222584833)};
const std::string k_time_text = "2024-05-20T16:29:44.833Z";
const std::string k_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

model::Metrics metrics(double duration, std::int64_t billed, int memory, int used,
                       std::optional<double> init = std::nullopt) {
    model::Metrics m;
    m.duration_ms = duration;
    m.billed_duration_ms = billed;
    m.memory_size_mb = memory;
    m.max_memory_used_mb = used;
    m.init_duration_ms = init;
    return m;
}

model::ReportEvent report(OutcomeKind kind, std::string error_type, model::Metrics m,
                          const std::string& id = "id") {
    model::ReportEvent e;
    e.time = k_time;
    e.request_id = id;
    e.kind = kind;
    e.error_type = std::move(error_type);
    e.metrics = m;
    return e;
}

model::InitReportEvent init_report(model::InitPhase phase, std::string status,
                                   std::string error_type, double duration) {
    model::InitReportEvent e;
    e.time = k_time;
    e.phase = phase;
    e.initialization_type = "on-demand";
    e.status = std::move(status);
    e.error_type = std::move(error_type);
    e.duration_ms = duration;
    return e;
}

model::FunctionLineEvent function_line(std::string text, std::string id = "id") {
    model::FunctionLineEvent e;
    e.time = k_time;
    e.request_id = std::move(id);
    e.text = std::move(text);
    return e;
}

}  // namespace

// ---- text ----

TEST(FormatText, Start) {
    model::StartEvent e;
    e.time = k_time;
    e.request_id = "id";
    e.version = "$LATEST";
    EXPECT_EQ(format_text(e), "START RequestId: id Version: $LATEST");
    e.version = "7";
    e.request_id = k_id;
    EXPECT_EQ(format_text(e), "START RequestId: " + k_id + " Version: 7");
}

TEST(FormatText, End) {
    model::EndEvent e;
    e.time = k_time;
    e.request_id = k_id;
    EXPECT_EQ(format_text(e), "END RequestId: " + k_id);
}

TEST(FormatText, ReportWarm) {
    EXPECT_EQ(format_text(report(OutcomeKind::success, "", metrics(12.34, 13, 128, 67))),
              "REPORT RequestId: id\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 "
              "MB\tMax Memory Used: 67 MB\t");
}

TEST(FormatText, ReportCold) {
    EXPECT_EQ(format_text(report(OutcomeKind::success, "", metrics(12.34, 187, 128, 67, 174.06))),
              "REPORT RequestId: id\tDuration: 12.34 ms\tBilled Duration: 187 ms\tMemory Size: 128 "
              "MB\tMax Memory Used: 67 MB\tInit Duration: 174.06 ms\t");
}

TEST(FormatText, ReportTimeout) {
    EXPECT_EQ(format_text(
                  report(OutcomeKind::timeout, "Sandbox.Timedout", metrics(3000.0, 3000, 512, 24))),
              "REPORT RequestId: id\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: "
              "512 MB\tMax Memory Used: 24 MB\tStatus: timeout\t");
}

TEST(FormatText, ReportColdTimeoutPutsInitDurationBeforeStatus) {
    EXPECT_EQ(format_text(report(OutcomeKind::timeout, "Sandbox.Timedout",
                                 metrics(1000.0, 1176, 128, 30, 175.5))),
              "REPORT RequestId: id\tDuration: 1000.00 ms\tBilled Duration: 1176 ms\tMemory Size: "
              "128 MB\tMax Memory Used: 30 MB\tInit Duration: 175.50 ms\tStatus: timeout\t");
}

TEST(FormatText, ReportRuntimeExit) {
    EXPECT_EQ(format_text(
                  report(OutcomeKind::runtime_exit, "Runtime.ExitError", metrics(5.5, 6, 128, 20))),
              "REPORT RequestId: id\tDuration: 5.50 ms\tBilled Duration: 6 ms\tMemory Size: 128 "
              "MB\tMax Memory Used: 20 MB\tStatus: error\tError Type: Runtime.ExitError\t");
}

TEST(FormatText, ReportOutOfMemory) {
    EXPECT_EQ(format_text(report(OutcomeKind::out_of_memory, "Runtime.OutOfMemory",
                                 metrics(812.03, 813, 128, 128))),
              "REPORT RequestId: id\tDuration: 812.03 ms\tBilled Duration: 813 ms\tMemory Size: "
              "128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t");
}

TEST(FormatText, ReportFunctionErrorHasNoStatus) {
    EXPECT_EQ(format_text(report(OutcomeKind::function_error, "Runtime.HandlerError",
                                 metrics(2.0, 2, 128, 40))),
              "REPORT RequestId: id\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 "
              "MB\tMax Memory Used: 40 MB\t");
}

TEST(FormatText, InitReportTimeout) {
    EXPECT_EQ(format_text(init_report(model::InitPhase::init, "timeout", "", 9999.81)),
              "INIT_REPORT Init Duration: 9999.81 ms\tPhase: init\tStatus: timeout");
}

TEST(FormatText, InitReportError) {
    EXPECT_EQ(
        format_text(init_report(model::InitPhase::invoke, "error", "Runtime.ExitError", 3173.06)),
        "INIT_REPORT Init Duration: 3173.06 ms\tPhase: invoke\tStatus: error\tError Type: "
        "Runtime.ExitError");
    EXPECT_EQ(format_text(
                  init_report(model::InitPhase::init, "error", "Runtime.ImportModuleError", 120.0)),
              "INIT_REPORT Init Duration: 120.00 ms\tPhase: init\tStatus: error\tError Type: "
              "Runtime.ImportModuleError");
}

TEST(FormatText, InitReportSuccessPrintsNothing) {
    EXPECT_EQ(format_text(init_report(model::InitPhase::init, "success", "", 174.06)), "");
}

TEST(FormatText, FunctionAndPlatformLinesAsWritten) {
    EXPECT_EQ(format_text(function_line("hello\tworld")), "hello\tworld");
    model::PlatformLineEvent p;
    p.time = k_time;
    p.request_id = "id";
    p.text = "2019-09-18T00:02:46.542Z id Task timed out after 3.00 seconds";
    EXPECT_EQ(format_text(p), p.text);
}

TEST(FormatText, RuntimeDoneHasNoTextForm) {
    model::RuntimeDoneEvent e;
    e.time = k_time;
    e.request_id = "id";
    EXPECT_EQ(format_text(e), "");
}

TEST(FormatText, FormatDispatchesOnTheFormat) {
    model::EndEvent e;
    e.time = k_time;
    e.request_id = "id";
    EXPECT_EQ(format(e, LogFormat::text), "END RequestId: id");
    EXPECT_EQ(format(e, LogFormat::json), "");
}

TEST(TwoDecimals, RoundsToTwoPlaces) {
    EXPECT_EQ(two_decimals(0), "0.00");
    EXPECT_EQ(two_decimals(12.34), "12.34");
    EXPECT_EQ(two_decimals(12.344), "12.34");
    EXPECT_EQ(two_decimals(12.346), "12.35");
    EXPECT_EQ(two_decimals(174.055001), "174.06");
    EXPECT_EQ(two_decimals(3000), "3000.00");
    EXPECT_EQ(two_decimals(9999.999), "10000.00");
    EXPECT_EQ(two_decimals(0.004), "0.00");
    EXPECT_EQ(two_decimals(600000.0), "600000.00");
    // Exact binary ties round to even, as Go's %.2f does.
    EXPECT_EQ(two_decimals(0.125), "0.12");
    EXPECT_EQ(two_decimals(0.375), "0.38");
}

// ---- JSON ----

TEST(FormatJson, Start) {
    model::StartEvent e;
    e.time = k_time;
    e.request_id = k_id;
    e.version = "$LATEST";
    EXPECT_EQ(
        format_json(e),
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.start","record":{"requestId":")" +
            k_id + R"(","version":"$LATEST"}})");
}

TEST(FormatJson, ReportWarmHasNoInitDuration) {
    EXPECT_EQ(
        format_json(report(OutcomeKind::success, "", metrics(11.642, 12, 128, 67))),
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.report","record":{"requestId":"id","status":"success","metrics":{"durationMs":11.642,"billedDurationMs":12,"memorySizeMB":128,"maxMemoryUsedMB":67}}})");
}

TEST(FormatJson, ReportColdHasInitDuration) {
    EXPECT_EQ(
        format_json(report(OutcomeKind::success, "", metrics(11.642, 186, 128, 67, 174.055))),
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.report","record":{"requestId":"id","status":"success","metrics":{"durationMs":11.642,"billedDurationMs":186,"memorySizeMB":128,"maxMemoryUsedMB":67,"initDurationMs":174.055}}})");
}

TEST(FormatJson, MetricsHaveAtMostThreeDecimals) {
    std::string line =
        format_json(report(OutcomeKind::success, "", metrics(1.234567, 2, 128, 10, 0.0004)));
    EXPECT_NE(line.find(R"("durationMs":1.235,)"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("initDurationMs":0.0})"), std::string::npos) << line;
    std::string whole =
        format_json(report(OutcomeKind::success, "", metrics(3000.0, 3000, 128, 10)));
    EXPECT_NE(whole.find(R"("durationMs":3000.0,)"), std::string::npos) << whole;
}

TEST(FormatJson, ReportTimeout) {
    std::string line = format_json(
        report(OutcomeKind::timeout, "Sandbox.Timedout", metrics(3000.0, 3000, 128, 30)));
    EXPECT_NE(line.find(R"("type":"platform.report")"), std::string::npos) << line;
    EXPECT_NE(line.find(R"("status":"timeout")"), std::string::npos) << line;
    EXPECT_EQ(line.find(R"("status":"error")"), std::string::npos) << line;
}

TEST(FormatJson, ReportOutOfMemory) {
    EXPECT_EQ(
        format_json(report(OutcomeKind::out_of_memory, "Runtime.OutOfMemory",
                           metrics(812.03, 813, 128, 128))),
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.report","record":{"requestId":"id","status":"error","errorType":"Runtime.OutOfMemory","metrics":{"durationMs":812.03,"billedDurationMs":813,"memorySizeMB":128,"maxMemoryUsedMB":128}}})");
}

TEST(FormatJson, ReportRuntimeExit) {
    std::string line = format_json(
        report(OutcomeKind::runtime_exit, "Runtime.ExitError", metrics(5.5, 6, 128, 20)));
    EXPECT_NE(line.find(R"("status":"error","errorType":"Runtime.ExitError",)"), std::string::npos)
        << line;
}

TEST(FormatJson, InitStart) {
    model::InitStartEvent e;
    e.time = k_time;
    e.function_name = "my-function";
    e.version = "$LATEST";
    e.initialization_type = "on-demand";
    e.phase = model::InitPhase::init;
    EXPECT_EQ(
        format_json(e),
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"provided:al2023","functionName":"my-function","functionVersion":"$LATEST"}})");
}

TEST(FormatJson, InitReportSuccessIsRuntimeDoneThenReport) {
    EXPECT_EQ(
        format_json(init_report(model::InitPhase::init, "success", "", 173.778)),
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.initRuntimeDone","record":{"initializationType":"on-demand","phase":"init","status":"success"}})"
        "\n"
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":173.778}}})");
}

TEST(FormatJson, InitReportErrorCarriesTheErrorType) {
    std::string out =
        format_json(init_report(model::InitPhase::invoke, "error", "Runtime.ExitError", 12.3456));
    EXPECT_EQ(
        out,
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.initRuntimeDone","record":{"initializationType":"on-demand","phase":"invoke","status":"error","errorType":"Runtime.ExitError"}})"
        "\n"
        R"({"time":"2024-05-20T16:29:44.833Z","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"invoke","status":"error","errorType":"Runtime.ExitError","metrics":{"durationMs":12.346}}})");
}

TEST(FormatJson, InitReportTimeout) {
    std::string out = format_json(init_report(model::InitPhase::init, "timeout", "", 9999.81));
    EXPECT_NE(
        out.find(
            R"("type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"timeout","metrics":{"durationMs":9999.81}})"),
        std::string::npos)
        << out;
}

TEST(FormatJson, FunctionJsonObjectLinesPassThrough) {
    std::string structured =
        R"({"timestamp":"2024-05-20T16:29:45.009Z","level":"WARN","message":"m"})";
    EXPECT_EQ(format_json(function_line(structured)), structured);
}

TEST(FormatJson, FunctionTextLinesAreWrapped) {
    EXPECT_EQ(format_json(function_line("hello \"world\"", k_id)),
              R"({"timestamp":"2024-05-20T16:29:44.833Z","level":"INFO","requestId":")" + k_id +
                  R"(","message":"hello \"world\""})");
    // JSON that is not an object is text too.
    EXPECT_EQ(
        format_json(function_line("[1,2]")),
        R"({"timestamp":"2024-05-20T16:29:44.833Z","level":"INFO","requestId":"id","message":"[1,2]"})");
}

TEST(FormatJson, FunctionLinesDuringInitHaveNoRequestId) {
    EXPECT_EQ(format_json(function_line("loading", "")),
              R"({"timestamp":"2024-05-20T16:29:44.833Z","level":"INFO","message":"loading"})");
}

TEST(FormatJson, EndHasNoJsonForm) {
    model::EndEvent e;
    e.time = k_time;
    e.request_id = "id";
    EXPECT_EQ(format_json(e), "");
}

TEST(FormatJson, TimeIsIso8601WithMillisecondsAndZ) {
    model::StartEvent e;
    e.request_id = "id";
    e.version = "$LATEST";
    e.time = util::SystemTime{std::chrono::milliseconds(1568764966542)};
    EXPECT_EQ(format_json(e).rfind(R"({"time":"2019-09-18T00:02:46.542Z",)", 0), 0u);
    e.time = util::SystemTime{std::chrono::seconds(1700000000)};
    EXPECT_EQ(format_json(e).rfind(R"({"time":"2023-11-14T22:13:20.000Z",)", 0), 0u);
    // Sub-millisecond parts are truncated, not rounded.
    e.time = util::SystemTime{std::chrono::microseconds(1700000000999999)};
    EXPECT_EQ(format_json(e).rfind(R"({"time":"2023-11-14T22:13:20.999Z",)", 0), 0u);
}

}  // namespace lambda_emu::report
