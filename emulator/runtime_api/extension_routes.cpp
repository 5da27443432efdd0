#include "runtime_api/extension_routes.h"

#include <optional>
#include <vector>

#include "model/json_codec.h"
#include "model/wire.h"
#include "util/random_id.h"

namespace lambda_emu::runtime_api {

namespace {

namespace wire = model::wire;

constexpr std::string_view k_extension_prefix = "/2020-01-01/extension/";
constexpr std::string_view k_telemetry_path = "/2022-07-01/telemetry";
constexpr std::string_view k_logs_path = "/2020-08-15/logs";

HttpResponse refused(const core::ExtensionRefusal& r) {
    return api_error(r.status, r.error_type, r.message);
}

// Lambda-Extension-Accept-Feature is a comma-separated list.
bool accepts_feature(std::string_view list, std::string_view feature) {
    while (!list.empty()) {
        auto comma = list.find(',');
        std::string_view item = list.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item == feature) return true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return false;
}

HttpResponse method_not_allowed() {
    return api_error(405, "MethodNotAllowed", "Method Not Allowed");
}

HttpResponse register_extension(const HttpRequest& req, core::ExtensionRegistry& registry,
                                const ExtensionApiContext& ctx) {
    std::string name = header_or_empty(req, wire::k_extension_name);
    std::vector<std::string> events;
    if (!req.body.empty()) {
        auto listed = model::string_list_field(req.body, "events");
        if (!listed) {
            return api_error(403, "InvalidRequestFormat",
                             "The request body must be a JSON object with an \"events\" array "
                             "of strings");
        }
        events = std::move(*listed);
    }
    core::Registration reg = registry.register_extension(name, events);
    if (reg.refused) return refused(*reg.refused);
    // accountId comes first when the extension asked for it (RIE's agentregisterresponse.go).
    std::string body = "{";
    if (accepts_feature(header_or_empty(req, wire::k_extension_accept_feature), "accountId") &&
        !ctx.account_id.empty()) {
        body += "\"accountId\":" + model::json_quote(ctx.account_id) + ",";
    }
    body += "\"functionName\":" + model::json_quote(ctx.function_name) +
            ",\"functionVersion\":" + model::json_quote(ctx.function_version) +
            ",\"handler\":" + model::json_quote(ctx.handler) + "}";
    HttpResponse r = json_response(200, std::move(body));
    r.headers.emplace_back(wire::k_extension_identifier, reg.id);
    return r;
}

HttpResponse next_event(const HttpRequest& req, core::ExtensionRegistry& registry) {
    core::ExtensionNext next = registry.next(header_or_empty(req, wire::k_extension_identifier));
    if (next.refused) {
        HttpResponse r = refused(*next.refused);
        if (r.status >= 500) r.close_connection = true;
        return r;
    }
    HttpResponse r = json_response(200, std::move(next.body));
    r.headers.emplace_back(wire::k_extension_event_identifier, next.event_id);
    return r;
}

HttpResponse post_error(const HttpRequest& req, core::ExtensionRegistry& registry, bool at_init) {
    std::string id = header_or_empty(req, wire::k_extension_identifier);
    std::string type = header_or_empty(req, wire::k_extension_error_type);
    if (type.empty() && util::is_uuid(id)) {
        return api_error(403, "Extension.MissingHeader",
                         std::string(wire::k_extension_error_type) + " not found");
    }
    auto refusal =
        at_init ? registry.init_error(id, type, req.body) : registry.exit_error(id, type, req.body);
    if (refusal) return refused(*refusal);
    return json_response(202, wire::k_accepted_body);
}

HttpResponse subscribe(const HttpRequest& req, core::ExtensionRegistry& registry,
                       std::string_view api_version, const TelemetrySubscribe& subscribe_fn) {
    std::string id = header_or_empty(req, wire::k_extension_identifier);
    std::optional<std::string> name = registry.name_of(id);
    if (!name) {
        if (id.empty()) {
            return api_error(403, "Extension.MissingExtensionIdentifier",
                             "Missing Lambda-Extension-Identifier header");
        }
        if (!util::is_uuid(id)) {
            return api_error(403, "Extension.InvalidExtensionIdentifier",
                             "Invalid Lambda-Extension-Identifier");
        }
        return api_error(403, "Extension.UnknownExtensionIdentifier", "Unknown extension " + id);
    }
    if (!subscribe_fn) return api_error(500, "ServiceException", "Telemetry is not available");
    return subscribe_fn(api_version, *name, req.body);
}

}  // namespace

bool is_extension_request(std::string_view target) {
    if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
    return target.substr(0, k_extension_prefix.size()) == k_extension_prefix ||
           target == k_telemetry_path || target == k_logs_path;
}

HttpResponse handle_extension_request(const HttpRequest& request, core::ExtensionRegistry& registry,
                                      const ExtensionApiContext& context,
                                      const TelemetrySubscribe& subscribe_fn) {
    std::string_view path = request.target;
    if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    if (request.truncated) {
        return api_error(400, "TruncatedHTTPRequest", "HTTP request detected as truncated");
    }
    if (path == k_telemetry_path || path == k_logs_path) {
        if (request.method != "PUT") return method_not_allowed();
        return subscribe(request, registry, path.substr(1, 10), subscribe_fn);
    }
    std::string_view action = path.substr(k_extension_prefix.size());
    if (action == "register") {
        if (request.method != "POST") return method_not_allowed();
        return register_extension(request, registry, context);
    }
    if (action == "event/next") {
        if (request.method != "GET") return method_not_allowed();
        return next_event(request, registry);
    }
    if (action == "init/error" || action == "exit/error") {
        if (request.method != "POST") return method_not_allowed();
        return post_error(request, registry, action == "init/error");
    }
    return api_error(404, "NotFound", "Not Found");
}

}  // namespace lambda_emu::runtime_api
