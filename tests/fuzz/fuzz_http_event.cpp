// The events the HTTP front doors build from real requests (events/http_event.h), and the
// routing before them: the first section is a request in the text form of fuzz_input.h, the
// optional second one route keys, one a line ("GET /orders/{id}", "$default", "/img/*.png").
// Each key that config::check_route_key accepts for an API type joins that type's RouteTable;
// every key's path is also matched as a template on its own (events::match_path_template).
// Every event built must be JSON that http_event_kind recognises as its front door's.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_file.h"
#include "events/http_event.h"
#include "events/http_response.h"
#include "events/path_template.h"
#include "frontend/route_table.h"
#include "fuzz_input.h"
#include "model/json_codec.h"

namespace {

using namespace lambda_emu;

void check_event(const std::string& event, events::HttpEventKind kind) {
    FUZZ_CHECK(model::validate_json(event).ok());
    FUZZ_CHECK(events::http_event_kind(event) == kind);
}

void gateway_events(const events::HttpRequestData& request, const std::vector<std::string>& keys,
                    config::ApiType type) {
    std::vector<config::Route> routes;
    for (const std::string& key : keys) {
        if (config::check_route_key(type, key).ok()) routes.push_back({key, "fn"});
    }
    frontend::RouteTable table(type, routes);
    auto match = table.match(request.method, request.raw_path);
    if (!match) return;
    FUZZ_CHECK(match->function == "fn");
    events::GatewayContext context;
    context.api_id = "a1b2c3d4e5";
    context.request_id = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef";
    context.time = util::SystemTime{std::chrono::seconds(1'700'000'000)};
    context.path_parameters = match->path_parameters;
    context.stage_variables = {{"stage", "prod"}};
    switch (type) {
        case config::ApiType::rest:
            context.stage = "prod";
            context.route = match->resource;
            check_event(events::rest_api_event(request, context), events::HttpEventKind::apigw_v1);
            break;
        case config::ApiType::http:
            context.route = match->route_key;
            check_event(events::http_api_event(request, context), events::HttpEventKind::apigw_v2);
            break;
        case config::ApiType::alb:
            context.target_group_arn =
                "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/fuzz/0123456789ab";
            for (bool multi : {false, true}) {
                context.multi_value_headers = multi;
                std::string event = events::alb_event(request, context);
                check_event(event, events::HttpEventKind::alb);
                FUZZ_CHECK(events::alb_multi_value_event(event) == multi);
            }
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string_view> parts = fuzz::sections(fuzz::as_text(data, size));
    fuzz::TextRequest t = fuzz::parse_request(parts[0]);
    events::HttpRequestData request;
    request.method = t.method;
    request.raw_path = t.path();
    request.raw_query = t.query();
    request.headers = t.headers;
    request.body = t.body;
    request.source_ip = "198.51.100.7";

    events::FunctionUrlContext url;
    url.url_id = "abcdefghijklmnopqrstuvwxyz012345";
    url.request_id = "b9a2d9c8-2b6f-4d8e-9c1e-2f2d6a1c0b7e";
    url.time = util::SystemTime{std::chrono::seconds(1'700'000'000)};
    check_event(events::function_url_event(request, url), events::HttpEventKind::apigw_v2);

    std::vector<std::string> keys;
    if (parts.size() > 1) {
        for (std::string_view line : fuzz::lines(parts[1])) {
            keys.emplace_back(line);
            std::string_view path =
                line.substr(line.find(' ') == std::string_view::npos ? 0 : line.find(' ') + 1);
            (void)events::match_path_template(path, request.raw_path);
        }
    }
    for (config::ApiType type :
         {config::ApiType::rest, config::ApiType::http, config::ApiType::alb})
        gateway_events(request, keys, type);
    return 0;
}
