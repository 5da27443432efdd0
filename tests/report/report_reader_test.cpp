#include "report/report_reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "report/log_lines.h"

namespace lambda_emu::report {

namespace {

const std::string k_reader_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";

// The service's cold-start line (lambda-facts section 4), trailing tab included.
const std::string k_reader_cold_line =
    "REPORT RequestId: " + k_reader_id +
    "\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 "
    "MB\tMax Memory Used: 67 MB\tInit Duration: 174.06 ms\t";

// The record of a line that must be a REPORT line.
ReportRecord read_one_report(const std::string& line, std::size_t line_number = 1) {
    auto result = read_report_line(line, line_number);
    EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
    if (!result.ok() || !result.value()) {
        ADD_FAILURE() << "not read as a REPORT line: " << line;
        return {};
    }
    return *result.value();
}

// The error of a line that must be rejected.
std::string report_error_of(const std::string& line, std::size_t line_number = 1) {
    auto result = read_report_line(line, line_number);
    if (result.ok()) {
        ADD_FAILURE() << "accepted: " << line;
        return {};
    }
    return result.error().message;
}

bool not_a_report(const std::string& line) {
    auto result = read_report_line(line, 1);
    return result.ok() && !result.value();
}

}  // namespace

// ---- the service's text lines ----

TEST(ReadReportLine, ServiceLineWithInitDuration) {
    const ReportRecord r = read_one_report(k_reader_cold_line, 4);
    EXPECT_EQ(r.line, 4u);
    EXPECT_EQ(r.request_id, k_reader_id);
    EXPECT_DOUBLE_EQ(r.duration_ms, 12.34);
    EXPECT_DOUBLE_EQ(r.billed_duration_ms, 13);
    EXPECT_EQ(r.memory_size_mb, 128);
    EXPECT_EQ(r.max_memory_used_mb, 67);
    ASSERT_TRUE(r.init_duration_ms.has_value());
    EXPECT_DOUBLE_EQ(*r.init_duration_ms, 174.06);
    EXPECT_FALSE(r.restore_duration_ms.has_value());
    EXPECT_EQ(r.status, "");
    EXPECT_EQ(r.error_type, "");
}

TEST(ReadReportLine, ServiceLineWithoutInitDuration) {
    const ReportRecord r = read_one_report(
        "REPORT RequestId: " + k_reader_id +
        "\tDuration: 1.42 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory "
        "Used: 40 MB\t");
    EXPECT_EQ(r.request_id, k_reader_id);
    EXPECT_DOUBLE_EQ(r.duration_ms, 1.42);
    EXPECT_DOUBLE_EQ(r.billed_duration_ms, 2);
    EXPECT_EQ(r.memory_size_mb, 128);
    EXPECT_EQ(r.max_memory_used_mb, 40);
    EXPECT_FALSE(r.init_duration_ms.has_value());
    EXPECT_EQ(r.status, "");
}

TEST(ReadReportLine, WithAndWithoutTrailingTabAndCarriageReturn) {
    const std::string bare = k_reader_cold_line.substr(0, k_reader_cold_line.size() - 1);
    for (const std::string& line :
         {k_reader_cold_line, bare, k_reader_cold_line + "\r", bare + "\r"}) {
        const ReportRecord r = read_one_report(line);
        EXPECT_EQ(r.request_id, k_reader_id) << line;
        EXPECT_EQ(r.max_memory_used_mb, 67) << line;
        ASSERT_TRUE(r.init_duration_ms.has_value()) << line;
        EXPECT_DOUBLE_EQ(*r.init_duration_ms, 174.06) << line;
    }
}

TEST(ReadReportLine, StatusTimeout) {
    const ReportRecord r = read_one_report(
        "REPORT RequestId: " + k_reader_id +
        "\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 512 MB\tMax "
        "Memory Used: 24 MB\tStatus: timeout\t");
    EXPECT_DOUBLE_EQ(r.duration_ms, 3000);
    EXPECT_DOUBLE_EQ(r.billed_duration_ms, 3000);
    EXPECT_EQ(r.memory_size_mb, 512);
    EXPECT_EQ(r.status, "timeout");
    EXPECT_EQ(r.error_type, "");
}

TEST(ReadReportLine, StatusErrorWithErrorType) {
    const ReportRecord r =
        read_one_report("REPORT RequestId: " + k_reader_id +
                        "\tDuration: 812.03 ms\tBilled Duration: 813 ms\tMemory Size: 128 MB\tMax "
                        "Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t");
    EXPECT_DOUBLE_EQ(r.duration_ms, 812.03);
    EXPECT_EQ(r.max_memory_used_mb, 128);
    EXPECT_EQ(r.status, "error");
    EXPECT_EQ(r.error_type, "Runtime.OutOfMemory");
}

TEST(ReadReportLine, RestoreDuration) {
    const ReportRecord r = read_one_report(
        "REPORT RequestId: " + k_reader_id +
        "\tDuration: 5.10 ms\tBilled Duration: 105 ms\tMemory Size: 1024 MB\tMax Memory "
        "Used: 90 MB\tRestore Duration: 320.51 ms\t");
    EXPECT_FALSE(r.init_duration_ms.has_value());
    ASSERT_TRUE(r.restore_duration_ms.has_value());
    EXPECT_DOUBLE_EQ(*r.restore_duration_ms, 320.51);
}

TEST(ReadReportLine, XrayLineOfTheSameEventIsLeftOut) {
    const ReportRecord r =
        read_one_report(k_reader_cold_line +
                        "\nXRAY TraceId: 1-6ac7d63f-0104e99861c65c8039f183da\tSegmentId: "
                        "7c4eb6a6d56f2a27\tSampled: true");
    EXPECT_EQ(r.request_id, k_reader_id);
    EXPECT_EQ(r.max_memory_used_mb, 67);
}

TEST(ReadReportLine, FieldsInAnyOrder) {
    // The 2023 runtimes-custom docs' order (Init Duration first), and a shuffled one.
    const ReportRecord old = read_one_report(
        "REPORT RequestId: " + k_reader_id +
        "\tInit Duration: 9.19 ms\tDuration: 72.27 ms\tBilled Duration: 200 ms\tMemory Size: 128 "
        "MB\tMax Memory Used: 27 MB");
    EXPECT_DOUBLE_EQ(old.duration_ms, 72.27);
    EXPECT_DOUBLE_EQ(old.billed_duration_ms, 200);
    ASSERT_TRUE(old.init_duration_ms.has_value());
    EXPECT_DOUBLE_EQ(*old.init_duration_ms, 9.19);
}

TEST(ReadReportLine, FieldsAfterRequestIdInAnyOrder) {
    const ReportRecord r = read_one_report(
        "REPORT RequestId: abc\tStatus: timeout\tMax Memory Used: 67 MB\tMemory Size: "
        "256 MB\tBilled Duration: 13 ms\tDuration: 12.34 ms");
    EXPECT_EQ(r.request_id, "abc");
    EXPECT_EQ(r.status, "timeout");
    EXPECT_EQ(r.max_memory_used_mb, 67);
    EXPECT_EQ(r.memory_size_mb, 256);
    EXPECT_DOUBLE_EQ(r.billed_duration_ms, 13);
    EXPECT_DOUBLE_EQ(r.duration_ms, 12.34);
}

// ---- copied and exported lines ----

// /work/shared/reference/rust-lambda-cold-start-floor.txt lines 33-37: tabs lost to single
// spaces.
TEST(ReadReportLine, SpaceSeparatedArticleLines) {
    struct Expected {
        const char* line;
        const char* id;
        double duration;
        double billed;
        double init;
    };
    const std::vector<Expected> cases{
        {"REPORT RequestId: e85978b8-96f3-4a0e-9511-c22672da4f02 Duration: 1.44 ms Billed "
         "Duration: 20 ms Memory Size: 512 MB Max Memory Used: 16 MB Init Duration: 18.45 ms",
         "e85978b8-96f3-4a0e-9511-c22672da4f02", 1.44, 20, 18.45},
        {"REPORT RequestId: a6953d6e-d437-466a-9273-480faf5db2dc Duration: 1.49 ms Billed "
         "Duration: 21 ms Memory Size: 512 MB Max Memory Used: 16 MB Init Duration: 18.91 ms",
         "a6953d6e-d437-466a-9273-480faf5db2dc", 1.49, 21, 18.91},
        {"REPORT RequestId: 7e151036-c109-405d-a9ba-2f81b0f7a1e1 Duration: 1.75 ms Billed "
         "Duration: 25 ms Memory Size: 512 MB Max Memory Used: 16 MB Init Duration: 22.43 ms",
         "7e151036-c109-405d-a9ba-2f81b0f7a1e1", 1.75, 25, 22.43},
        {"REPORT RequestId: 19ed8d7f-85fe-4c80-a530-7b44f429a8d5 Duration: 1.93 ms Billed "
         "Duration: 25 ms Memory Size: 512 MB Max Memory Used: 16 MB Init Duration: 22.24 ms",
         "19ed8d7f-85fe-4c80-a530-7b44f429a8d5", 1.93, 25, 22.24},
        {"REPORT RequestId: c4fa04e9-d361-4fe4-9a09-cbaf67f57f29 Duration: 1.63 ms Billed "
         "Duration: 22 ms Memory Size: 512 MB Max Memory Used: 16 MB Init Duration: 19.43 ms",
         "c4fa04e9-d361-4fe4-9a09-cbaf67f57f29", 1.63, 22, 19.43},
    };
    for (const Expected& c : cases) {
        const ReportRecord r = read_one_report(c.line);
        EXPECT_EQ(r.request_id, c.id);
        EXPECT_DOUBLE_EQ(r.duration_ms, c.duration) << c.line;
        EXPECT_DOUBLE_EQ(r.billed_duration_ms, c.billed) << c.line;
        EXPECT_EQ(r.memory_size_mb, 512) << c.line;
        EXPECT_EQ(r.max_memory_used_mb, 16) << c.line;
        ASSERT_TRUE(r.init_duration_ms.has_value()) << c.line;
        EXPECT_DOUBLE_EQ(*r.init_duration_ms, c.init) << c.line;
    }
}

TEST(ReadReportLine, RunsOfSpacesAndMixedSeparators) {
    const ReportRecord r = read_one_report(
        "REPORT RequestId: abc    Duration: 1.44 ms  Billed Duration: 20 ms \t Memory Size: 512 "
        "MB   Max Memory Used: 16 MB  Status: error  Error Type: Runtime.ExitError  ");
    EXPECT_EQ(r.request_id, "abc");
    EXPECT_DOUBLE_EQ(r.duration_ms, 1.44);
    EXPECT_DOUBLE_EQ(r.billed_duration_ms, 20);
    EXPECT_EQ(r.memory_size_mb, 512);
    EXPECT_EQ(r.max_memory_used_mb, 16);
    EXPECT_EQ(r.status, "error");
    EXPECT_EQ(r.error_type, "Runtime.ExitError");
}

TEST(ReadReportLine, TextBeforeTheMarker) {
    // A CloudWatch export's timestamp, a TSV column, a quoted CSV column, lambda-emu's "[name] ".
    for (const std::string& prefix :
         {std::string("2024-05-20T16:29:45.010Z "), std::string("1716222585010\t"),
          std::string("2024-05-20 16:29:45.010,"), std::string("[hello] ")}) {
        const ReportRecord r = read_one_report(prefix + k_reader_cold_line);
        EXPECT_EQ(r.request_id, k_reader_id) << prefix;
        EXPECT_DOUBLE_EQ(r.duration_ms, 12.34) << prefix;
        ASSERT_TRUE(r.init_duration_ms.has_value()) << prefix;
    }
    const ReportRecord csv =
        read_one_report("1716222585010,\"" + k_reader_cold_line + "\",stream/1");
    EXPECT_EQ(csv.request_id, k_reader_id);
    EXPECT_EQ(csv.max_memory_used_mb, 67);
    ASSERT_TRUE(csv.init_duration_ms.has_value());
    EXPECT_DOUBLE_EQ(*csv.init_duration_ms, 174.06);
}

// ---- the JSON log format ----

TEST(ReadReportLine, JsonPlatformReport) {
    const ReportRecord r = read_one_report(
        R"({"time":"2024-05-20T16:29:45.010Z","type":"platform.report","record":{"requestId":")" +
            k_reader_id +
            R"(","status":"success","metrics":{"durationMs":11.642,"billedDurationMs":12,"memorySizeMB":128,"maxMemoryUsedMB":67,"initDurationMs":174.055}}})",
        9);
    EXPECT_EQ(r.line, 9u);
    EXPECT_EQ(r.request_id, k_reader_id);
    EXPECT_DOUBLE_EQ(r.duration_ms, 11.642);
    EXPECT_DOUBLE_EQ(r.billed_duration_ms, 12);
    EXPECT_EQ(r.memory_size_mb, 128);
    EXPECT_EQ(r.max_memory_used_mb, 67);
    ASSERT_TRUE(r.init_duration_ms.has_value());
    EXPECT_DOUBLE_EQ(*r.init_duration_ms, 174.055);
    EXPECT_EQ(r.status, "");  // "success"
    EXPECT_EQ(r.error_type, "");
}

