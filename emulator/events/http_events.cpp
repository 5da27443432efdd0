// API Gateway REST (v1 proxy), HTTP API (payload 2.0), Function URL and ALB events.
#include <algorithm>

#include "events/builders.h"
#include "events/http_event.h"  // clf_time
#include "events/http_request.h"
#include "events/url_encoding.h"
#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

constexpr std::string_view k_user_agent = "curl/7.88.1";

Json object_of(const NameValues& pairs) {
    Json out = Json::object();
    for (const auto& [name, value] : pairs) out[name] = value;
    return out;
}

NameValues front_door_headers(const HttpRequest& request, const std::string& host,
                              util::SystemTime now, std::string_view port, std::string_view proto) {
    return {{"Accept", "*/*"},
            {"Host", host},
            {"User-Agent", std::string(k_user_agent)},
            {"X-Amzn-Trace-Id", trace_root(now)},
            {"X-Forwarded-For", request.source_ip},
            {"X-Forwarded-Port", std::string(port)},
            {"X-Forwarded-Proto", std::string(proto)}};
}

// Lower-case names, as HTTP APIs, Function URLs and ALBs deliver them.
NameValues lowered(const NameValues& headers) {
    NameValues out;
    for (const auto& [name, value] : headers) out.emplace_back(lower(name), value);
    return out;
}

struct V2Headers {
    Json headers = Json::object();
    std::vector<std::string> cookies;
};

// Payload 2.0: repeated headers joined with commas; Cookie headers become cookies[].
V2Headers v2_headers(const NameValues& merged) {
    V2Headers out;
    for (const auto& [name, value] : lowered(merged)) {
        if (name == "cookie") {
            std::string_view rest = value;
            while (!rest.empty()) {
                std::size_t semi = rest.find(';');
                std::string_view part = rest.substr(0, semi);
                while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
                if (!part.empty()) out.cookies.emplace_back(part);
                rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            }
        } else if (out.headers.contains(name)) {
            out.headers[name] = out.headers[name].get<std::string>() + "," + value;
        } else {
            out.headers[name] = value;
        }
    }
    return out;
}

// Payload 2.0 queryStringParameters: decoded, repeated values joined with commas.
Json v2_query(const NameValues& decoded) {
    Json out = Json::object();
    for (const auto& [name, value] : decoded) {
        out[name] = out.contains(name) ? out[name].get<std::string>() + "," + value : value;
    }
    return out;
}

struct V2Route {
    std::string route_key;             // "$default" or "POST /orders/{id}"
    std::optional<NameValues> params;  // absent for $default
};

util::Result<V2Route> v2_route(const BuildContext& context, const HttpRequest& request) {
    std::string route = context.get("route", "$default");
    if (route == "$default") return V2Route{route, std::nullopt};
    std::string method = request.method;
    std::string path_template = route;
    std::size_t space = route.find(' ');
    if (space != std::string::npos) {
        method = route.substr(0, space);
        path_template = route.substr(space + 1);
        if (method != "ANY" && method != request.method) {
            return util::make_error("--route " + route + ": does not match --method " +
                                    request.method);
        }
    }
    auto params = match_path_template(path_template, request.path);
    if (!params) {
        return util::make_error("--route " + route + ": does not match --path " + request.path);
    }
    return V2Route{method + " " + path_template, params};
}

// The payload 2.0 document shared by HTTP APIs and Function URLs.
struct V2Parts {
    HttpRequest request;
    V2Headers headers;
    Json query;
};

util::Result<V2Parts> v2_parts(const BuildContext& context, const std::string& host) {
    auto request = read_http_request(context);
    if (!request) return request.error();
    NameValues merged =
        merge_headers(front_door_headers(*request, host, context.now(), "443", "https"), *request);
    auto decoded = decoded_query(request->raw_query);
    if (!decoded) return decoded.error();
    return V2Parts{*request, v2_headers(merged), v2_query(*decoded)};
}

Json v2_http(const V2Parts& parts) {
    return {{"method", parts.request.method},
            {"path", parts.request.path},
            {"protocol", "HTTP/1.1"},
            {"sourceIp", parts.request.source_ip},
            {"userAgent", parts.headers.headers.value("user-agent", "")}};
}

void add_v2_request_line(Json& event, const V2Parts& parts, const std::string& route_key) {
    event["version"] = "2.0";
    event["routeKey"] = route_key;
    event["rawPath"] = parts.request.path;
    event["rawQueryString"] = parts.request.raw_query;
    if (!parts.headers.cookies.empty()) event["cookies"] = parts.headers.cookies;
    event["headers"] = parts.headers.headers;
    if (!parts.query.empty()) event["queryStringParameters"] = parts.query;
}

}  // namespace

