// The HTTP request behind an API Gateway, Function URL or ALB event, read from the fields
// --method, --path, --query, --header and --body. Internal to events/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "events/build_context.h"
#include "events/path_template.h"
#include "util/result.h"

namespace lambda_emu::events {

using NameValues = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
    std::string method;               // upper case
    std::string path;                 // starts with '/'
    std::string raw_query;            // without '?', as given (still encoded)
    NameValues user_headers;          // from --header "Name: value", in order
    std::optional<std::string> body;  // absent when --body was not given
    std::string source_ip;
};

util::Result<HttpRequest> read_http_request(const BuildContext& context);

// The headers a client and the front door would send: defaults (Host, User-Agent, ...), then
// Content-Type and Content-Length for a body, with any default the user names replaced by the
// user's header (names compared without case).
NameValues merge_headers(const NameValues& defaults, const HttpRequest& request);

// The value of a header (names compared without case); the last one wins.
std::string header_value(const NameValues& headers, std::string_view name);

std::string lower(std::string_view text);

// The decoded query parameters, in order; an error names the malformed part.
util::Result<NameValues> decoded_query(std::string_view raw_query);

}  // namespace lambda_emu::events