TEST(ReadReportLine, JsonPlatformReportWithErrorType) {
    const ReportRecord r = read_one_report(
        R"({"time":"2024-05-20T16:29:45.010Z","type":"platform.report","record":{"requestId":"id","status":"error","errorType":"Runtime.OutOfMemory","metrics":{"durationMs":812.03,"billedDurationMs":813,"memorySizeMB":128,"maxMemoryUsedMB":128}}})");
    EXPECT_EQ(r.status, "error");
    EXPECT_EQ(r.error_type, "Runtime.OutOfMemory");
    EXPECT_FALSE(r.init_duration_ms.has_value());
    EXPECT_EQ(r.max_memory_used_mb, 128);

    const ReportRecord timeout = read_one_report(
        R"({"time":"t","type":"platform.report","record":{"requestId":"id","status":"timeout","metrics":{"durationMs":3000.0,"billedDurationMs":3000,"memorySizeMB":128,"maxMemoryUsedMB":30}}})");
    EXPECT_EQ(timeout.status, "timeout");
    EXPECT_DOUBLE_EQ(timeout.duration_ms, 3000);
}

TEST(ReadReportLine, JsonPlatformReportAfterAnExportTimestamp) {
    const ReportRecord r = read_one_report(
        R"(2024-05-20T16:29:45.010Z {"time":"t","type": "platform.report","record":{"requestId":"id","status":"success","metrics":{"durationMs":1.5,"billedDurationMs":2,"memorySizeMB":256,"maxMemoryUsedMB":30,"restoreDurationMs":320.5}}})");
    EXPECT_EQ(r.request_id, "id");
    EXPECT_DOUBLE_EQ(r.duration_ms, 1.5);
    EXPECT_EQ(r.memory_size_mb, 256);
    ASSERT_TRUE(r.restore_duration_ms.has_value());
    EXPECT_DOUBLE_EQ(*r.restore_duration_ms, 320.5);
}

