#include "cli/log_options.h"

#include <CLI/CLI.hpp>

#include "cli/usage_error.h"

namespace lambda_emu::cli {

void add_log_options(CLI::App& cmd, LogOptions& o) {
    cmd.add_option("--log-format", o.format,
                   "text: START/END/REPORT lines; json: the service's platform.* records and "
                   "JSON application lines. Also sets the function's AWS_LAMBDA_LOG_FORMAT "
                   "(default: text, or the function's \"log_format\" in lambda-emu.json)")
        ->check(CLI::IsMember({"text", "json"}));
    cmd.add_option("--log-level", o.level,
                   "With --log-format json: drop the function's lines below LEVEL (TRACE, DEBUG, "
                   "INFO, WARN, ERROR, FATAL; a line without a JSON \"level\" counts as INFO); "
                   "sets AWS_LAMBDA_LOG_LEVEL");
    cmd.add_option("--system-log-level", o.system_level,
                   "With --log-format json: drop platform records below LEVEL (DEBUG, INFO, WARN; "
                   "platform.* records are INFO, those of a failure WARN)");
}

void check_log_options(const LogOptions& o) {
    if (!o.level.empty() && !report::application_level(o.level)) {
        throw UsageError("--log-level " + o.level +
                         ": must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL");
    }
    if (!o.system_level.empty() && !report::system_level(o.system_level)) {
        throw UsageError("--system-log-level " + o.system_level + ": must be DEBUG, INFO or WARN");
    }
    for (const auto& [name, value] :
         {std::pair<const char*, const std::string&>{"--log-level", o.level},
          std::pair<const char*, const std::string&>{"--system-log-level", o.system_level}}) {
        if (!value.empty() && o.format != "json") {
            throw UsageError(std::string(name) +
                             " needs --log-format json: the service filters by level only with "
                             "the JSON log format");
        }
    }
}

void apply_log_options(const LogOptions& o, model::FunctionConfig& f) {
    if (o.format == "text") {
        f.log_format = "Text";
        f.application_log_level.clear();
        f.system_log_level.clear();
    } else if (o.format == "json") {
        f.log_format = "JSON";
    }
    if (auto level = report::application_level(o.level))
        f.application_log_level = report::level_name(*level);
    if (auto level = report::system_level(o.system_level))
        f.system_log_level = report::level_name(*level);
}

report::LogFormat display_format(const model::FunctionConfig& f) {
    return f.log_format == "JSON" ? report::LogFormat::json : report::LogFormat::text;
}

}  // namespace lambda_emu::cli
