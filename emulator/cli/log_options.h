// --log-format, --log-level and --system-log-level: the function's LoggingConfig from the
// command line, shared by invoke, serve, watch, test and bench.
#pragma once

#include <string>

#include "model/function_config.h"
#include "report/level_filter.h"
#include "report/log_lines.h"

namespace CLI {
class App;
}

namespace lambda_emu::cli {

struct LogOptions {
    std::string format;        // "text", "json"; empty: not given
    std::string level;         // application level as given; empty: not given
    std::string system_level;  // system level as given; empty: not given
};

void add_log_options(CLI::App& cmd, LogOptions& options);

// Checks the options: known level names, and levels only with --log-format json (the service
// filters by level only with the JSON format). Throws UsageError naming the option.
void check_log_options(const LogOptions& options);

// Sets the function's LoggingConfig from the options that were given (they win over
// lambda-emu.json): log_format "Text" or "JSON" (text clears the levels), the levels in capitals.
void apply_log_options(const LogOptions& options, model::FunctionConfig& function);

// How the function's log stream is shown: JSON records when its log_format is JSON, else text.
report::LogFormat display_format(const model::FunctionConfig& function);

}  // namespace lambda_emu::cli