TEST(ReadReportLine, OtherJsonLinesAreNotReports) {
    EXPECT_TRUE(not_a_report(
        R"({"time":"t","type":"platform.start","record":{"requestId":"id","version":"$LATEST"}})"));
    EXPECT_TRUE(not_a_report(
        R"({"time":"t","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":173.778}}})"));
    // An application record quoting a REPORT line or naming the report type.
    EXPECT_TRUE(
        not_a_report(R"({"timestamp":"t","level":"INFO","requestId":"id","message":"REPORT )"
                     R"(RequestId: abc Duration: x"})"));
    EXPECT_TRUE(not_a_report(R"({"level":"INFO","message":"saw \"platform.report\""})"));
}

TEST(ReadReportLine, MalformedJsonReports) {
    EXPECT_EQ(
        report_error_of(R"({"time":"t","type":"platform.report","record":{"requestId":"id")", 5),
        "line 5: platform.report record is not valid JSON");
    EXPECT_EQ(
        report_error_of(
            R"({"type":"platform.report","record":{"requestId":"id","metrics":{"durationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":6}}})",
            6),
        "line 6: platform.report record has no \"metrics.billedDurationMs\"");
    EXPECT_EQ(
        report_error_of(
            R"({"type":"platform.report","record":{"requestId":"id","metrics":{"durationMs":"1","billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":6}}})",
            7),
        "line 7: \"metrics.durationMs\" is not a number: \"1\"");
    EXPECT_EQ(
        report_error_of(
            R"({"type":"platform.report","record":{"requestId":"id","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":128.5,"maxMemoryUsedMB":6}}})",
            8),
        "line 8: \"metrics.memorySizeMB\" is not a whole number: 128.5");
    EXPECT_EQ(report_error_of(R"({"type":"platform.report","record":{"metrics":{}}})", 9),
              "line 9: platform.report record has no \"requestId\"");
    EXPECT_EQ(report_error_of(R"({"type":"platform.report"})", 10),
              "line 10: platform.report has no \"record\" object");
    EXPECT_EQ(
        report_error_of(
            R"({"type":"platform.report","record":{"requestId":"id","metrics":{"durationMs":-1,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":6}}})",
            11),
        "line 11: \"metrics.durationMs\" is negative: -1");
    EXPECT_EQ(
        report_error_of(
            R"({"type":"platform.report","record":{"requestId":"id","metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":6,"initDurationMs":true}}})",
            12),
        "line 12: \"metrics.initDurationMs\" is not a number: true");
}

