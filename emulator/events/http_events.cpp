// API Gateway REST (v1 proxy), HTTP API (payload 2.0), Function URL and ALB events.
#include "events/builders.h"
#include "events/http_event.h"
#include "events/http_request.h"
#include "events/url_encoding.h"
#include "util/random_id.h"

namespace lambda_emu::events {

namespace {

constexpr std::string_view k_user_agent = "curl/7.88.1";

// The request as a client would send it (Accept, User-Agent, and Content-Type and
// Content-Length for a body, unless --header gives them), for the front doors' event builders.
util::Result<HttpRequestData> client_request(const BuildContext& context) {
    auto request = read_http_request(context);
    if (!request) return request.error();
    HttpRequestData data;
    data.method = request->method;
    data.raw_path = request->path;
    data.raw_query = request->raw_query;
    data.headers =
        merge_headers({{"Accept", "*/*"}, {"User-Agent", std::string(k_user_agent)}}, *request);
    data.body = request->body.value_or("");
    data.source_ip = request->source_ip;
    return data;
}

GatewayContext gateway_context(const BuildContext& context) {
    GatewayContext g;
    g.api_id = random_lower_alnum(10);
    g.region = context.region();
    g.account = context.account();
    g.time = context.now();
    return g;
}

struct V2Route {
    std::string route_key;  // "$default" or "POST /orders/{id}"
    PathParameters params;
};

util::Result<V2Route> v2_route(const BuildContext& context, const HttpRequestData& request) {
    std::string route = context.get("route", "$default");
    if (route == "$default") return V2Route{route, {}};
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
    auto params = match_path_template(path_template, request.raw_path);
    if (!params) {
        return util::make_error("--route " + route + ": does not match --path " + request.raw_path);
    }
    return V2Route{method + " " + path_template, std::move(*params)};
}

}  // namespace

util::Result<Json> build_apigw(const BuildContext& context) {
    auto request = client_request(context);
    if (!request) return request.error();
    std::string resource = context.get("resource", request->raw_path == "/" ? "/" : "/{proxy+}");
    auto params = match_path_template(resource, request->raw_path);
    if (!params) {
        return util::make_error("--resource " + resource + ": does not match --path " +
                                request->raw_path);
    }
    GatewayContext g = gateway_context(context);
    g.stage = context.get("stage", "prod");
    g.route = resource;
    g.path_parameters = std::move(*params);
    g.request_id = util::new_uuid();
    return Json::parse(rest_api_event(*request, g));
}

util::Result<Json> build_apigw_v2(const BuildContext& context) {
    auto request = client_request(context);
    if (!request) return request.error();
    auto route = v2_route(context, *request);
    if (!route) return route.error();
    GatewayContext g = gateway_context(context);
    g.route = route->route_key;
    g.path_parameters = std::move(route->params);
    g.request_id = gateway_request_id();
    return Json::parse(http_api_event(*request, g));
}

util::Result<Json> build_function_url(const BuildContext& context) {
    auto request = client_request(context);
    if (!request) return request.error();
    FunctionUrlContext f;
    f.url_id = random_lower_alnum(32);
    f.region = context.region();
    f.request_id = util::new_uuid();
    f.time = context.now();
    return Json::parse(function_url_event(*request, f));
}

util::Result<Json> build_alb(const BuildContext& context) {
    auto request = client_request(context);
    if (!request) return request.error();
    // Without a Host header of the client's, the ALB's own name.
    if (header_value(request->headers, "host").empty()) {
        request->headers.emplace_back("Host", "lambda-alb-" + random_digits(10) + "." +
                                                  context.region() + ".elb.amazonaws.com");
    }
    GatewayContext g = gateway_context(context);
    g.target_group_arn =
        context.arn("elasticloadbalancing", "targetgroup/" +
                                                context.get("target-group", "lambda-target-group") +
                                                "/" + util::random_hex(16));
    return Json::parse(alb_event(*request, g));
}

}  // namespace lambda_emu::events
