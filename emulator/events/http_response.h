// What an HTTP client of API Gateway (REST v1 or HTTP API v2), a Function URL or an ALB would
// receive for a handler's answer (lambda-facts section 9), so that `invoke` can show it and the
// HTTP front ends can send it.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace lambda_emu::events {

enum class HttpEventKind { none, apigw_v1, apigw_v2, alb };

// Which front end an event came from, judged by its shape.
HttpEventKind http_event_kind(const std::string& event);
const char* front_end_name(HttpEventKind kind);

struct HttpReply {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // in order, repeats allowed
    std::string body;     // decoded when the handler sent isBase64Encoded
    std::string problem;  // why the front end answered with an error of its own; empty otherwise

    // "HTTP/1.1 200 OK", the headers, a blank line and the body (binary bodies summarised).
    std::string describe() const;
};

// The front end's answer to `response` (the invocation's payload). A failed invocation, or a
// response the front end cannot read, gives the front end's own 502. alb_multi_value: the ALB
// target group has multi-value headers on (the response's multiValueHeaders are used instead
// of its headers).
HttpReply http_reply(HttpEventKind kind, const std::string& response, bool function_failed,
                     bool alb_multi_value = false);

// Whether an ALB event came from a target group with multi-value headers on.
bool alb_multi_value_event(const std::string& event);

}  // namespace lambda_emu::events