// ---- lambda-emu's own output reads back ----

TEST(ReadReportLine, ReadsBackWhatLogLinesWrites) {
    model::ReportEvent e;
    e.time = util::SystemTime{std::chrono::milliseconds(1716222584833)};
    e.request_id = k_reader_id;
    e.kind = model::OutcomeKind::out_of_memory;
    e.error_type = "Runtime.OutOfMemory";
    e.metrics.duration_ms = 812.03;
    e.metrics.billed_duration_ms = 987;
    e.metrics.memory_size_mb = 128;
    e.metrics.max_memory_used_mb = 128;
    e.metrics.init_duration_ms = 174.055;
    for (LogFormat f : {LogFormat::text, LogFormat::json}) {
        const std::string line = format(model::LogEvent(e), f);
        const ReportRecord r = read_one_report(line);
        EXPECT_EQ(r.request_id, k_reader_id) << line;
        EXPECT_DOUBLE_EQ(r.duration_ms, 812.03) << line;
        EXPECT_DOUBLE_EQ(r.billed_duration_ms, 987) << line;
        EXPECT_EQ(r.memory_size_mb, 128) << line;
        EXPECT_EQ(r.max_memory_used_mb, 128) << line;
        ASSERT_TRUE(r.init_duration_ms.has_value()) << line;
        EXPECT_NEAR(*r.init_duration_ms, 174.055, 0.006) << line;  // text shows two decimals
        EXPECT_EQ(r.status, "error") << line;
        EXPECT_EQ(r.error_type, "Runtime.OutOfMemory") << line;
    }
}

