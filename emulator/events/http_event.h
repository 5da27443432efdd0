// Events built from real HTTP requests, as a Function URL (payload format 2.0) builds them.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "util/clock.h"

namespace lambda_emu::events {

struct HttpRequestData {
    std::string method;
    std::string raw_path;   // as sent, without the query
    std::string raw_query;  // without '?'
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string source_ip;
};

struct FunctionUrlContext {
    std::string url_id;  // the 32-character id in <url-id>.lambda-url.<region>.on.aws
    std::string region = "us-east-1";
    std::string request_id;  // the event's requestContext.requestId
    util::SystemTime time;
};

// The Function URL event: lower-case headers with repeats joined by commas, cookies[] from the
// cookie header, rawQueryString and queryStringParameters (repeats joined by commas), and the
// body base64-encoded (isBase64Encoded) unless its content type is text.
std::string function_url_event(const HttpRequestData& request, const FunctionUrlContext& context);

// "12/Mar/2020:19:03:58 +0000"
std::string clf_time(util::SystemTime t);

}  // namespace lambda_emu::events
