#include "config/config_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <vector>

#include "config/api_entry.h"
#include "model/json_codec.h"
#include "model/limits.h"
#include "util/fd.h"

namespace lambda_emu::config {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

const std::set<std::string> k_function_keys = {
    "name",         "bootstrap",   "handler",         "memory",
    "timeout",      "environment", "env_file",        "reserved_concurrency",
    "architecture", "build",       "watch",           "extensions",
    "log_format",   "log_level",   "system_log_level"};

// LoggingConfig's names, as the service spells them.
const std::vector<std::string> k_application_levels = {"TRACE", "DEBUG", "INFO",
                                                       "WARN",  "ERROR", "FATAL"};
const std::vector<std::string> k_system_levels = {"DEBUG", "INFO", "WARN"};

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string listed(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + ("\"" + names[i] + "\"");
    }
    return out;
}

struct Context {
    const std::string& path;
    fs::path base;
    util::Error error(const std::string& where, const std::string& reason) const {
        return util::make_error(path + ": " + where + ": " + reason);
    }
};

std::string resolve(const Context& ctx, const std::string& p) {
    fs::path candidate(p);
    if (candidate.is_relative()) candidate = ctx.base / candidate;
    return candidate.lexically_normal().string();
}

util::Result<int> int_in_range(const Context& ctx, const std::string& where, const json& v, int lo,
                               int hi) {
    if (!v.is_number_integer()) return ctx.error(where, "must be a whole number");
    auto n = v.get<long long>();
    if (n < lo || n > hi) {
        return ctx.error(where, std::to_string(n) + " is out of range " + std::to_string(lo) + "-" +
                                    std::to_string(hi));
    }
    return static_cast<int>(n);
}

util::Result<std::string> string_value(const Context& ctx, const std::string& where,
                                       const json& v) {
    if (!v.is_string() || v.get<std::string>().empty()) {
        return ctx.error(where, "must be a non-empty string");
    }
    return v.get<std::string>();
}

util::Result<FunctionEntry> parse_function(const Context& ctx, const json& j, std::size_t index) {
    std::string where = "functions[" + std::to_string(index) + "]";
    if (!j.is_object()) return ctx.error(where, "must be an object");
    if (j.contains("name") && j["name"].is_string())
        where = "function '" + j["name"].get<std::string>() + "'";
    for (const auto& [key, value] : j.items()) {
        (void)value;
        if (!k_function_keys.count(key)) {
            std::string known;
            for (const auto& k : k_function_keys) known += (known.empty() ? "" : ", ") + k;
            return ctx.error(where, "unknown key '" + key + "' (known keys: " + known + ")");
        }
    }
    FunctionEntry e;
    model::FunctionConfig& f = e.function;
    if (!j.contains("name")) return ctx.error(where, "'name' is required");
    auto name = string_value(ctx, where + ": name", j["name"]);
    if (!name) return name.error();
    if (auto st = model::validate_function_name(*name); !st)
        return ctx.error(where + ": name", st.error().message);
    f.name = *name;
    if (!j.contains("bootstrap")) return ctx.error(where, "'bootstrap' is required");
    auto bootstrap = string_value(ctx, where + ": bootstrap", j["bootstrap"]);
    if (!bootstrap) return bootstrap.error();
    f.bootstrap = resolve(ctx, *bootstrap);
    if (j.contains("handler")) {
        auto handler = string_value(ctx, where + ": handler", j["handler"]);
        if (!handler) return handler.error();
        f.handler = *handler;
    }
    if (j.contains("memory")) {
        auto m = int_in_range(ctx, where + ": memory", j["memory"], model::k_min_memory_mb,
                              model::k_max_memory_mb);
        if (!m) return m.error();
        f.memory_mb = *m;
    }
    if (j.contains("timeout")) {
        auto t = int_in_range(ctx, where + ": timeout", j["timeout"], model::k_min_timeout_s,
                              model::k_max_timeout_s);
        if (!t) return t.error();
        f.timeout_s = *t;
    }
    if (j.contains("environment")) {
        const json& env = j["environment"];
        if (!env.is_object())
            return ctx.error(where + ": environment", "must be an object of strings");
        for (const auto& [key, value] : env.items()) {
            if (!value.is_string()) {
                return ctx.error(where + ": environment: " + key, "must be a string");
            }
            if (auto st = model::validate_env_key(key); !st) {
                return ctx.error(where + ": environment", st.error().message);
            }
            f.environment.emplace_back(key, value.get<std::string>());
        }
    }
    if (j.contains("env_file")) {
        auto file = string_value(ctx, where + ": env_file", j["env_file"]);
        if (!file) return file.error();
        e.env_file = resolve(ctx, *file);
    }
    if (j.contains("reserved_concurrency")) {
        auto c = int_in_range(ctx, where + ": reserved_concurrency", j["reserved_concurrency"], 1,
                              k_max_reserved_concurrency);
        if (!c) return c.error();
        e.reserved_concurrency = *c;
    }
    if (j.contains("build")) {
        auto build = string_value(ctx, where + ": build", j["build"]);
        if (!build) return build.error();
        e.build = *build;
    }
    if (j.contains("watch")) {
        const json& w = j["watch"];
        if (!w.is_array() || w.empty()) {
            return ctx.error(where + ": watch", "must be a non-empty array of paths");
        }
        for (const auto& path : w) {
            auto p = string_value(ctx, where + ": watch", path);
            if (!p) return p.error();
            e.watch.push_back(resolve(ctx, *p));
        }
    }
    if (j.contains("extensions")) {
        const json& x = j["extensions"];
        if (!x.is_array()) return ctx.error(where + ": extensions", "must be an array of paths");
        for (const auto& path : x) {
            auto p = string_value(ctx, where + ": extensions", path);
            if (!p) return p.error();
            f.extensions.push_back(resolve(ctx, *p));
        }
    }
    if (j.contains("log_format")) {
        const json& v = j["log_format"];
        std::string format = v.is_string() ? upper(v.get<std::string>()) : "";
        if (format != "TEXT" && format != "JSON") {
            return ctx.error(where + ": log_format", "must be \"Text\" or \"JSON\"");
        }
        f.log_format = format == "JSON" ? "JSON" : "Text";
    }
    for (const auto& [key, names] : {std::pair<const char*, const std::vector<std::string>&>{
                                         "log_level", k_application_levels},
                                     std::pair<const char*, const std::vector<std::string>&>{
                                         "system_log_level", k_system_levels}}) {
        if (!j.contains(key)) continue;
        const json& v = j[key];
        std::string level = v.is_string() ? upper(v.get<std::string>()) : "";
        if (std::find(names.begin(), names.end(), level) == names.end()) {
            return ctx.error(where + ": " + key, "must be " + listed(names));
        }
        if (f.log_format != "JSON") {
            return ctx.error(where + ": " + key,
                             "needs \"log_format\": \"JSON\" (the service filters by level "
                             "only with the JSON log format)");
        }
        (std::string(key) == "log_level" ? f.application_log_level : f.system_log_level) = level;
    }
    if (j.contains("architecture")) {
        const json& a = j["architecture"];
        if (!a.is_string() || (a != "x86_64" && a != "arm64")) {
            return ctx.error(where + ": architecture", "must be \"x86_64\" or \"arm64\"");
        }
        e.architecture = a.get<std::string>();
    }
    return e;
}

}  // namespace