// ---- lines that are not REPORT lines ----

TEST(ReadReportLine, NonReportLinesAreIgnored) {
    for (const std::string& line : {
             std::string(""),
             std::string("   \t"),
             std::string("\r"),
             "START RequestId: " + k_reader_id + " Version: $LATEST",
             "END RequestId: " + k_reader_id,
             std::string("INIT_START Runtime Version: provided:al2023\tRuntime Version ARN: "
                         "arn:aws:lambda:us-east-1::runtime:abc"),
             std::string("INIT_REPORT Init Duration: 9999.81 ms\tPhase: init\tStatus: timeout"),
             std::string("XRAY TraceId: 1-6ac7d63f-0104e99861c65c8039f183da\tSegmentId: "
                         "7c4eb6a6d56f2a27\tSampled: true"),
             "2024-05-20T16:29:45.009Z\t" + k_reader_id + "\tINFO\thello REPORT",
             std::string("REPORT"),
             std::string("{not json at all"),
         }) {
        EXPECT_TRUE(not_a_report(line)) << line;
    }
}

// ---- malformed REPORT lines ----

TEST(ReadReportLine, MissingRequiredField) {
    EXPECT_EQ(
        report_error_of("REPORT RequestId: abc\tDuration: 1.00 ms\tMemory Size: 128 MB\tMax Memory "
                        "Used: 6 MB\t",
                        7),
        "line 7: REPORT line has no \"Billed Duration\"");
    EXPECT_EQ(
        report_error_of("REPORT RequestId: abc\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory "
                        "Size: 128 MB\t"),
        "line 1: REPORT line has no \"Max Memory Used\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc"), "line 1: REPORT line has no \"Duration\"");
}

