#include "events/http_event.h"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "events/http_request.h"
#include "events/url_encoding.h"
#include "util/base64.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

using Json = nlohmann::ordered_json;

// A query component decoded ('+' as a space), or as sent when its %-escapes are malformed.
std::string lenient_decode(const std::string& text) {
    return url_decode(text, true).value_or(text);
}

// The request's headers with the front door's own: Host, X-Forwarded-* and a trace id.
HeaderList front_door_headers(const HttpRequestData& request, const std::string& host,
                              const char* port, const char* proto, util::SystemTime now) {
    HeaderList out;
    std::string forwarded_for;
    bool has_trace = false;
    for (const auto& [name, value] : request.headers) {
        std::string key = lower(name);
        if (key == "host" || key == "x-forwarded-port" || key == "x-forwarded-proto") continue;
        if (key == "x-forwarded-for") {
            forwarded_for = value + ", ";
            continue;
        }
        if (key == "x-amzn-trace-id") has_trace = true;
        out.emplace_back(name, value);
    }
    out.emplace_back("Host", host);
    if (!has_trace) out.emplace_back("X-Amzn-Trace-Id", trace_root(now));
    out.emplace_back("X-Forwarded-For", forwarded_for + request.source_ip);
    out.emplace_back("X-Forwarded-Port", port);
    out.emplace_back("X-Forwarded-Proto", proto);
    return out;
}

std::string header_of(const HeaderList& headers, const std::string& name) {
    std::string found;
    for (const auto& [k, v] : headers) {
        if (lower(k) == name) found = v;
    }
    return found;
}

struct Body {
    Json text;  // a string, or null when there is none
    bool base64 = false;
};

Body body_of(const HttpRequestData& request, const HeaderList& headers, Json when_empty) {
    if (request.body.empty()) return {std::move(when_empty), false};
    if (is_text_body(header_of(headers, "content-type"), request.body)) return {request.body};
    return {util::base64_encode(request.body), true};
}

Json object_of(const HeaderList& pairs) {
    Json out = Json::object();
    for (const auto& [name, value] : pairs) out[name] = value;
    return out;
}

// Payload format 2.0: headers in lower case with repeats joined by commas, except Cookie, which
// becomes cookies[]; decoded query parameters with repeats joined by commas.
struct V2Request {
    Json headers = Json::object();
    std::vector<std::string> cookies;
    Json query = Json::object();
};

V2Request v2_request(const HttpRequestData& request, const HeaderList& headers) {
    V2Request out;
    for (const auto& [name, value] : headers) {
        std::string key = lower(name);
        if (key == "cookie") {
            std::string_view rest = value;
            while (!rest.empty()) {
                std::size_t semi = rest.find(';');
                std::string_view part = rest.substr(0, semi);
                while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
                if (!part.empty()) out.cookies.emplace_back(part);
                rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            }
        } else if (out.headers.contains(key)) {
            out.headers[key] = out.headers[key].get<std::string>() + "," + value;
        } else {
            out.headers[key] = value;
        }
    }
    for (const auto& [name, value] : split_query(request.raw_query)) {
        std::string k = lenient_decode(name);
        std::string v = lenient_decode(value);
        out.query[k] = out.query.contains(k) ? out.query[k].get<std::string>() + "," + v : v;
    }
    return out;
}

Json v2_event(const HttpRequestData& request, const HeaderList& headers,
              const std::string& route_key, Json request_context) {
    V2Request v2 = v2_request(request, headers);
    request_context["http"] = {{"method", request.method},
                               {"path", request.raw_path},
                               {"protocol", "HTTP/1.1"},
                               {"sourceIp", request.source_ip},
                               {"userAgent", header_of(headers, "user-agent")}};
    Json e;
    e["version"] = "2.0";
    e["routeKey"] = route_key;
    e["rawPath"] = request.raw_path;
    e["rawQueryString"] = request.raw_query;
    if (!v2.cookies.empty()) e["cookies"] = v2.cookies;
    e["headers"] = v2.headers;
    if (!v2.query.empty()) e["queryStringParameters"] = v2.query;
    e["requestContext"] = std::move(request_context);
    Body body = body_of(request, headers, nullptr);
    if (!body.text.is_null()) e["body"] = body.text;
    e["isBase64Encoded"] = body.base64;
    return e;
}

// The event as sent. A request's path, query or headers may hold bytes that are not UTF-8 (its
// body never does: such a body is base64-encoded); they become U+FFFD rather than an exception.
std::string event_text(const Json& e) {
    return e.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string execute_api_domain(const GatewayContext& context) {
    return context.api_id + ".execute-api." + context.region + ".amazonaws.com";
}

}  // namespace

std::string gateway_request_id() {
    return random_chars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 15) + "=";
}

bool is_text_body(const std::string& content_type, const std::string& body) {
    std::string ct = lower(content_type);
    bool text_type = ct.empty();
    for (const char* marker :
         {"text/", "json", "xml", "javascript", "x-www-form-urlencoded", "yaml"}) {
        if (ct.find(marker) != std::string::npos) text_type = true;
    }
    return text_type && is_utf8(body);
}

std::string clf_time(util::SystemTime t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    return buf;
}

