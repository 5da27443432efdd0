#include "report/level_filter.h"

#include <array>
#include <cctype>
#include <nlohmann/json.hpp>

#include "model/json_codec.h"

namespace lambda_emu::report {

namespace {

constexpr std::array<const char*, 6> k_names = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"};

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::toupper(static_cast<unsigned char>(a[i])) !=
            std::toupper(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

// The "level" of an application line: INFO unless the line is a JSON object whose "level" is a
// string naming a level.
LogLevel line_level(const std::string& text) {
    if (!model::is_json_object(text)) return LogLevel::info;
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return LogLevel::info;
    auto it = j.find("level");
    if (it == j.end() || !it->is_string()) return LogLevel::info;
    return application_level(it->get<std::string>()).value_or(LogLevel::info);
}

bool failed(model::OutcomeKind kind) { return kind != model::OutcomeKind::success; }

using Stream = EventLevel::Stream;

}  // namespace

const char* level_name(LogLevel level) { return k_names[static_cast<std::size_t>(level)]; }

std::optional<LogLevel> application_level(std::string_view name) {
    for (std::size_t i = 0; i < k_names.size(); ++i) {
        if (equals_ignoring_case(name, k_names[i])) return static_cast<LogLevel>(i);
    }
    return std::nullopt;
}

std::optional<LogLevel> system_level(std::string_view name) {
    auto level = application_level(name);
    if (level && *level >= LogLevel::debug && *level <= LogLevel::warn) return level;
    return std::nullopt;
}

LevelThresholds thresholds_of(const model::FunctionConfig& config) {
    LevelThresholds t;
    if (!config.application_log_level.empty())
        t.application = application_level(config.application_log_level);
    if (!config.system_log_level.empty()) t.system = system_level(config.system_log_level);
    return t;
}

EventLevel level_of(const model::LogEvent& event) {
    return std::visit(
        [](const auto& e) -> EventLevel {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, model::FunctionLineEvent>) {
                return {Stream::application, line_level(e.text)};
            } else if constexpr (std::is_same_v<T, model::NoticeEvent>) {
                return {Stream::own, LogLevel::info};
            } else if constexpr (std::is_same_v<T, model::PlatformLineEvent>) {
                return {Stream::system, LogLevel::error};
            } else if constexpr (std::is_same_v<T, model::InitReportEvent>) {
                return {Stream::system, e.status == "success" ? LogLevel::info : LogLevel::warn};
            } else if constexpr (std::is_same_v<T, model::RuntimeDoneEvent> ||
                                 std::is_same_v<T, model::ReportEvent>) {
                return {Stream::system, failed(e.kind) ? LogLevel::warn : LogLevel::info};
            } else {
                // platform.initStart, platform.start, END, and any record added later.
                return {Stream::system, LogLevel::info};
            }
        },
        event);
}

bool passes(const model::LogEvent& event, const LevelThresholds& t) {
    if (!t.filters()) return true;
    // Only parse a line when its stream is filtered.
    if (std::holds_alternative<model::FunctionLineEvent>(event) && !t.application) return true;
    EventLevel l = level_of(event);
    switch (l.stream) {
        case Stream::application:
            return !t.application || l.level >= *t.application;
        case Stream::system:
            return !t.system || l.level >= *t.system;
        case Stream::own:
            return true;
    }
    return true;
}

void LevelFilter::emit(const model::LogEvent& event) {
    if (passes(event, m_thresholds)) m_next.emit(event);
}

}  // namespace lambda_emu::report
