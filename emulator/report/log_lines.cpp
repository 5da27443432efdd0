#include "report/log_lines.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "model/json_codec.h"
#include "util/time_format.h"

namespace lambda_emu::report {

namespace {

using model::OutcomeKind;
using Json = nlohmann::ordered_json;

constexpr const char* k_runtime_version = "provided:al2023";

const char* phase_name(model::InitPhase p) {
    return p == model::InitPhase::init ? "init" : "invoke";
}

double three_decimals(double v) { return std::round(v * 1000.0) / 1000.0; }

std::string dump(const Json& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Json envelope(util::SystemTime time, const char* type, Json record) {
    Json j;
    j["time"] = util::iso8601_ms(time);
    j["type"] = type;
    j["record"] = std::move(record);
    return j;
}

// The REPORT "Status" suffix, without leading or trailing tab; empty when none is shown.
std::string status_suffix(OutcomeKind kind, const std::string& error_type) {
    switch (kind) {
        case OutcomeKind::success:
        case OutcomeKind::function_error:
            return {};
        case OutcomeKind::timeout:
            return "Status: timeout";
        default:
            return "Status: error\tError Type: " + error_type;
    }
}

struct TextFormatter {
    std::string operator()(const model::InitStartEvent&) const {
        return std::string("INIT_START Runtime Version: ") + k_runtime_version;
    }
    std::string operator()(const model::InitReportEvent& e) const {
        if (e.status == "success") return {};
        std::string s = "INIT_REPORT Init Duration: " + two_decimals(e.duration_ms) +
                        " ms\tPhase: " + phase_name(e.phase) + "\tStatus: " + e.status;
        if (!e.error_type.empty()) s += "\tError Type: " + e.error_type;
        return s;
    }
    std::string operator()(const model::StartEvent& e) const {
        return "START RequestId: " + e.request_id + " Version: " + e.version;
    }
    std::string operator()(const model::FunctionLineEvent& e) const { return e.text; }
    std::string operator()(const model::PlatformLineEvent& e) const { return e.text; }
    std::string operator()(const model::RuntimeDoneEvent&) const { return {}; }
    std::string operator()(const model::NoticeEvent& e) const { return e.text; }
    std::string operator()(const model::ExtensionStateEvent& e) const {
        std::string s = "EXTENSION\tName: " + e.name + "\tState: " + e.state + "\tEvents: [" +
                        joined(e.events, false) + "]";
        if (!e.error_type.empty()) s += "\tError Type: " + e.error_type;
        return s;
    }
    std::string operator()(const model::SubscriptionEvent& e) const {
        return std::string(e.logs_api ? "LOGS" : "TELEMETRY") + "\tName: " + e.name +
               "\tState: Subscribed\tTypes: [" + joined(e.types, true) + "]";
    }
    // "INVOKE, SHUTDOWN"; "Platform, Function" when capitalised.
    static std::string joined(const std::vector<std::string>& items, bool capitalise) {
        std::string out;
        for (const auto& item : items) {
            if (!out.empty()) out += ", ";
            std::string word = item;
            if (capitalise && !word.empty()) {
                word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
            }
            out += word;
        }
        return out;
    }
    std::string operator()(const model::EndEvent& e) const {
        return "END RequestId: " + e.request_id;
    }
    std::string operator()(const model::ReportEvent& e) const {
        const model::Metrics& m = e.metrics;
        std::string s = "REPORT RequestId: " + e.request_id +
                        "\tDuration: " + two_decimals(m.duration_ms) +
                        " ms\tBilled Duration: " + std::to_string(m.billed_duration_ms) +
                        " ms\tMemory Size: " + std::to_string(m.memory_size_mb) +
                        " MB\tMax Memory Used: " + std::to_string(m.max_memory_used_mb) + " MB\t";
        if (m.init_duration_ms)
            s += "Init Duration: " + two_decimals(*m.init_duration_ms) + " ms\t";
        std::string status = status_suffix(e.kind, e.error_type);
        if (!status.empty()) s += status + "\t";
        return s;
    }
};

struct JsonFormatter {
    std::string operator()(const model::InitStartEvent& e) const {
        Json r;
        r["initializationType"] = e.initialization_type;
        r["phase"] = phase_name(e.phase);
        r["runtimeVersion"] = k_runtime_version;
        r["functionName"] = e.function_name;
        r["functionVersion"] = e.version;
        return dump(envelope(e.time, "platform.initStart", std::move(r)));
    }
    std::string operator()(const model::InitReportEvent& e) const {
        Json done;
        done["initializationType"] = e.initialization_type;
        done["phase"] = phase_name(e.phase);
        done["status"] = e.status;
        if (!e.error_type.empty()) done["errorType"] = e.error_type;
        Json report = done;
        report["metrics"] = Json{{"durationMs", three_decimals(e.duration_ms)}};
        return dump(envelope(e.time, "platform.initRuntimeDone", std::move(done))) + "\n" +
               dump(envelope(e.time, "platform.initReport", std::move(report)));
    }
    std::string operator()(const model::StartEvent& e) const {
        Json r;
        r["requestId"] = e.request_id;
        r["version"] = e.version;
        return dump(envelope(e.time, "platform.start", std::move(r)));
    }
    std::string operator()(const model::FunctionLineEvent& e) const {
        if (model::is_json_object(e.text)) return e.text;
        return application_line(e.time, "INFO", e.request_id, e.text);
    }
    std::string operator()(const model::PlatformLineEvent& e) const {
        return application_line(e.time, "ERROR", e.request_id, e.text);
    }
    std::string operator()(const model::RuntimeDoneEvent& e) const {
        Json r;
        r["requestId"] = e.request_id;
        r["status"] = model::status_name(e.kind);
        if (!e.error_type.empty() && e.kind != OutcomeKind::success) r["errorType"] = e.error_type;
        if (!e.spans.empty()) {
            Json spans = Json::array();
            for (const auto& span : e.spans) spans.push_back(span_json(span));
            r["spans"] = std::move(spans);
        }
        r["metrics"] = Json{{"durationMs", three_decimals(e.duration_ms)},
                            {"producedBytes", e.produced_bytes}};
        return dump(envelope(e.time, "platform.runtimeDone", std::move(r)));
    }
    std::string operator()(const model::EndEvent&) const { return {}; }
    std::string operator()(const model::ExtensionStateEvent& e) const {
        Json r;
        r["name"] = e.name;
        r["state"] = e.state;
        r["events"] = e.events;
        if (!e.error_type.empty()) r["errorType"] = e.error_type;
        return dump(envelope(e.time, "platform.extension", std::move(r)));
    }
    std::string operator()(const model::SubscriptionEvent& e) const {
        Json r;
        r["name"] = e.name;
        r["state"] = "Subscribed";
        r["types"] = e.types;
        return dump(envelope(
            e.time, e.logs_api ? "platform.logsSubscription" : "platform.telemetrySubscription",
            std::move(r)));
    }
    std::string operator()(const model::NoticeEvent& e) const {
        Json r;
        r["requestId"] = e.request_id;
        r["message"] = e.text;
        return dump(envelope(e.time, "lambda-emu.notice", std::move(r)));
    }
    std::string operator()(const model::ReportEvent& e) const {
        const model::Metrics& m = e.metrics;
        Json r;
        r["requestId"] = e.request_id;
        r["status"] = model::status_name(e.kind);
        if (!e.error_type.empty() && e.kind != OutcomeKind::success) r["errorType"] = e.error_type;
        Json metrics;
        metrics["durationMs"] = three_decimals(m.duration_ms);
        metrics["billedDurationMs"] = m.billed_duration_ms;
        metrics["memorySizeMB"] = m.memory_size_mb;
        metrics["maxMemoryUsedMB"] = m.max_memory_used_mb;
        if (m.init_duration_ms) metrics["initDurationMs"] = three_decimals(*m.init_duration_ms);
        r["metrics"] = std::move(metrics);
        if (e.extension_overhead) r["spans"] = Json::array({span_json(*e.extension_overhead)});
        return dump(envelope(e.time, "platform.report", std::move(r)));
    }

    static Json span_json(const model::Span& span) {
        Json j;
        j["name"] = span.name;
        j["start"] = util::iso8601_ms(span.start);
        j["durationMs"] = three_decimals(span.duration_ms);
        return j;
    }

    static std::string application_line(util::SystemTime time, const char* level,
                                        const std::string& request_id, const std::string& text) {
        Json j;
        j["timestamp"] = util::iso8601_ms(time);
        j["level"] = level;
        if (!request_id.empty()) j["requestId"] = request_id;
        j["message"] = text;
        return dump(j);
    }
};

}  // namespace

std::string two_decimals(double ms) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", ms);
    return buf;
}

std::string format_text(const model::LogEvent& event) { return std::visit(TextFormatter{}, event); }

std::string format_json(const model::LogEvent& event) { return std::visit(JsonFormatter{}, event); }

std::string format(const model::LogEvent& event, LogFormat f) {
    return f == LogFormat::text ? format_text(event) : format_json(event);
}

}  // namespace lambda_emu::report
