// Events built from real HTTP requests, as the front doors build them: a Function URL and an
// HTTP API (payload format 2.0), an API Gateway REST API (v1 proxy integration) and an
// Application Load Balancer (lambda-facts section 9).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "util/clock.h"

namespace lambda_emu::events {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequestData {
    std::string method;
    std::string raw_path;   // as sent, without the query (and without an API's base path)
    std::string raw_query;  // without '?'
    HeaderList headers;     // as sent
    std::string body;
    std::string source_ip;
};

struct FunctionUrlContext {
    std::string url_id;  // the 32-character id in <url-id>.lambda-url.<region>.on.aws
    std::string region = "us-east-1";
    std::string request_id;  // the event's requestContext.requestId
    util::SystemTime time;
};

// What an API Gateway API or an ALB adds to the request: which API, stage and route matched.
struct GatewayContext {
    std::string api_id;  // 10 characters, in <api-id>.execute-api.<region>.amazonaws.com
    std::string region = "us-east-1";
    std::string account = "123456789012";
    std::string request_id;
    util::SystemTime time;
    std::string stage = "$default";  // REST APIs: the stage name
    // REST: the resource ("/orders/{id}"); HTTP API: the route key ("GET /orders/{id}" or
    // "$default").
    std::string route;
    HeaderList path_parameters;
    HeaderList stage_variables;
    std::string target_group_arn;      // ALB
    bool multi_value_headers = false;  // ALB: the target group's lambda.multi_value_headers
};

// The Function URL event: lower-case headers with repeats joined by commas, cookies[] from the
// cookie header, rawQueryString and queryStringParameters (repeats joined by commas), and the
// body base64-encoded (isBase64Encoded) unless its content type is text.
std::string function_url_event(const HttpRequestData& request, const FunctionUrlContext& context);

// An HTTP API event (payload format 2.0): as a Function URL's, with the route key, path
// parameters and stage variables.
std::string http_api_event(const HttpRequestData& request, const GatewayContext& context);

// A REST API proxy-integration event: headers as sent (the last of repeats) and
// multiValueHeaders, decoded queryStringParameters and multiValueQueryStringParameters (null
// when there are none), pathParameters, stageVariables and the requestContext of the stage.
std::string rest_api_event(const HttpRequestData& request, const GatewayContext& context);

// An ALB event: lower-case headers and query values left encoded; with multi-value headers on,
// multiValueHeaders and multiValueQueryStringParameters instead of headers and
// queryStringParameters (where the last of repeats wins).
std::string alb_event(const HttpRequestData& request, const GatewayContext& context);

// An HTTP API requestId or a REST API extendedRequestId: "d4jUe3aU0snrW1I=".
std::string gateway_request_id();

// Whether a body of this content type reaches the function as text (else base64).
bool is_text_body(const std::string& content_type, const std::string& body);

// "12/Mar/2020:19:03:58 +0000"
std::string clf_time(util::SystemTime t);

}  // namespace lambda_emu::events
