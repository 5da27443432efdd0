// Log-level filtering (LoggingConfig.ApplicationLogLevel and SystemLogLevel, JSON format only):
// a LogSink in front of another that drops the events below the configured levels.
//
// Application lines (what the function writes) take the "level" of a line that is a JSON object
// (case-insensitive); a line without one, or with a value that is not a level, counts as INFO, as
// the service does. System records (the platform.* events) are INFO, except those that report a
// failure (an Init or an invocation that ended in an error or a timeout), which are WARN so that
// they survive every system level; the platform's own lines ("Task timed out after ...") are
// ERROR. lambda-emu's notices are not part of the function's log and always pass.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/function_config.h"
#include "model/log_event.h"

namespace lambda_emu::report {

enum class LogLevel { trace, debug, info, warn, error, fatal };

// "TRACE" ... "FATAL"
const char* level_name(LogLevel level);
// An application level: TRACE, DEBUG, INFO, WARN, ERROR or FATAL, in any case.
std::optional<LogLevel> application_level(std::string_view name);
// A system level: DEBUG, INFO or WARN, in any case.
std::optional<LogLevel> system_level(std::string_view name);

// The lowest level that passes, per stream; none: everything passes.
struct LevelThresholds {
    std::optional<LogLevel> application;
    std::optional<LogLevel> system;
    bool filters() const { return application.has_value() || system.has_value(); }
};

// The function's configured levels (application_log_level, system_log_level; empty: none).
// Names that are not levels are ignored (the CLI and the config loader refuse them first).
LevelThresholds thresholds_of(const model::FunctionConfig& config);

// Which stream an event belongs to, and at which level.
struct EventLevel {
    enum class Stream { application, system, own } stream = Stream::system;
    LogLevel level = LogLevel::info;
};
EventLevel level_of(const model::LogEvent& event);

bool passes(const model::LogEvent& event, const LevelThresholds& thresholds);

class LevelFilter final : public model::LogSink {
  public:
    LevelFilter(model::LogSink& next, LevelThresholds thresholds)
        : m_next(next), m_thresholds(thresholds) {}
    void emit(const model::LogEvent& event) override;

  private:
    model::LogSink& m_next;
    LevelThresholds m_thresholds;
};

}  // namespace lambda_emu::report