std::string function_url_event(const HttpRequestData& request, const FunctionUrlContext& context) {
    std::string domain = context.url_id + ".lambda-url." + context.region + ".on.aws";
    HeaderList headers = front_door_headers(request, domain, "443", "https", context.time);
    // A URL with AuthType NONE reports its caller's account as "anonymous".
    Json ctx = {{"accountId", "anonymous"},
                {"apiId", context.url_id},
                {"authentication", nullptr},
                {"domainName", domain},
                {"domainPrefix", context.url_id},
                {"http", nullptr},
                {"requestId", context.request_id},
                {"routeKey", "$default"},
                {"stage", "$default"},
                {"time", clf_time(context.time)},
                {"timeEpoch", util::epoch_ms(context.time)}};
    // A URL sets the fields it does not use to null.
    Json e = v2_event(request, headers, "$default", std::move(ctx));
    e["pathParameters"] = nullptr;
    e["stageVariables"] = nullptr;
    return event_text(e);
}

std::string http_api_event(const HttpRequestData& request, const GatewayContext& context) {
    std::string domain = execute_api_domain(context);
    HeaderList headers = front_door_headers(request, domain, "443", "https", context.time);
    Json ctx = {{"accountId", context.account},
                {"apiId", context.api_id},
                {"domainName", domain},
                {"domainPrefix", context.api_id},
                {"http", nullptr},
                {"requestId", context.request_id},
                {"routeKey", context.route},
                {"stage", context.stage},
                {"time", clf_time(context.time)},
                {"timeEpoch", util::epoch_ms(context.time)}};
    Json e = v2_event(request, headers, context.route, std::move(ctx));
    if (!context.path_parameters.empty()) e["pathParameters"] = object_of(context.path_parameters);
    if (!context.stage_variables.empty()) e["stageVariables"] = object_of(context.stage_variables);
    return event_text(e);
}

std::string rest_api_event(const HttpRequestData& request, const GatewayContext& context) {
    std::string domain = execute_api_domain(context);
    HeaderList headers = front_door_headers(request, domain, "443", "https", context.time);
    Json single = Json::object();
    Json multi = Json::object();
    for (const auto& [name, value] : headers) {
        single[name] = value;  // the last of repeats
        multi[name].push_back(value);
    }
    Json query = nullptr;
    Json multi_query = nullptr;
    for (const auto& [name, value] : split_query(request.raw_query)) {
        std::string k = lenient_decode(name);
        std::string v = lenient_decode(value);
        query[k] = v;
        multi_query[k].push_back(v);
    }
    std::string user_agent = header_of(headers, "user-agent");
    Json identity = {{"cognitoIdentityPoolId", nullptr},
                     {"accountId", nullptr},
                     {"cognitoIdentityId", nullptr},
                     {"caller", nullptr},
                     {"sourceIp", request.source_ip},
                     {"principalOrgId", nullptr},
                     {"accessKey", nullptr},
                     {"cognitoAuthenticationType", nullptr},
                     {"cognitoAuthenticationProvider", nullptr},
                     {"userArn", nullptr},
                     {"userAgent", user_agent},
                     {"user", nullptr}};
    Json ctx = {{"resourceId", random_lower_alnum(6)},
                {"resourcePath", context.route},
                {"httpMethod", request.method},
                {"extendedRequestId", gateway_request_id()},
                {"requestTime", clf_time(context.time)},
                {"path", "/" + context.stage + request.raw_path},
                {"accountId", context.account},
                {"protocol", "HTTP/1.1"},
                {"stage", context.stage},
                {"domainPrefix", context.api_id},
                {"requestTimeEpoch", util::epoch_ms(context.time)},
                {"requestId", context.request_id},
                {"identity", identity},
                {"domainName", domain},
                {"apiId", context.api_id}};
    Body body = body_of(request, headers, nullptr);
    Json e;
    e["resource"] = context.route;
    e["path"] = request.raw_path;
    e["httpMethod"] = request.method;
    e["headers"] = single;
    e["multiValueHeaders"] = multi;
    e["queryStringParameters"] = query;
    e["multiValueQueryStringParameters"] = multi_query;
    e["pathParameters"] =
        context.path_parameters.empty() ? Json(nullptr) : object_of(context.path_parameters);
    e["stageVariables"] =
        context.stage_variables.empty() ? Json(nullptr) : object_of(context.stage_variables);
    e["requestContext"] = ctx;
    e["body"] = body.text;
    e["isBase64Encoded"] = body.base64;
    return event_text(e);
}

std::string alb_event(const HttpRequestData& request, const GatewayContext& context) {
    std::string host = header_of(request.headers, "host");
    HeaderList headers = front_door_headers(request, host, "80", "http", context.time);
    Json e;
    e["requestContext"] = {{"elb", {{"targetGroupArn", context.target_group_arn}}}};
    e["httpMethod"] = request.method;
    e["path"] = request.raw_path;
    // An ALB leaves query names and values encoded as sent.
    std::vector<std::pair<std::string, std::string>> query = split_query(request.raw_query);
    if (context.multi_value_headers) {
        Json multi_query = Json::object();
        for (const auto& [name, value] : query) multi_query[name].push_back(value);
        Json multi = Json::object();
        for (const auto& [name, value] : headers) multi[lower(name)].push_back(value);
        e["multiValueQueryStringParameters"] = multi_query;
        e["multiValueHeaders"] = multi;
    } else {
        Json single_query = Json::object();
        for (const auto& [name, value] : query) single_query[name] = value;
        Json single = Json::object();
        for (const auto& [name, value] : headers) single[lower(name)] = value;
        e["queryStringParameters"] = single_query;
        e["headers"] = single;
    }
    Body body = body_of(request, headers, "");
    e["body"] = body.text;
    e["isBase64Encoded"] = body.base64;
    return event_text(e);
}

}  // namespace lambda_emu::events
