// The service's log lines, text and JSON (lambda-facts section 4), from structured events.
#pragma once

#include <string>

#include "model/log_event.h"

namespace lambda_emu::report {

enum class LogFormat { text, json };

// The text of one event as it appears in CloudWatch, without a trailing newline. Some events are
// several lines (a crash notice); some have no text form (empty string: nothing to print).
std::string format_text(const model::LogEvent& event);

// One JSON record per line; empty when the event has no JSON form.
std::string format_json(const model::LogEvent& event);

std::string format(const model::LogEvent& event, LogFormat format);

// "12.34": two decimals, as Duration and Init Duration show.
std::string two_decimals(double ms);

}  // namespace lambda_emu::report
