// The Telemetry API's records (and the Logs API's) for one log event: each a JSON envelope
// {"time":...,"type":...,"record":...} with the type a subscriber filters on.
#pragma once

#include <string>
#include <vector>

#include "model/log_event.h"
#include "telemetry/subscription.h"

namespace lambda_emu::telemetry {

struct Record {
    std::string category;  // "platform", "function" or "extension": what a subscription names
    std::string json;
};

// `json_logging`: the function logs in JSON format, so a line that is a JSON object is passed as
// an object rather than a string.
std::vector<Record> records_of(const model::LogEvent& event, Api api, bool json_logging);

}  // namespace lambda_emu::telemetry
