// A Telemetry API (2022-07-01) or Logs API (2020-08-15) subscription request, checked against
// the documented schema: types, buffering (with each API's defaults and ranges) and destination.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace lambda_emu::telemetry {

enum class Api { telemetry, logs };

struct Buffering {
    int max_items = 0;
    int max_bytes = 0;
    int timeout_ms = 0;
};

struct Destination {
    enum class Protocol { http, tcp };
    Protocol protocol = Protocol::http;
    std::string host;  // where lambda-emu connects: sandbox.localdomain is 127.0.0.1
    int port = 0;
    std::string path;  // HTTP only, "/" when the URI has none
};

struct Subscription {
    Api api = Api::telemetry;
    std::vector<std::string> types;  // "platform", "function", "extension"
    Buffering buffering;
    Destination destination;
};

// The defaults and ranges of one API (the Telemetry API reference page; the Logs API page).
Buffering default_buffering(Api api);

// The subscription in `body`, or an error naming the field and the reason.
util::Result<Subscription> parse_subscription(Api api, std::string_view body);

}  // namespace lambda_emu::telemetry