TEST(ReadReportLine, MissingValue) {
    EXPECT_EQ(report_error_of("REPORT RequestId: \tDuration: 1.00 ms", 2),
              "line 2: \"RequestId\" has no value");
    EXPECT_EQ(report_error_of("REPORT RequestId:  Duration: 1.00 ms", 2),
              "line 2: \"RequestId\" has no value");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: "),
              "line 1: \"Duration\" has no value");
}

TEST(ReadReportLine, BadNumber) {
    EXPECT_EQ(
        report_error_of("REPORT RequestId: abc\tDuration: abc ms\tBilled Duration: 1 ms\tMemory "
                        "Size: 128 MB\tMax Memory Used: 6 MB",
                        3),
        "line 3: \"Duration\" is not a number: \"abc\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: -1.00 ms"),
              "line 1: \"Duration\" is not a number: \"-1.00\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: 1,5 ms"),
              "line 1: \"Duration\" is not a number: \"1,5\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: nan ms"),
              "line 1: \"Duration\" is not a number: \"nan\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tMemory Size: 128.5 MB"),
              "line 1: \"Memory Size\" is not a whole number: \"128.5\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tMemory Size: 99999999999999 MB"),
              "line 1: \"Memory Size\" is not a whole number: \"99999999999999\"");
}

TEST(ReadReportLine, MissingOrWrongUnit) {
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: 1.00\tBilled Duration: 1 ms"),
              "line 1: \"Duration\" has no unit \"ms\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: 1.00"),
              "line 1: \"Duration\" has no unit \"ms\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: 1.00 s\t"),
              "line 1: \"Duration\" is in \"s\", not \"ms\"");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tMax Memory Used: 6 ms\t"),
              "line 1: \"Max Memory Used\" is in \"ms\", not \"MB\"");
}

TEST(ReadReportLine, GarbageAfterRequestId) {
    EXPECT_EQ(report_error_of("REPORT RequestId: abc def\tDuration: 1.00 ms", 4),
              "line 4: unexpected text \"def\" in REPORT line");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tFoo: 3\tDuration: 1.00 ms", 4),
              "line 4: unknown field \"Foo: 3\" in REPORT line");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc Foo: 3 Duration: 1.00 ms", 4),
              "line 4: unknown field \"Foo: 3\" in REPORT line");
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: 1.00 ms extra words\t"),
              "line 1: unexpected text \"extra words\" in REPORT line");
}

