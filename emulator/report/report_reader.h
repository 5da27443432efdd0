// Reads the service's REPORT lines (lambda-facts section 4) back into figures: lambda-emu's own
// logs, or lines exported from CloudWatch Logs (which may carry a timestamp or other text before
// "REPORT RequestId:", and whose tabs may have become runs of spaces when copied).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace lambda_emu::report {

struct ReportRecord {
    std::size_t line = 0;  // 1-based line number in the input
    std::string request_id;
    double duration_ms = 0;
    double billed_duration_ms = 0;
    int memory_size_mb = 0;
    int max_memory_used_mb = 0;
    std::optional<double> init_duration_ms;
    std::optional<double> restore_duration_ms;
    std::string status;      // "" (success, no Status field), "timeout", "error", ...
    std::string error_type;  // the "Error Type" field, if any
};

// One line: nothing when it is not a REPORT line (START, END, application output, blank);
// an error naming the reason when it is a REPORT line that is malformed (a missing required
// field, a number that does not parse, an unknown field).
util::Result<std::optional<ReportRecord>> read_report_line(std::string_view line,
                                                           std::size_t line_number);

// Every REPORT line of a text; the first malformed one is an error "line N: reason".
util::Result<std::vector<ReportRecord>> read_report_lines(std::string_view text);

}  // namespace lambda_emu::report