util::Result<Json> build_apigw(const BuildContext& context) {
    auto request = read_http_request(context);
    if (!request) return request.error();
    std::string resource = context.get("resource", request->path == "/" ? "/" : "/{proxy+}");
    auto params = match_path_template(resource, request->path);
    if (!params) {
        return util::make_error("--resource " + resource + ": does not match --path " +
                                request->path);
    }
    std::string stage = context.get("stage", "prod");
    std::string api_id = random_lower_alnum(10);
    std::string domain = api_id + ".execute-api." + context.region() + ".amazonaws.com";
    NameValues headers = merge_headers(
        front_door_headers(*request, domain, context.now(), "443", "https"), *request);

    Json single = Json::object();
    Json multi = Json::object();
    for (const auto& [name, value] : headers) {
        single[name] = value;
        multi[name].push_back(value);
    }
    auto decoded = decoded_query(request->raw_query);
    if (!decoded) return decoded.error();
    Json query = nullptr;
    Json multi_query = nullptr;
    for (const auto& [name, value] : *decoded) {
        query[name] = value;
        multi_query[name].push_back(value);
    }
    std::string user_agent = header_value(headers, "user-agent");

    Json identity = {{"cognitoIdentityPoolId", nullptr},
                     {"accountId", nullptr},
                     {"cognitoIdentityId", nullptr},
                     {"caller", nullptr},
                     {"sourceIp", request->source_ip},
                     {"principalOrgId", nullptr},
                     {"accessKey", nullptr},
                     {"cognitoAuthenticationType", nullptr},
                     {"cognitoAuthenticationProvider", nullptr},
                     {"userArn", nullptr},
                     {"userAgent", user_agent},
                     {"user", nullptr}};
    Json request_context = {{"resourceId", random_lower_alnum(6)},
                            {"resourcePath", resource},
                            {"httpMethod", request->method},
                            {"extendedRequestId", gateway_request_id()},
                            {"requestTime", clf_time(context.now())},
                            {"path", "/" + stage + request->path},
                            {"accountId", context.account()},
                            {"protocol", "HTTP/1.1"},
                            {"stage", stage},
                            {"domainPrefix", api_id},
                            {"requestTimeEpoch", util::epoch_ms(context.now())},
                            {"requestId", util::new_uuid()},
                            {"identity", identity},
                            {"domainName", domain},
                            {"apiId", api_id}};

    Json event;
    event["resource"] = resource;
    event["path"] = request->path;
    event["httpMethod"] = request->method;
    event["headers"] = single;
    event["multiValueHeaders"] = multi;
    event["queryStringParameters"] = query;
    event["multiValueQueryStringParameters"] = multi_query;
    event["pathParameters"] = params->empty() ? Json(nullptr) : object_of(*params);
    event["stageVariables"] = nullptr;
    event["requestContext"] = request_context;
    event["body"] = request->body ? Json(*request->body) : Json(nullptr);
    event["isBase64Encoded"] = false;
    return event;
}

util::Result<Json> build_apigw_v2(const BuildContext& context) {
    std::string api_id = random_lower_alnum(10);
    std::string domain = api_id + ".execute-api." + context.region() + ".amazonaws.com";
    auto parts = v2_parts(context, domain);
    if (!parts) return parts.error();
    auto route = v2_route(context, parts->request);
    if (!route) return route.error();

    Json event;
    add_v2_request_line(event, *parts, route->route_key);
    event["requestContext"] = {{"accountId", context.account()},
                               {"apiId", api_id},
                               {"domainName", domain},
                               {"domainPrefix", api_id},
                               {"http", v2_http(*parts)},
                               {"requestId", gateway_request_id()},
                               {"routeKey", route->route_key},
                               {"stage", "$default"},
                               {"time", clf_time(context.now())},
                               {"timeEpoch", util::epoch_ms(context.now())}};
    if (route->params && !route->params->empty()) {
        event["pathParameters"] = object_of(*route->params);
    }
    if (parts->request.body) event["body"] = *parts->request.body;
    event["isBase64Encoded"] = false;
    return event;
}

util::Result<Json> build_function_url(const BuildContext& context) {
    std::string url_id = random_lower_alnum(32);
    std::string domain = url_id + ".lambda-url." + context.region() + ".on.aws";
    auto parts = v2_parts(context, domain);
    if (!parts) return parts.error();

    Json event;
    add_v2_request_line(event, *parts, "$default");
    // A URL with AuthType NONE reports its caller's account as "anonymous".
    event["requestContext"] = {{"accountId", "anonymous"},
                               {"apiId", url_id},
                               {"authentication", nullptr},
                               {"domainName", domain},
                               {"domainPrefix", url_id},
                               {"http", v2_http(*parts)},
                               {"requestId", util::new_uuid()},
                               {"routeKey", "$default"},
                               {"stage", "$default"},
                               {"time", clf_time(context.now())},
                               {"timeEpoch", util::epoch_ms(context.now())}};
    if (parts->request.body) event["body"] = *parts->request.body;
    event["pathParameters"] = nullptr;
    event["isBase64Encoded"] = false;
    event["stageVariables"] = nullptr;
    return event;
}

util::Result<Json> build_alb(const BuildContext& context) {
    auto request = read_http_request(context);
    if (!request) return request.error();
    std::string target_group = context.get("target-group", "lambda-target-group");
    std::string host =
        "lambda-alb-" + random_digits(10) + "." + context.region() + ".elb.amazonaws.com";
    NameValues headers = lowered(
        merge_headers(front_door_headers(*request, host, context.now(), "80", "http"), *request));
    Json query = Json::object();  // ALB leaves query values encoded; with repeats the last wins
    for (const auto& [name, value] : split_query(request->raw_query)) query[name] = value;

    Json event;
    event["requestContext"] = {{"elb",
                                {{"targetGroupArn", context.arn("elasticloadbalancing",
                                                                "targetgroup/" + target_group +
                                                                    "/" + util::random_hex(16))}}}};
    event["httpMethod"] = request->method;
    event["path"] = request->path;
    event["queryStringParameters"] = query;
    event["headers"] = object_of(headers);
    event["body"] = request->body.value_or("");
    event["isBase64Encoded"] = false;
    return event;
}

}  // namespace lambda_emu::events