TEST(ReadReportLine, RepeatedField) {
    EXPECT_EQ(report_error_of("REPORT RequestId: abc\tDuration: 1.00 ms\tDuration: 2.00 ms"),
              "line 1: REPORT line has \"Duration\" twice");
}

TEST(ReadReportLine, LongGarbageIsShortenedInTheMessage) {
    const std::string garbage(500, 'x');
    const std::string message = report_error_of("REPORT RequestId: abc " + garbage);
    EXPECT_LT(message.size(), 150u) << message;
    EXPECT_NE(message.find("...\""), std::string::npos) << message;
}

// ---- whole texts ----

TEST(ReadReportLines, EveryReportLineWithItsLineNumber) {
    const std::string text =
        "INIT_START Runtime Version: provided:al2023\tRuntime Version ARN: arn\n"
        "START RequestId: a Version: $LATEST\n"
        "hello from the handler\n"
        "END RequestId: a\n"
        "REPORT RequestId: a\tDuration: 12.34 ms\tBilled Duration: 187 ms\tMemory Size: 128 "
        "MB\tMax Memory Used: 67 MB\tInit Duration: 174.06 ms\t\n"
        "XRAY TraceId: 1-6ac7d63f-0104e99861c65c8039f183da\tSegmentId: 7c4eb6a6d56f2a27\tSampled: "
        "true\n"
        "\n"
        "START RequestId: b Version: $LATEST\r\n"
        "END RequestId: b\r\n"
        "REPORT RequestId: b\tDuration: 1.42 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax "
        "Memory Used: 67 MB\t\r\n"
        R"({"time":"t","type":"platform.report","record":{"requestId":"c","status":"timeout","metrics":{"durationMs":3000.0,"billedDurationMs":3000,"memorySizeMB":128,"maxMemoryUsedMB":70}}})";
    auto result = read_report_lines(text);
    ASSERT_TRUE(result.ok()) << result.error().message;
    const std::vector<ReportRecord>& records = result.value();
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].line, 5u);
    EXPECT_EQ(records[0].request_id, "a");
    EXPECT_TRUE(records[0].init_duration_ms.has_value());
    EXPECT_EQ(records[1].line, 10u);
    EXPECT_EQ(records[1].request_id, "b");
    EXPECT_DOUBLE_EQ(records[1].duration_ms, 1.42);
    EXPECT_FALSE(records[1].init_duration_ms.has_value());
    EXPECT_EQ(records[2].line, 11u);
    EXPECT_EQ(records[2].request_id, "c");
    EXPECT_EQ(records[2].status, "timeout");
}

TEST(ReadReportLines, EmptyTextAndNoReportLines) {
    auto empty = read_report_lines("");
    ASSERT_TRUE(empty.ok());
    EXPECT_TRUE(empty.value().empty());
    auto none = read_report_lines("START RequestId: a Version: $LATEST\nEND RequestId: a\n");
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none.value().empty());
}

TEST(ReadReportLines, FirstMalformedLineIsTheError) {
    const std::string text =
        "REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax "
        "Memory Used: 6 MB\n"
        "START RequestId: b Version: $LATEST\n"
        "REPORT RequestId: b\tDuration: abc ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax "
        "Memory Used: 6 MB\n"
        "REPORT RequestId: c\tDuration: 1.00 ms\n";
    auto result = read_report_lines(text);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message, "line 3: \"Duration\" is not a number: \"abc\"");
}

TEST(ReadReportLines, CarriageReturnLineEndings) {
    auto result = read_report_lines(k_reader_cold_line + "\r\n" + k_reader_cold_line + "\r\n");
    ASSERT_TRUE(result.ok()) << result.error().message;
    ASSERT_EQ(result.value().size(), 2u);
    EXPECT_EQ(result.value()[1].line, 2u);
    EXPECT_EQ(result.value()[1].max_memory_used_mb, 67);
}

}  // namespace lambda_emu::report
