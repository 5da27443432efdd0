#include "config/api_entry.h"

#include <algorithm>
#include <cctype>

namespace lambda_emu::config {

namespace {

using Json = nlohmann::ordered_json;

const std::set<std::string> k_methods = {"GET",    "POST", "PUT",     "PATCH",
                                         "DELETE", "HEAD", "OPTIONS", "ANY"};

std::string join(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

const std::set<std::string>& keys_of(ApiType type) {
    static const std::set<std::string> rest = {
        "name", "type", "stage", "routes", "stage_variables", "base_path"};
    static const std::set<std::string> http = {"name", "type", "routes", "stage_variables",
                                               "base_path"};
    static const std::set<std::string> alb = {"name", "type", "routes", "multi_value_headers",
                                              "base_path"};
    return type == ApiType::rest ? rest : type == ApiType::http ? http : alb;
}

bool is_variable_name(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '_' || c == '-' || c == '.';
    });
}

util::Status check_template(const std::string& key, std::string_view path) {
    std::set<std::string> names;
    std::string_view rest = path.substr(1);
    while (true) {
        std::size_t slash = rest.find('/');
        std::string_view seg = rest.substr(0, slash);
        bool last = slash == std::string_view::npos;
        if (seg.empty() && !(last && path == "/")) {
            return util::make_error("route '" + key + "': empty path segment");
        }
        if (seg.find_first_of("{}") != std::string_view::npos) {
            bool greedy = seg.size() > 3 && seg.substr(seg.size() - 2) == "+}";
            std::string_view name =
                seg.size() > 2 ? seg.substr(1, seg.size() - (greedy ? 3 : 2)) : std::string_view{};
            if (seg.front() != '{' || seg.back() != '}' || !is_variable_name(name)) {
                return util::make_error("route '" + key + "': '" + std::string(seg) +
                                        "' is not a path variable such as {id} or {proxy+}");
            }
            if (greedy && !last) {
                return util::make_error("route '" + key + "': a greedy variable such as '" +
                                        std::string(seg) + "' must be the last segment");
            }
            if (!names.insert(std::string(name)).second) {
                return util::make_error("route '" + key + "': variable '" + std::string(name) +
                                        "' appears twice");
            }
        }
        if (last) break;
        rest.remove_prefix(slash + 1);
    }
    return util::Ok{};
}

}  // namespace

util::Status check_route_key(ApiType type, const std::string& key) {
    if (key == "$default") {
        if (type == ApiType::rest) {
            return util::make_error(
                "route '$default': REST APIs have no $default route; use \"ANY /{proxy+}\"");
        }
        return util::Ok{};
    }
    std::size_t space = key.find(' ');
    std::string method = space == std::string::npos ? "" : key.substr(0, space);
    std::string path = space == std::string::npos ? key : key.substr(space + 1);
    if (space == std::string::npos && type != ApiType::alb) {
        return util::make_error("route '" + key +
                                "': expected \"METHOD /path\" (e.g. \"GET /orders/{id}\") or "
                                "\"$default\"");
    }
    if (space != std::string::npos && !k_methods.count(method)) {
        return util::make_error("route '" + key + "': unknown method '" + method +
                                "' (known: " + join(k_methods) + ")");
    }
    // '?' is a wildcard in an ALB's path patterns.
    const char* refused = type == ApiType::alb ? " \t#" : " \t?#";
    if (path.empty() || path.front() != '/' || path.find_first_of(refused) != std::string::npos) {
        return util::make_error("route '" + key +
                                "': the path must start with '/' and hold no "
                                "spaces or '#' (nor '?' but in ALB patterns)");
    }
    if (type == ApiType::alb) return util::Ok{};
    return check_template(key, path);
}

