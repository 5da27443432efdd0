#include "telemetry/records.h"

#include <nlohmann/json.hpp>

#include "report/log_lines.h"
#include "util/time_format.h"

namespace lambda_emu::telemetry {

namespace {

using RecordJson = nlohmann::ordered_json;

std::string dump(const RecordJson& j) {
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Record line_record(util::SystemTime time, const char* type, const std::string& text,
                   bool json_logging) {
    RecordJson j;
    j["time"] = util::iso8601_ms(time);
    j["type"] = type;
    RecordJson parsed = json_logging ? RecordJson::parse(text, nullptr, false) : RecordJson();
    if (json_logging && parsed.is_object()) {
        j["record"] = std::move(parsed);
    } else {
        j["record"] = text;
    }
    return {type, dump(j)};
}

// Platform records: the JSON log format's records, one per line.
std::vector<Record> platform_records(const model::LogEvent& event) {
    std::vector<Record> out;
    std::string lines = report::format_json(event);
    std::size_t at = 0;
    while (at < lines.size()) {
        std::size_t end = lines.find('\n', at);
        if (end == std::string::npos) end = lines.size();
        if (end > at) out.push_back({"platform", lines.substr(at, end - at)});
        at = end + 1;
    }
    return out;
}

}  // namespace

std::vector<Record> records_of(const model::LogEvent& event, Api api, bool json_logging) {
    if (const auto* line = std::get_if<model::FunctionLineEvent>(&event)) {
        return {line_record(line->time, line->extension.empty() ? "function" : "extension",
                            line->text, json_logging)};
    }
    if (const auto* line = std::get_if<model::PlatformLineEvent>(&event)) {
        return {line_record(line->time, "function", line->text, false)};
    }
    if (std::holds_alternative<model::NoticeEvent>(event)) return {};
    if (const auto* end = std::get_if<model::EndEvent>(&event)) {
        // The Logs API has platform.end; the Telemetry API has none.
        if (api != Api::logs) return {};
        RecordJson j;
        j["time"] = util::iso8601_ms(end->time);
        j["type"] = "platform.end";
        j["record"] = RecordJson{{"requestId", end->request_id}};
        return {{"platform", dump(j)}};
    }
    if (api == Api::logs && (std::holds_alternative<model::InitStartEvent>(event) ||
                             std::holds_alternative<model::InitReportEvent>(event))) {
        return {};  // Init records came with the Telemetry API
    }
    return platform_records(event);
}

}  // namespace lambda_emu::telemetry