util::Result<ConfigFile> parse_config(const std::string& text, const std::string& path) {
    if (auto st = model::validate_json(text); !st) {
        return util::make_error(path + ": not valid JSON: " + st.error().message);
    }
    Context ctx{path, fs::absolute(fs::path(path)).parent_path()};
    json root = json::parse(text);
    if (!root.is_object())
        return ctx.error("top level", "must be an object with a 'functions' array");
    for (const auto& [key, value] : root.items()) {
        (void)value;
        if (key != "functions" && key != "apis")
            return ctx.error("top level",
                             "unknown key '" + key + "' (known keys: functions, apis)");
    }
    if (!root.contains("functions") || !root["functions"].is_array() || root["functions"].empty()) {
        return ctx.error("functions", "must be a non-empty array of functions");
    }
    ConfigFile out;
    out.path = path;
    std::set<std::string> names;
    for (std::size_t i = 0; i < root["functions"].size(); ++i) {
        auto entry = parse_function(ctx, root["functions"][i], i);
        if (!entry) return entry.error();
        if (!names.insert(entry->function.name).second) {
            return ctx.error("functions[" + std::to_string(i) + "]: name",
                             "duplicate function name '" + entry->function.name + "'");
        }
        out.functions.push_back(std::move(entry.value()));
    }
    if (root.contains("apis")) {
        if (!root["apis"].is_array()) return ctx.error("apis", "must be an array of APIs");
        std::map<std::string, std::string> mounts;  // base path -> API name
        for (std::size_t i = 0; i < root["apis"].size(); ++i) {
            auto api = parse_api(root["apis"][i], i, names, path);
            if (!api) return api.error();
            auto [it, fresh] = mounts.emplace(api->base_path, api->name);
            if (!fresh) {
                return ctx.error("api '" + api->name + "': base_path",
                                 "'" + api->base_path + "' is already the base path of api '" +
                                     it->second + "'");
            }
            out.apis.push_back(std::move(api.value()));
        }
    }
    return out;
}

util::Result<ConfigFile> load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return util::make_error("--config " + path + ": " + util::errno_text(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_config(text, path);
}

}  // namespace lambda_emu::config
