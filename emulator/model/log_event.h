// The log stream of a function as structured events. report/ turns them into the service's text
// lines or JSON records; nothing here formats.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "model/outcome.h"
#include "util/clock.h"

namespace lambda_emu::model {

enum class InitPhase { init, invoke };

struct InitStartEvent {
    util::SystemTime time;
    std::string function_name;
    std::string version;
    std::string initialization_type;  // "on-demand", "provisioned-concurrency"
    InitPhase phase = InitPhase::init;
};

struct InitReportEvent {
    util::SystemTime time;
    InitPhase phase = InitPhase::init;
    std::string initialization_type;
    std::string status;  // "success", "error", "timeout"
    std::string error_type;
    double duration_ms = 0;
};

struct StartEvent {
    util::SystemTime time;
    std::string request_id;
    std::string version;
};

// A line the function wrote to stdout or stderr, or one of its extensions did.
struct FunctionLineEvent {
    util::SystemTime time;
    std::string request_id;  // empty during init
    std::string text;
    std::string extension;  // the extension's name when an extension wrote it
};

// An extension at the end of Init: "EXTENSION\tName: ...\tState: Ready\tEvents: [...]".
struct ExtensionStateEvent {
    util::SystemTime time;
    std::string name;
    std::string state;                // "Ready", or where it stopped ("Registered", "InitError")
    std::vector<std::string> events;  // "INVOKE", "SHUTDOWN"
    std::string error_type;           // what it reported to init/error or exit/error
};

// A Telemetry API (or Logs API) subscription: "TELEMETRY\tName: ...\tState: Subscribed...".
struct SubscriptionEvent {
    util::SystemTime time;
    std::string name;
    std::vector<std::string> types;  // "platform", "function", "extension"
    bool logs_api = false;           // PUT /2020-08-15/logs rather than /2022-07-01/telemetry
};

// A line the platform writes into the function's stream ("Task timed out after 3.00 seconds").
struct PlatformLineEvent {
    util::SystemTime time;
    std::string request_id;
    std::string text;
};

// A measured stretch of an invocation, as platform.runtimeDone's and platform.report's spans.
struct Span {
    std::string name;  // "responseLatency", "responseDuration", "runtimeOverhead"
    util::SystemTime start;
    double duration_ms = 0;
};

struct RuntimeDoneEvent {
    util::SystemTime time;
    std::string request_id;
    OutcomeKind kind = OutcomeKind::success;
    std::string error_type;
    double duration_ms = 0;
    std::size_t produced_bytes = 0;
    std::vector<Span> spans;
};

struct EndEvent {
    util::SystemTime time;
    std::string request_id;
};

struct ReportEvent {
    util::SystemTime time;
    std::string request_id;
    OutcomeKind kind = OutcomeKind::success;
    std::string error_type;
    Metrics metrics;
    // The time extensions took after the runtime was back on /next ("extensionOverhead").
    std::optional<Span> extension_overhead;
};

// lambda-emu's own remark about an invocation (e.g. which batch records would be retried): not
// part of the function's log stream, so never in a log tail.
struct NoticeEvent {
    util::SystemTime time;
    std::string request_id;
    std::string text;
};

using LogEvent = std::variant<InitStartEvent, InitReportEvent, StartEvent, FunctionLineEvent,
                              PlatformLineEvent, RuntimeDoneEvent, EndEvent, ReportEvent,
                              NoticeEvent, ExtensionStateEvent, SubscriptionEvent>;

// Receives a function's log stream. Implementations must be safe to call from several threads.
class LogSink {
  public:
    virtual ~LogSink() = default;
    virtual void emit(const LogEvent& event) = 0;
};

// Discards every event: for callers that keep only what a TailSink in front of it collects, or
// only the Outcome.
class NullLogSink final : public LogSink {
  public:
    void emit(const LogEvent&) override {}
};

}  // namespace lambda_emu::model
