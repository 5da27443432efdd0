#include "report/level_filter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lambda_emu::report {

namespace {

using model::OutcomeKind;

class Collect final : public model::LogSink {
  public:
    void emit(const model::LogEvent& event) override { events.push_back(event); }
    std::vector<model::LogEvent> events;
};

model::LogEvent line(const std::string& text) {
    model::FunctionLineEvent e;
    e.request_id = "id";
    e.text = text;
    return e;
}

LevelThresholds app(LogLevel level) { return {level, std::nullopt}; }
LevelThresholds sys(LogLevel level) { return {std::nullopt, level}; }

TEST(LevelNames, ApplicationLevelsInAnyCase) {
    EXPECT_EQ(application_level("TRACE"), LogLevel::trace);
    EXPECT_EQ(application_level("debug"), LogLevel::debug);
    EXPECT_EQ(application_level("Info"), LogLevel::info);
    EXPECT_EQ(application_level("WARN"), LogLevel::warn);
    EXPECT_EQ(application_level("error"), LogLevel::error);
    EXPECT_EQ(application_level("FATAL"), LogLevel::fatal);
    EXPECT_FALSE(application_level("WARNING"));
    EXPECT_FALSE(application_level(""));
    EXPECT_FALSE(application_level("VERBOSE"));
    EXPECT_STREQ(level_name(LogLevel::warn), "WARN");
}

TEST(LevelNames, SystemLevelsAreDebugInfoWarn) {
    EXPECT_EQ(system_level("DEBUG"), LogLevel::debug);
    EXPECT_EQ(system_level("info"), LogLevel::info);
    EXPECT_EQ(system_level("WARN"), LogLevel::warn);
    EXPECT_FALSE(system_level("TRACE"));
    EXPECT_FALSE(system_level("ERROR"));
    EXPECT_FALSE(system_level("FATAL"));
}

TEST(LevelOf, ApplicationLinesTakeTheirLevelOrInfo) {
    EXPECT_EQ(level_of(line(R"({"level":"DEBUG","message":"m"})")).level, LogLevel::debug);
    EXPECT_EQ(level_of(line(R"({"level": "error", "msg": "m"})")).level, LogLevel::error);
    EXPECT_EQ(level_of(line(R"({"message":"no level"})")).level, LogLevel::info);
    EXPECT_EQ(level_of(line(R"({"level":"LOUD"})")).level, LogLevel::info);
    EXPECT_EQ(level_of(line(R"({"level":3})")).level, LogLevel::info);
    EXPECT_EQ(level_of(line("DEBUG plain text")).level, LogLevel::info);
    EXPECT_EQ(level_of(line(R"(["level","DEBUG"])")).level, LogLevel::info);
    EXPECT_EQ(level_of(line(R"({"level":"DEBUG")")).level, LogLevel::info);  // not JSON
    EXPECT_EQ(level_of(line("x")).stream, EventLevel::Stream::application);
}

TEST(LevelOf, PlatformRecordsAreInfoAndFailuresWarn) {
    using S = EventLevel::Stream;
    EXPECT_EQ(level_of(model::StartEvent{}).level, LogLevel::info);
    EXPECT_EQ(level_of(model::StartEvent{}).stream, S::system);
    EXPECT_EQ(level_of(model::InitStartEvent{}).level, LogLevel::info);
    model::InitReportEvent init;
    init.status = "success";
    EXPECT_EQ(level_of(init).level, LogLevel::info);
    init.status = "timeout";
    EXPECT_EQ(level_of(init).level, LogLevel::warn);
    model::RuntimeDoneEvent done;
    EXPECT_EQ(level_of(done).level, LogLevel::info);
    done.kind = OutcomeKind::timeout;
    EXPECT_EQ(level_of(done).level, LogLevel::warn);
    model::ReportEvent report;
    EXPECT_EQ(level_of(report).level, LogLevel::info);
    report.kind = OutcomeKind::function_error;
    EXPECT_EQ(level_of(report).level, LogLevel::warn);
    EXPECT_EQ(level_of(model::EndEvent{}).level, LogLevel::info);
    EXPECT_EQ(level_of(model::PlatformLineEvent{}).level, LogLevel::error);
    EXPECT_EQ(level_of(model::NoticeEvent{}).stream, S::own);
}

TEST(LevelFilter, WithoutThresholdsEverythingPasses) {
    Collect out;
    LevelFilter filter(out, {});
    filter.emit(line(R"({"level":"TRACE"})"));
    filter.emit(model::StartEvent{});
    EXPECT_EQ(out.events.size(), 2u);
}

TEST(LevelFilter, DropsApplicationLinesBelowTheLevel) {
    Collect out;
    LevelFilter filter(out, app(LogLevel::warn));
    filter.emit(line(R"({"level":"DEBUG","message":"d"})"));
    filter.emit(line(R"({"level":"INFO","message":"i"})"));
    filter.emit(line("plain, so INFO"));
    filter.emit(line(R"({"level":"WARN","message":"w"})"));
    filter.emit(line(R"({"level":"fatal","message":"f"})"));
    filter.emit(model::StartEvent{});  // the system stream is not filtered
    ASSERT_EQ(out.events.size(), 3u);
    EXPECT_EQ(std::get<model::FunctionLineEvent>(out.events[0]).text,
              R"({"level":"WARN","message":"w"})");
    EXPECT_TRUE(std::holds_alternative<model::StartEvent>(out.events[2]));
}

TEST(LevelFilter, MissingLevelCountsAsInfo) {
    Collect at_info, at_error;
    LevelFilter info(at_info, app(LogLevel::info));
    LevelFilter error(at_error, app(LogLevel::error));
    for (auto* f : {&info, &error}) {
        f->emit(line("hello"));
        f->emit(line(R"({"message":"no level"})"));
    }
    EXPECT_EQ(at_info.events.size(), 2u);
    EXPECT_EQ(at_error.events.size(), 0u);
}

TEST(LevelFilter, SystemWarnKeepsOnlyFailuresAndPlatformLines) {
    Collect out;
    LevelFilter filter(out, sys(LogLevel::warn));
    model::ReportEvent ok;
    model::ReportEvent timeout;
    timeout.kind = OutcomeKind::timeout;
    filter.emit(model::InitStartEvent{});
    filter.emit(model::StartEvent{});
    filter.emit(line(R"({"level":"DEBUG"})"));  // the application stream is not filtered
    filter.emit(ok);
    filter.emit(timeout);
    model::PlatformLineEvent timed_out;
    timed_out.text = "Task timed out after 1.00 seconds";
    filter.emit(timed_out);
    model::NoticeEvent notice;
    notice.text = "BATCH ...";
    filter.emit(notice);
    ASSERT_EQ(out.events.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<model::FunctionLineEvent>(out.events[0]));
    EXPECT_TRUE(std::holds_alternative<model::ReportEvent>(out.events[1]));
    EXPECT_TRUE(std::holds_alternative<model::PlatformLineEvent>(out.events[2]));
    EXPECT_TRUE(std::holds_alternative<model::NoticeEvent>(out.events[3]));
}

TEST(LevelFilter, SystemInfoAndDebugKeepEveryPlatformRecord) {
    for (LogLevel level : {LogLevel::debug, LogLevel::info}) {
        Collect out;
        LevelFilter filter(out, sys(level));
        filter.emit(model::InitStartEvent{});
        filter.emit(model::StartEvent{});
        filter.emit(model::RuntimeDoneEvent{});
        filter.emit(model::ReportEvent{});
        EXPECT_EQ(out.events.size(), 4u);
    }
}

TEST(Thresholds, FromTheFunctionConfig) {
    model::FunctionConfig c;
    EXPECT_FALSE(thresholds_of(c).filters());
    c.application_log_level = "ERROR";
    c.system_log_level = "WARN";
    auto t = thresholds_of(c);
    EXPECT_EQ(t.application, LogLevel::error);
    EXPECT_EQ(t.system, LogLevel::warn);
}

}  // namespace

}  // namespace lambda_emu::report
