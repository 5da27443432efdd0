#include "telemetry/records.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "util/time_format.h"

namespace lambda_emu::telemetry {

namespace {

using namespace std::chrono_literals;
using RecJson = nlohmann::json;

const util::SystemTime k_rec_time = util::SystemTime{1'700'000'000s} + 123ms;

// The records' `type` fields, in order.
std::vector<std::string> record_types(const std::vector<Record>& records) {
    std::vector<std::string> out;
    for (const auto& r : records) out.push_back(RecJson::parse(r.json).at("type"));
    return out;
}

// The one record of `records`, parsed; checks its envelope.
RecJson only_record(const std::vector<Record>& records, const std::string& category,
                    const std::string& type) {
    EXPECT_EQ(records.size(), 1u);
    if (records.size() != 1) return {};
    EXPECT_EQ(records[0].category, category);
    RecJson j = RecJson::parse(records[0].json);
    EXPECT_EQ(j.at("type"), type);
    EXPECT_EQ(j.at("time"), util::iso8601_ms(k_rec_time));
    EXPECT_EQ(j.size(), 3u) << records[0].json;
    return j;
}

model::FunctionLineEvent function_line(std::string text, std::string extension = {}) {
    return model::FunctionLineEvent{k_rec_time, "req-1", std::move(text), std::move(extension)};
}

TEST(Records, TimeIsIsoWithMilliseconds) {
    EXPECT_EQ(util::iso8601_ms(k_rec_time), "2023-11-14T22:13:20.123Z");
}

TEST(Records, EnvelopeIsTimeTypeRecordInThatOrder) {
    auto records = records_of(function_line("hello"), Api::telemetry, false);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].json,
              R"({"time":"2023-11-14T22:13:20.123Z","type":"function","record":"hello"})");
    auto start =
        records_of(model::StartEvent{k_rec_time, "req-1", "$LATEST"}, Api::telemetry, false);
    ASSERT_EQ(start.size(), 1u);
    EXPECT_EQ(start[0].json.rfind(R"({"time":"2023-11-14T22:13:20.123Z","type":"platform.start",)"
                                  R"("record":{)",
                                  0),
              0u)
        << start[0].json;
}

TEST(Records, FunctionLineIsAFunctionRecordWithTheTextAsAString) {
    for (Api api : {Api::telemetry, Api::logs}) {
        RecJson j = only_record(records_of(function_line("plain text"), api, false), "function",
                                "function");
        EXPECT_EQ(j.at("record"), "plain text");
    }
}

TEST(Records, ExtensionLineIsAnExtensionRecord) {
    for (Api api : {Api::telemetry, Api::logs}) {
        RecJson j = only_record(records_of(function_line("ext says", "my-ext"), api, false),
                                "extension", "extension");
        EXPECT_EQ(j.at("record"), "ext says");
    }
}

TEST(Records, JsonLineIsAnObjectOnlyWithJsonLogging) {
    const std::string line = R"({"level":"INFO","message":"hi","n":1})";
    RecJson as_object =
        only_record(records_of(function_line(line), Api::telemetry, true), "function", "function");
    ASSERT_TRUE(as_object.at("record").is_object());
    EXPECT_EQ(as_object.at("record"), RecJson::parse(line));

    RecJson as_text =
        only_record(records_of(function_line(line), Api::telemetry, false), "function", "function");
    EXPECT_EQ(as_text.at("record"), line);

    // With JSON logging, what is not an object stays text.
    for (const char* text : {"[1,2]", "42", "\"quoted\"", "not json", "{broken"}) {
        RecJson j = only_record(records_of(function_line(text), Api::telemetry, true), "function",
                                "function");
        EXPECT_EQ(j.at("record"), text) << text;
    }
    // Extension lines follow the same rule.
    RecJson ext = only_record(records_of(function_line(line, "e"), Api::telemetry, true),
                              "extension", "extension");
    EXPECT_TRUE(ext.at("record").is_object());
}

TEST(Records, PlatformLineIsAFunctionRecordEvenWithJsonLogging) {
    model::PlatformLineEvent e{k_rec_time, "req-1", R"({"not":"parsed"})"};
    RecJson j = only_record(records_of(e, Api::telemetry, true), "function", "function");
    EXPECT_EQ(j.at("record"), R"({"not":"parsed"})");
}

TEST(Records, InvalidUtf8IsReplacedNotThrown) {
    auto records = records_of(function_line("bad \xff byte"), Api::telemetry, false);
    ASSERT_EQ(records.size(), 1u);
    RecJson j = RecJson::parse(records[0].json);
    EXPECT_EQ(j.at("record"), "bad \xEF\xBF\xBD byte");
}

TEST(Records, NoticeHasNoRecord) {
    model::NoticeEvent e{k_rec_time, "req-1", "lambda-emu says"};
    EXPECT_TRUE(records_of(e, Api::telemetry, false).empty());
    EXPECT_TRUE(records_of(e, Api::logs, false).empty());
}

TEST(Records, InitStartIsTelemetryOnly) {
    model::InitStartEvent e{k_rec_time, "fn", "$LATEST", "on-demand", model::InitPhase::init};
    RecJson j = only_record(records_of(e, Api::telemetry, false), "platform", "platform.initStart");
    EXPECT_EQ(j.at("record").at("initializationType"), "on-demand");
    EXPECT_EQ(j.at("record").at("phase"), "init");
    EXPECT_EQ(j.at("record").at("functionName"), "fn");
    EXPECT_EQ(j.at("record").at("functionVersion"), "$LATEST");
    EXPECT_TRUE(records_of(e, Api::logs, false).empty());
}

TEST(Records, InitReportIsInitRuntimeDoneAndInitReportForTelemetryOnly) {
    model::InitReportEvent e;
    e.time = k_rec_time;
    e.initialization_type = "on-demand";
    e.status = "error";
    e.error_type = "Extension.Crash";
    e.duration_ms = 12.3456;
    auto records = records_of(e, Api::telemetry, false);
    EXPECT_EQ(record_types(records),
              (std::vector<std::string>{"platform.initRuntimeDone", "platform.initReport"}));
    for (const auto& r : records) {
        EXPECT_EQ(r.category, "platform");
        RecJson j = RecJson::parse(r.json);
        EXPECT_EQ(j.at("record").at("status"), "error");
        EXPECT_EQ(j.at("record").at("errorType"), "Extension.Crash");
    }
    EXPECT_DOUBLE_EQ(RecJson::parse(records[1].json).at("record").at("metrics").at("durationMs"),
                     12.346);
    EXPECT_TRUE(records_of(e, Api::logs, false).empty());
}

TEST(Records, StartIsPlatformStartForBothApis) {
    model::StartEvent e{k_rec_time, "req-1", "$LATEST"};
    for (Api api : {Api::telemetry, Api::logs}) {
        RecJson j = only_record(records_of(e, api, false), "platform", "platform.start");
        EXPECT_EQ(j.at("record").at("requestId"), "req-1");
        EXPECT_EQ(j.at("record").at("version"), "$LATEST");
    }
}

TEST(Records, EndIsLogsApiOnly) {
    model::EndEvent e{k_rec_time, "req-1"};
    EXPECT_TRUE(records_of(e, Api::telemetry, false).empty());
    RecJson j = only_record(records_of(e, Api::logs, false), "platform", "platform.end");
    EXPECT_EQ(j.at("record"), (RecJson{{"requestId", "req-1"}}));
}

TEST(Records, RuntimeDoneCarriesStatusAndMetrics) {
    model::RuntimeDoneEvent e;
    e.time = k_rec_time;
    e.request_id = "req-1";
    e.kind = model::OutcomeKind::function_error;
    e.error_type = "Handler.Oops";
    e.duration_ms = 5.5;
    e.produced_bytes = 17;
    e.spans = {model::Span{"responseLatency", k_rec_time, 1.25}};
    for (Api api : {Api::telemetry, Api::logs}) {
        RecJson j = only_record(records_of(e, api, false), "platform", "platform.runtimeDone");
        EXPECT_EQ(j.at("record").at("requestId"), "req-1");
        EXPECT_EQ(j.at("record").at("errorType"), "Handler.Oops");
        EXPECT_EQ(j.at("record").at("metrics").at("producedBytes"), 17);
        EXPECT_DOUBLE_EQ(j.at("record").at("metrics").at("durationMs"), 5.5);
        ASSERT_EQ(j.at("record").at("spans").size(), 1u);
        EXPECT_EQ(j.at("record").at("spans")[0].at("name"), "responseLatency");
        EXPECT_EQ(j.at("record").at("spans")[0].at("start"), util::iso8601_ms(k_rec_time));
    }
}

TEST(Records, ReportCarriesMetricsAndTheExtensionOverheadSpan) {
    model::ReportEvent e;
    e.time = k_rec_time;
    e.request_id = "req-1";
    e.metrics.duration_ms = 10;
    e.metrics.billed_duration_ms = 10;
    e.metrics.memory_size_mb = 128;
    e.metrics.max_memory_used_mb = 30;
    e.extension_overhead = model::Span{"extensionOverhead", k_rec_time, 2.5};
    RecJson j = only_record(records_of(e, Api::telemetry, false), "platform", "platform.report");
    EXPECT_EQ(j.at("record").at("requestId"), "req-1");
    EXPECT_EQ(j.at("record").at("metrics").at("memorySizeMB"), 128);
    ASSERT_EQ(j.at("record").at("spans").size(), 1u);
    EXPECT_EQ(j.at("record").at("spans")[0].at("name"), "extensionOverhead");
    EXPECT_DOUBLE_EQ(j.at("record").at("spans")[0].at("durationMs"), 2.5);
    only_record(records_of(e, Api::logs, false), "platform", "platform.report");
}

TEST(Records, ExtensionStateIsPlatformExtension) {
    model::ExtensionStateEvent e{
        k_rec_time, "my-ext", "InitError", {"INVOKE", "SHUTDOWN"}, "Extension.Bad"};
    for (Api api : {Api::telemetry, Api::logs}) {
        RecJson j = only_record(records_of(e, api, false), "platform", "platform.extension");
        EXPECT_EQ(j.at("record").at("name"), "my-ext");
        EXPECT_EQ(j.at("record").at("state"), "InitError");
        EXPECT_EQ(j.at("record").at("events"), (RecJson{"INVOKE", "SHUTDOWN"}));
        EXPECT_EQ(j.at("record").at("errorType"), "Extension.Bad");
    }
    model::ExtensionStateEvent ok{k_rec_time, "my-ext", "Ready", {}, ""};
    RecJson j =
        only_record(records_of(ok, Api::telemetry, false), "platform", "platform.extension");
    EXPECT_FALSE(j.at("record").contains("errorType"));
}

TEST(Records, SubscriptionRecordNamesTheApi) {
    model::SubscriptionEvent logs{k_rec_time, "my-ext", {"platform", "function"}, true};
    RecJson l =
        only_record(records_of(logs, Api::logs, false), "platform", "platform.logsSubscription");
    EXPECT_EQ(l.at("record"), (RecJson{{"name", "my-ext"},
                                       {"state", "Subscribed"},
                                       {"types", RecJson{"platform", "function"}}}));
    model::SubscriptionEvent tel{k_rec_time, "my-ext", {"platform"}, false};
    only_record(records_of(tel, Api::telemetry, false), "platform",
                "platform.telemetrySubscription");
}

}  // namespace

}  // namespace lambda_emu::telemetry
