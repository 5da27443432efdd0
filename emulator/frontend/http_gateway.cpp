#include "frontend/http_gateway.h"

#include <nlohmann/json.hpp>

#include <thread>

#include "events/http_event.h"
#include "frontend/http_listener.h"
#include "frontend/stream_channel.h"
#include "model/limits.h"
#include "util/random_id.h"

namespace lambda_emu::frontend {

namespace {

constexpr std::string_view k_url_prefix = "/lambda-url/";
// API Gateway refuses bodies over 10 MB itself; an ALB refuses those over 1 MB for Lambda.
constexpr std::size_t k_max_api_gateway_body = 10 * 1024 * 1024;
constexpr std::size_t k_max_alb_body = 1024 * 1024;

ApiResponse answer(int status, std::string content_type, std::string body) {
    ApiResponse r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

ApiResponse json_answer(int status, std::string body) {
    return answer(status, "application/json", std::move(body));
}

ApiResponse alb_answer(int status, const std::string& title) {
    return answer(status, "text/html",
                  "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" +
                      title + "</h1></center>\r\n</body>\r\n</html>\r\n");
}

const char* type_name(config::ApiType type) {
    switch (type) {
        case config::ApiType::rest:
            return "REST API";
        case config::ApiType::http:
            return "HTTP API";
        case config::ApiType::alb:
            return "ALB";
    }
    return "API";
}

events::HttpRequestData request_data(const ApiRequest& request, std::string path,
                                     std::string query) {
    events::HttpRequestData data;
    data.method = request.method;
    data.raw_path = std::move(path);
    data.raw_query = std::move(query);
    data.headers = request.headers;
    data.body = request.body;
    data.source_ip = request.remote_addr.empty() ? "127.0.0.1" : request.remote_addr;
    return data;
}

// The service's answer when the function cannot be invoked at all (throttled, or an event over
// the invoke limit): API Gateway answers 500, an ALB 502.
ApiResponse invoke_refused(config::ApiType type) {
    switch (type) {
        case config::ApiType::rest:
            return json_answer(500, R"({"message": "Internal server error"})");
        case config::ApiType::http:
            return json_answer(500, R"({"message":"Internal Server Error"})");
        case config::ApiType::alb:
            break;
    }
    return alb_answer(502, "502 Bad Gateway");
}

}  // namespace

HttpGateway::HttpGateway(const FunctionDirectory& functions, std::vector<config::ApiEntry> apis)
    : m_functions(functions) {
    for (const auto& name : m_functions.names()) m_url_ids[name] = util::random_hex(32);
    for (auto& entry : apis) {
        std::string id = util::random_hex(10);
        if (entry.type == config::ApiType::alb) {
            id = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/" + entry.name +
                 "/" + util::random_hex(16);
        }
        RouteTable routes(entry.type, entry.routes);
        m_apis.push_back({std::move(entry), std::move(routes), std::move(id)});
    }
}

std::vector<std::string> HttpGateway::describe() const {
    std::vector<std::string> lines;
    for (const auto& api : m_apis) {
        std::string head = std::string(type_name(api.entry.type)) + " '" + api.entry.name + "'";
        if (api.entry.type == config::ApiType::rest) head += " (stage " + api.entry.stage + ")";
        head += " on " + (api.entry.base_path.empty() ? "/" : api.entry.base_path) + ":";
        for (const auto& route : api.entry.routes) {
            lines.push_back(head + " " + route.key + " -> " + route.function);
        }
    }
    return lines;
}

const HttpGateway::MountedApi* HttpGateway::mounted_at(const std::string& path) const {
    const MountedApi* best = nullptr;
    for (const auto& api : m_apis) {
        const std::string& base = api.entry.base_path;
        bool under = path.compare(0, base.size(), base) == 0 &&
                     (path.size() == base.size() || path[base.size()] == '/');
        if (under && (!best || base.size() > best->entry.base_path.size())) best = &api;
    }
    return best;
}

ApiResponse HttpGateway::handle(const ApiRequest& request) {
    std::string target = request.target.empty() ? request.path : request.target;
    std::size_t question = target.find('?');
    std::string path = target.substr(0, question);
    std::string query = question == std::string::npos ? "" : target.substr(question + 1);
    if (path.rfind(k_url_prefix, 0) == 0) return function_url(request, path, query);
    const MountedApi* mounted = mounted_at(path);
    if (!mounted) {
        return json_answer(404, m_apis.empty()
                                    ? R"({"message":"Not Found: use /lambda-url/FUNCTION/PATH"})"
                                    : R"({"message":"Not Found"})");
    }
    std::string rest = path.substr(mounted->entry.base_path.size());
    return api(*mounted, request, rest.empty() ? "/" : rest, query);
}

ApiResponse HttpGateway::function_url(const ApiRequest& request, const std::string& path,
                                      const std::string& query) {
    std::string rest = path.substr(k_url_prefix.size());
    std::string name = rest.substr(0, rest.find('/'));
    std::string raw_path = rest.find('/') == std::string::npos ? "/" : rest.substr(rest.find('/'));
    std::optional<InvokeTarget> target = m_functions.find(name);
    if (!target || !m_url_ids.count(name)) {
        // The name is the client's, raw: quoted as JSON, and not UTF-8 where it was not.
        nlohmann::ordered_json body;
        body["Message"] = "Function not found: " + name;
        return json_answer(404,
                           body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    }
    if (body_length(request) > model::k_max_sync_request_bytes) {
        return json_answer(413, R"({"Message":"Request must be smaller than 6291456 bytes"})");
    }
    events::FunctionUrlContext context;
    context.url_id = m_url_ids.at(name);
    context.request_id = util::new_uuid();
    context.time = std::chrono::system_clock::now();
    Delivery d{events::HttpEventKind::apigw_v2, *target,
               events::function_url_event(request_data(request, raw_path, query), context),
               context.request_id, "Function URL"};
    if (d.payload.size() > model::k_max_sync_request_bytes) {
        return json_answer(413, R"({"Message":"Request must be smaller than 6291456 bytes"})");
    }
    ApiResponse r = deliver_streaming(d);
    if (r.status == 429 && !r.stream) return json_answer(429, R"({"Message":"Rate Exceeded."})");
    return r;
}

ApiResponse HttpGateway::api(const MountedApi& api, const ApiRequest& request,
                             const std::string& path, const std::string& query) {
    const config::ApiEntry& entry = api.entry;
    if (entry.type == config::ApiType::alb && body_length(request) > k_max_alb_body)
        return alb_answer(413, "413 Request Entity Too Large");
    if (entry.type != config::ApiType::alb && body_length(request) > k_max_api_gateway_body)
        return json_answer(413, R"({"message":"Request Too Long"})");
    auto route = api.routes.match(request.method, path);
    if (!route) {
        switch (entry.type) {
            case config::ApiType::rest: {
                ApiResponse r = json_answer(403, R"({"message":"Missing Authentication Token"})");
                r.headers.emplace_back("x-amzn-ErrorType", "MissingAuthenticationTokenException");
                return r;
            }
            case config::ApiType::http:
                return json_answer(404, R"({"message":"Not Found"})");
            case config::ApiType::alb:
                return alb_answer(404, "404 Not Found");
        }
    }
    events::GatewayContext context;
    context.api_id = api.id;
    context.target_group_arn = api.id;
    context.time = std::chrono::system_clock::now();
    context.stage = entry.stage;
    context.path_parameters = route->path_parameters;
    context.stage_variables = entry.stage_variables;
    context.multi_value_headers = entry.multi_value_headers;
    events::HttpRequestData data = request_data(request, path, query);
    std::optional<InvokeTarget> target = m_functions.find(route->function);
    if (!target) return invoke_refused(entry.type);
    Delivery d{events::HttpEventKind::apigw_v2,
               *target,
               "",
               "",
               std::string(type_name(entry.type)) + " '" + entry.name + "'",
               entry.multi_value_headers};
    switch (entry.type) {
        case config::ApiType::rest:
            context.request_id = util::new_uuid();
            context.route = route->resource;
            d.kind = events::HttpEventKind::apigw_v1;
            d.payload = events::rest_api_event(data, context);
            break;
        case config::ApiType::http:
            context.request_id = events::gateway_request_id();
            context.route = route->route_key;
            d.payload = events::http_api_event(data, context);
            break;
        case config::ApiType::alb:
            d.kind = events::HttpEventKind::alb;
            d.payload = events::alb_event(data, context);
            break;
    }
    d.request_id = context.request_id.empty() ? util::new_uuid() : context.request_id;
    if (d.payload.size() > model::k_max_sync_request_bytes) return invoke_refused(entry.type);
    ApiResponse r = deliver(d);
    if (r.status == 429) return invoke_refused(entry.type);
    if (entry.type == config::ApiType::http)
        r.headers.emplace_back("apigw-requestid", d.request_id);
    return r;
}

ApiResponse HttpGateway::deliver(const Delivery& d) {
    pool::InvokeRequest invoke;
    invoke.request_id = util::new_uuid();
    invoke.payload = d.payload;
    auto outcome = d.target.pool->try_invoke(invoke, pool::Admission::wait);
    return reply_for(d, outcome, invoke.request_id);
}

ApiResponse HttpGateway::deliver_streaming(const Delivery& d) {
    auto channel = std::make_shared<StreamChannel>();
    pool::InvokeRequest invoke;
    invoke.request_id = util::new_uuid();
    invoke.payload = d.payload;
    invoke.stream = channel;
    // The invocation runs on its own thread, so that this one can pass the stream on; the
    // thread is joined when the last of this function and the body stream lets go of it.
    auto runner = std::make_shared<std::jthread>([channel, pool = d.target.pool, invoke] {
        channel->finish(pool->try_invoke(invoke, pool::Admission::wait));
    });
    std::optional<StreamHead> head = channel->wait_head();
    if (!head) {
        runner.reset();
        return reply_for(d, channel->outcome(), invoke.request_id, channel->problem());
    }
    ApiResponse r;
    r.status = head->status;
    r.content_type = head->content_type;
    r.headers = head->headers;
    r.headers.emplace_back("x-amzn-RequestId", invoke.request_id);
    r.stream = [channel, runner, tail = d.target.tail, id = invoke.request_id,
                label = d.label](std::string& piece) {
        StreamStep step = channel->next(piece);
        if (step == StreamStep::abort && tail) {
            auto outcome = channel->outcome();
            std::string why = outcome ? outcome->error_type : "the invocation was not admitted";
            tail->emit(model::NoticeEvent{std::chrono::system_clock::now(), id,
                                          label + " stream cut short: " + why});
        }
        return step;
    };
    return r;
}

ApiResponse HttpGateway::reply_for(const Delivery& d, const std::optional<model::Outcome>& outcome,
                                   const std::string& request_id, const std::string& problem) {
    if (!outcome) return json_answer(429, "");
    events::HttpReply reply =
        events::http_reply(d.kind, outcome->body, outcome->failed(), d.alb_multi_value);
    if (!problem.empty()) {
        reply = events::http_reply(d.kind, "", true);
        reply.problem = problem;
    }
    if (!reply.problem.empty() && d.target.tail) {
        d.target.tail->emit(model::NoticeEvent{
            std::chrono::system_clock::now(), request_id,
            d.label + " answered " + std::to_string(reply.status) + ": " + reply.problem});
    }
    ApiResponse r;
    r.status = reply.status;
    r.content_type.clear();
    for (auto& [k, v] : reply.headers) {
        if (k == "content-type" || k == "Content-Type") {
            r.content_type = v;
        } else {
            r.headers.emplace_back(k, v);
        }
    }
    if (d.kind != events::HttpEventKind::alb)
        r.headers.emplace_back("x-amzn-RequestId", request_id);
    r.body = std::move(reply.body);
    return r;
}

}  // namespace lambda_emu::frontend
