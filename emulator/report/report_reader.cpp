#include "report/report_reader.h"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>

namespace lambda_emu::report {

namespace {

using ReportJson = nlohmann::json;

// Where a REPORT line starts; the text before it (a timestamp, an export column) is skipped.
constexpr std::string_view k_report_marker = "REPORT RequestId:";
constexpr std::string_view k_report_word = "REPORT ";
constexpr std::string_view k_json_report_type = "platform.report";
constexpr std::string_view k_success_status = "success";
// Longest piece of the input quoted back in an error message.
constexpr std::size_t k_max_quoted = 80;

enum class ReportField {
    request_id,
    duration,
    billed_duration,
    memory_size,
    max_memory_used,
    init_duration,
    restore_duration,
    status,
    error_type,
};
constexpr std::size_t k_report_field_count = 9;

enum class FieldValue { word, milliseconds, megabytes };

struct ReportFieldSpec {
    ReportField field;
    std::string_view name;  // without the colon
    FieldValue value;
};

constexpr std::array<ReportFieldSpec, k_report_field_count> k_report_fields{{
    {ReportField::request_id, "RequestId", FieldValue::word},
    {ReportField::duration, "Duration", FieldValue::milliseconds},
    {ReportField::billed_duration, "Billed Duration", FieldValue::milliseconds},
    {ReportField::memory_size, "Memory Size", FieldValue::megabytes},
    {ReportField::max_memory_used, "Max Memory Used", FieldValue::megabytes},
    {ReportField::init_duration, "Init Duration", FieldValue::milliseconds},
    {ReportField::restore_duration, "Restore Duration", FieldValue::milliseconds},
    {ReportField::status, "Status", FieldValue::word},
    {ReportField::error_type, "Error Type", FieldValue::word},
}};

// The fields every REPORT line carries, in the order a missing one is named.
constexpr std::array<ReportField, 5> k_required_report_fields{
    ReportField::request_id, ReportField::duration, ReportField::billed_duration,
    ReportField::memory_size, ReportField::max_memory_used};

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::size_t skip_blanks(std::string_view text, std::size_t pos) {
    while (pos < text.size() && is_blank(text[pos])) ++pos;
    return pos;
}

std::size_t word_end(std::string_view text, std::size_t pos) {
    while (pos < text.size() && !is_blank(text[pos])) ++pos;
    return pos;
}

std::string_view trim_blanks(std::string_view text) {
    while (!text.empty() && (is_blank(text.front()) || text.front() == '\r')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (is_blank(text.back()) || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

// The input quoted in an error message, shortened when long.
std::string quoted(std::string_view text) {
    if (text.size() <= k_max_quoted) return "\"" + std::string(text) + "\"";
    return "\"" + std::string(text.substr(0, k_max_quoted)) + "...\"";
}

// A JSON value as written, shortened when long (strings keep their own quotes).
std::string json_text(const ReportJson& value) {
    std::string text = value.dump(-1, ' ', false, ReportJson::error_handler_t::replace);
    if (text.size() > k_max_quoted) text = text.substr(0, k_max_quoted) + "...";
    return text;
}

std::string field_name(ReportField field) {
    return std::string(k_report_fields[static_cast<std::size_t>(field)].name);
}

// The known field whose "Name:" starts at pos, if any.
const ReportFieldSpec* report_field_at(std::string_view text, std::size_t pos) {
    const std::string_view rest = text.substr(pos);
    for (const ReportFieldSpec& spec : k_report_fields) {
        if (rest.size() > spec.name.size() && rest.starts_with(spec.name) &&
            rest[spec.name.size()] == ':') {
            return &spec;
        }
    }
    return nullptr;
}

// The end of text that is not a known field: the next tab, or the next known field after a
// blank, or the end.
std::size_t stray_text_end(std::string_view text, std::size_t pos) {
    for (std::size_t i = pos + 1; i < text.size(); ++i) {
        if (text[i] == '\t') return i;
        if (text[i - 1] == ' ' && report_field_at(text, i) != nullptr) return i;
    }
    return text.size();
}

// A finite, non-negative decimal number.
std::optional<double> parse_figure(std::string_view text) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
    if (!std::isfinite(v) || v < 0) return std::nullopt;
    return v;
}

// A non-negative whole number that fits an int.
std::optional<int> parse_whole_figure(std::string_view text) {
    int v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || end != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

std::string status_of(std::string_view status) {
    return status == k_success_status ? std::string() : std::string(status);
}

class LineErrors {
  public:
    explicit LineErrors(std::size_t line_number) : m_line_number(line_number) {}
    util::Error operator()(const std::string& reason) const {
        return util::make_error("line " + std::to_string(m_line_number) + ": " + reason);
    }

  private:
    std::size_t m_line_number;
};

// The text of a REPORT line from its "RequestId:" on.
util::Result<std::optional<ReportRecord>> read_text_report(std::string_view text,
                                                           std::size_t line_number) {
    const LineErrors fail(line_number);
    ReportRecord record;
    record.line = line_number;
    std::array<bool, k_report_field_count> seen{};
    std::size_t pos = 0;
    while ((pos = skip_blanks(text, pos)) < text.size()) {
        const ReportFieldSpec* spec = report_field_at(text, pos);
        if (spec == nullptr) {
            const std::string_view stray =
                trim_blanks(text.substr(pos, stray_text_end(text, pos) - pos));
            if (stray.find(':') != std::string_view::npos) {
                return fail("unknown field " + quoted(stray) + " in REPORT line");
            }
            return fail("unexpected text " + quoted(stray) + " in REPORT line");
        }
        const std::string name(spec->name);
        bool& field_seen = seen[static_cast<std::size_t>(spec->field)];
        if (field_seen) return fail("REPORT line has \"" + name + "\" twice");
        field_seen = true;

        pos = skip_blanks(text, pos + spec->name.size() + 1);
        if (pos >= text.size() || report_field_at(text, pos) != nullptr) {
            return fail("\"" + name + "\" has no value");
        }
        const std::size_t value_start = pos;
        pos = word_end(text, pos);
        const std::string_view value = text.substr(value_start, pos - value_start);
        if (spec->value != FieldValue::word) {
            if (spec->value == FieldValue::megabytes) {
                if (!parse_whole_figure(value)) {
                    return fail("\"" + name + "\" is not a whole number: " + quoted(value));
                }
            } else if (!parse_figure(value)) {
                return fail("\"" + name + "\" is not a number: " + quoted(value));
            }
            const std::string_view unit = spec->value == FieldValue::milliseconds ? "ms" : "MB";
            const std::size_t unit_start = skip_blanks(text, pos);
            if (unit_start >= text.size() || report_field_at(text, unit_start) != nullptr) {
                return fail("\"" + name + "\" has no unit \"" + std::string(unit) + "\"");
            }
            pos = word_end(text, unit_start);
            const std::string_view found = text.substr(unit_start, pos - unit_start);
            if (found != unit) {
                return fail("\"" + name + "\" is in " + quoted(found) + ", not \"" +
                            std::string(unit) + "\"");
            }
        }
        switch (spec->field) {
            case ReportField::request_id:
                record.request_id = std::string(value);
                break;
            case ReportField::duration:
                record.duration_ms = *parse_figure(value);
                break;
            case ReportField::billed_duration:
                record.billed_duration_ms = *parse_figure(value);
                break;
            case ReportField::memory_size:
                record.memory_size_mb = *parse_whole_figure(value);
                break;
            case ReportField::max_memory_used:
                record.max_memory_used_mb = *parse_whole_figure(value);
                break;
            case ReportField::init_duration:
                record.init_duration_ms = parse_figure(value);
                break;
            case ReportField::restore_duration:
                record.restore_duration_ms = parse_figure(value);
                break;
            case ReportField::status:
                record.status = status_of(value);
                break;
            case ReportField::error_type:
                record.error_type = std::string(value);
                break;
        }
    }
    for (ReportField required : k_required_report_fields) {
        if (!seen[static_cast<std::size_t>(required)]) {
            return fail("REPORT line has no \"" + field_name(required) + "\"");
        }
    }
    return std::optional<ReportRecord>(std::move(record));
}

enum class MetricRule { required, required_whole, optional };

// A number of record.metrics (nullopt when an optional one is absent), or the reason it is not
// usable, without the line number.
util::Result<std::optional<double>> json_metric(const ReportJson& metrics, const char* key,
                                                MetricRule rule) {
    const std::string name = std::string("\"metrics.") + key + "\"";
    const auto it = metrics.find(key);
    if (it == metrics.end() || it->is_null()) {
        if (rule == MetricRule::optional) return std::optional<double>();
        return util::make_error("platform.report record has no " + name);
    }
    if (!it->is_number()) return util::make_error(name + " is not a number: " + json_text(*it));
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < 0) {
        return util::make_error(name + " is negative: " + json_text(*it));
    }
    if (rule == MetricRule::required_whole &&
        (std::floor(v) != v || v > std::numeric_limits<int>::max())) {
        return util::make_error(name + " is not a whole number: " + json_text(*it));
    }
    return std::optional<double>(v);
}

// A parsed JSON log record of type platform.report.
util::Result<std::optional<ReportRecord>> read_json_report(const ReportJson& j,
                                                           std::size_t line_number) {
    const LineErrors fail(line_number);
    const auto record_it = j.find("record");
    if (record_it == j.end() || !record_it->is_object()) {
        return fail("platform.report has no \"record\" object");
    }
    const ReportJson& in = *record_it;
    ReportRecord record;
    record.line = line_number;

    const auto id = in.find("requestId");
    if (id == in.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
        return fail("platform.report record has no \"requestId\"");
    }
    record.request_id = id->get<std::string>();
    if (const auto status = in.find("status"); status != in.end() && !status->is_null()) {
        if (!status->is_string()) return fail("\"status\" is not a string: " + json_text(*status));
        record.status = status_of(status->get_ref<const std::string&>());
    }
    if (const auto type = in.find("errorType"); type != in.end() && !type->is_null()) {
        if (!type->is_string()) return fail("\"errorType\" is not a string: " + json_text(*type));
        record.error_type = type->get<std::string>();
    }

    const auto metrics_it = in.find("metrics");
    if (metrics_it == in.end() || !metrics_it->is_object()) {
        return fail("platform.report record has no \"metrics\" object");
    }
    const ReportJson& metrics = *metrics_it;
    auto duration = json_metric(metrics, "durationMs", MetricRule::required);
    if (!duration) return fail(duration.error().message);
    auto billed = json_metric(metrics, "billedDurationMs", MetricRule::required);
    if (!billed) return fail(billed.error().message);
    auto memory = json_metric(metrics, "memorySizeMB", MetricRule::required_whole);
    if (!memory) return fail(memory.error().message);
    auto used = json_metric(metrics, "maxMemoryUsedMB", MetricRule::required_whole);
    if (!used) return fail(used.error().message);
    auto init = json_metric(metrics, "initDurationMs", MetricRule::optional);
    if (!init) return fail(init.error().message);
    auto restore = json_metric(metrics, "restoreDurationMs", MetricRule::optional);
    if (!restore) return fail(restore.error().message);
    record.duration_ms = **duration;
    record.billed_duration_ms = **billed;
    record.memory_size_mb = static_cast<int>(**memory);
    record.max_memory_used_mb = static_cast<int>(**used);
    record.init_duration_ms = *init;
    record.restore_duration_ms = *restore;
    return std::optional<ReportRecord>(std::move(record));
}
// A line of the JSON log format: nothing when it is not JSON, or an answer (a record, or nothing
// for other JSON lines, or an error for a platform.report line that is not valid JSON).
std::optional<util::Result<std::optional<ReportRecord>>> read_json_line(std::string_view line,
                                                                        std::size_t line_number) {
    const bool names_report =
        line.find("\"" + std::string(k_json_report_type) + "\"") != std::string_view::npos;
    const bool starts_as_object = line.starts_with('{');
    if (!starts_as_object && !names_report) return std::nullopt;
    const std::size_t open = line.find('{');
    const std::size_t close = line.rfind('}');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
        if (starts_as_object && names_report) {
            return LineErrors(line_number)("platform.report record is not valid JSON");
        }
        return std::nullopt;
    }
    const std::string_view object = line.substr(open, close - open + 1);
    try {
        const ReportJson j = ReportJson::parse(object.begin(), object.end(), nullptr, false);
        if (j.is_discarded()) {
            if (starts_as_object && names_report) {
                return LineErrors(line_number)("platform.report record is not valid JSON");
            }
            return std::nullopt;  // text that merely has braces in it
        }
        const auto type = j.is_object() ? j.find("type") : j.end();
        if (!j.is_object() || type == j.end() || !type->is_string() ||
            type->get_ref<const std::string&>() != k_json_report_type) {
            // Another JSON record (application output, other platform events): not a REPORT
            // line, even when its message quotes one.
            return util::Result<std::optional<ReportRecord>>(std::nullopt);
        }
        return read_json_report(j, line_number);
    } catch (const nlohmann::json::exception& e) {
        return LineErrors(line_number)(std::string("platform.report record: ") + e.what());
    }
}

}  // namespace

util::Result<std::optional<ReportRecord>> read_report_line(std::string_view line,
                                                           std::size_t line_number) {
    // An X-Ray line inside the same CloudWatch event is not part of the REPORT line.
    if (const std::size_t newline = line.find('\n'); newline != std::string_view::npos) {
        line = line.substr(0, newline);
    }
    line = trim_blanks(line);
    if (auto json = read_json_line(line, line_number)) return std::move(*json);

    const std::size_t marker = line.find(k_report_marker);
    if (marker == std::string_view::npos) return std::optional<ReportRecord>();
    std::string_view text = line.substr(marker + k_report_word.size());
    // A quoted CSV column: the line ends at its closing quote (REPORT lines hold no quotes).
    if (marker > 0 && line[marker - 1] == '"') {
        if (const std::size_t quote = text.find('"'); quote != std::string_view::npos) {
            text = text.substr(0, quote);
        }
    }
    return read_text_report(text, line_number);
}

util::Result<std::vector<ReportRecord>> read_report_lines(std::string_view text) {
    std::vector<ReportRecord> records;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        ++line_number;
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto record = read_report_line(text.substr(start, end - start), line_number);
        if (!record) return record.error();
        if (record.value()) records.push_back(std::move(*record.value()));
        start = end + 1;
    }
    return records;
}

}  // namespace lambda_emu::report
