// The event generator: fresh, real-shaped events for each event source, in the manner of
// `sam local generate-event`. Values the user gives go in as given; every derived field (MD5s,
// URL-encoding, base64, gzip, string/epoch time pairs, ARNs) is computed from them, and ids and
// timestamps are new on every call.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.h"
#include "util/result.h"

namespace lambda_emu::events {

// One `--name VALUE` a generator accepts.
struct FieldSpec {
    std::string name;        // without the leading "--"
    std::string value_name;  // for help text: "NAME", "JSON", "N"
    std::string help;        // one line, saying the default
    bool repeatable = false;
};

struct EventKind {
    std::string source;       // "s3"
    std::string type;         // "put"; empty for a source with one kind of event
    std::string description;  // one line
    std::vector<FieldSpec> fields;

    std::string label() const { return type.empty() ? source : source + " " + type; }
};

// Every kind of event, in listing order. The fields of each end with --region and --account.
const std::vector<EventKind>& event_kinds();

// The kinds of one source; the error lists the valid sources.
util::Result<std::vector<const EventKind*>> kinds_of(std::string_view source);

// Field name -> values given (several only for a repeatable field).
using FieldValues = std::map<std::string, std::vector<std::string>>;

struct EventRequest {
    const EventKind* kind = nullptr;  // into event_kinds()
    FieldValues fields;
};

// "SOURCE [TYPE] [--name VALUE | --name=VALUE]...". A source with several types takes its first
// (s3 put, dynamodb insert) when TYPE is left out. Errors are one line naming what is valid.
util::Result<EventRequest> parse_event_args(const std::vector<std::string>& args);

// A fresh event: pretty JSON, 2-space indent, no trailing newline. Errors name the field and why
// its value is refused.
util::Result<std::string> generate_event(const EventRequest& request, const util::Clock& clock);

// Help for one kind: "SOURCE [TYPE]: description" then one line per field.
std::string describe_fields(const EventKind& kind);

}  // namespace lambda_emu::events