util::Result<ApiEntry> parse_api(const Json& j, std::size_t index,
                                 const std::set<std::string>& functions,
                                 const std::string& error_prefix) {
    std::string where = error_prefix + ": apis[" + std::to_string(index) + "]";
    auto fail = [&where](const std::string& reason) -> util::Error {
        return util::make_error(where + ": " + reason);
    };
    if (!j.is_object()) return fail("must be an object");
    ApiEntry api;
    if (!j.contains("type")) return fail("'type' is required (\"rest\", \"http\" or \"alb\")");
    const Json& type = j["type"];
    if (type == "rest") {
        api.type = ApiType::rest;
    } else if (type == "http") {
        api.type = ApiType::http;
    } else if (type == "alb") {
        api.type = ApiType::alb;
    } else {
        return fail("type: must be \"rest\", \"http\" or \"alb\"");
    }
    api.name = type.get<std::string>() + "-" + std::to_string(index);
    if (j.contains("name")) {
        if (!j["name"].is_string() || j["name"].get<std::string>().empty())
            return fail("name: must be a non-empty string");
        api.name = j["name"].get<std::string>();
        where = error_prefix + ": api '" + api.name + "'";
    }
    for (const auto& [key, value] : j.items()) {
        (void)value;
        if (!keys_of(api.type).count(key)) {
            return fail("unknown key '" + key + "' for type \"" + type.get<std::string>() +
                        "\" (known keys: " + join(keys_of(api.type)) + ")");
        }
    }
    api.stage = "$default";
    if (api.type == ApiType::rest) {
        api.stage = "prod";
        if (j.contains("stage")) {
            const Json& s = j["stage"];
            std::string text = s.is_string() ? s.get<std::string>() : "";
            if (text.empty() || text.size() > 128 ||
                !std::all_of(text.begin(), text.end(), [](unsigned char c) {
                    return std::isalnum(c) || c == '_' || c == '-';
                })) {
                return fail("stage: must be 1 to 128 letters, digits, '-' or '_'");
            }
            api.stage = text;
        }
        api.base_path = "/" + api.stage;
    }
    if (j.contains("base_path")) {
        const Json& b = j["base_path"];
        std::string text = b.is_string() ? b.get<std::string>() : "?";
        if (text == "/") text.clear();
        if ((!text.empty() && text.front() != '/') || (!text.empty() && text.back() == '/') ||
            text.find_first_of(" ?#") != std::string::npos) {
            return fail("base_path: must be \"\" or a path such as \"/shop\" (no trailing '/')");
        }
        if (text == "/lambda-url" || text.rfind("/lambda-url/", 0) == 0) {
            return fail("base_path: /lambda-url/ is where Function URLs are served");
        }
        api.base_path = text;
    }
    if (j.contains("stage_variables")) {
        const Json& vars = j["stage_variables"];
        if (!vars.is_object()) return fail("stage_variables: must be an object of strings");
        for (const auto& [key, value] : vars.items()) {
            if (!value.is_string()) return fail("stage_variables: " + key + ": must be a string");
            api.stage_variables.emplace_back(key, value.get<std::string>());
        }
    }
    if (j.contains("multi_value_headers")) {
        if (!j["multi_value_headers"].is_boolean())
            return fail("multi_value_headers: must be true or false");
        api.multi_value_headers = j["multi_value_headers"].get<bool>();
    }
    if (!j.contains("routes") || !j["routes"].is_object() || j["routes"].empty()) {
        return fail(
            "routes: must be a non-empty object of route to function name, e.g. "
            "{\"GET /orders/{id}\": \"orders\"}");
    }
    for (const auto& [key, value] : j["routes"].items()) {
        if (auto st = check_route_key(api.type, key); !st) return fail(st.error().message);
        if (!value.is_string() || !functions.count(value.get<std::string>())) {
            return fail("route '" + key + "': " +
                        (value.is_string() ? "no function named '" + value.get<std::string>() + "'"
                                           : std::string("must name a function")) +
                        " (functions: " + join(functions) + ")");
        }
        api.routes.push_back({key, value.get<std::string>()});
    }
    return api;
}

}  // namespace lambda_emu::config
