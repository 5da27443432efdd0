#include "testrun/case_file.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "events/generator.h"
#include "model/limits.h"
#include "util/clock.h"
#include "util/fd.h"

namespace lambda_emu::testrun {

namespace {

namespace fs = std::filesystem;

const std::set<std::string> k_case_keys = {"name",        "event", "event_file", "generate",
                                           "environment", "cold",  "expect"};
const std::set<std::string> k_expect_keys = {
    "response",    "response_contains", "json",          "http",          "error",         "logs",
    "max_init_ms", "max_duration_ms",   "max_billed_ms", "max_memory_mb", "batch_failures"};
const std::set<std::string> k_function_keys = {"bootstrap", "name",           "handler",
                                               "memory",    "timeout",        "environment",
                                               "config",    "no_memory_limit"};

std::string joined(const std::set<std::string>& keys) {
    std::string out;
    for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
    return out;
}

struct Context {
    std::string path;
    fs::path base;
    std::string where;  // "case 'x'" or "function"
    util::Error error(const std::string& reason) const {
        return util::make_error(path + ": " + where + ": " + reason);
    }
    std::string resolve(const std::string& p) const {
        fs::path candidate(p);
        if (candidate.is_relative()) candidate = base / candidate;
        return candidate.lexically_normal().string();
    }
};

util::Status only_keys(const Context& ctx, const Json& j, const std::set<std::string>& keys,
                       const std::string& what) {
    for (const auto& [key, value] : j.items()) {
        (void)value;
        if (!keys.count(key)) {
            return ctx.error("unknown key '" + key + "' in " + what + " (known: " + joined(keys) +
                             ")");
        }
    }
    return util::Ok{};
}

util::Result<Matcher> matcher_of(const Context& ctx, const Json& j, const std::string& what) {
    Matcher m;
    m.value = j;
    if (j.is_object() && j.size() == 1) {
        auto first = j.begin();
        const std::string key = first.key();
        const Json& value = first.value();
        if (key == "contains" || key == "regex") {
            if (!value.is_string()) return ctx.error(what + ": '" + key + "' takes a string");
            m.kind = key == "contains" ? Matcher::Kind::contains : Matcher::Kind::regex;
            m.value = value;
            if (m.kind == Matcher::Kind::regex) {
                try {
                    std::regex check(value.get<std::string>());
                } catch (const std::regex_error& e) {
                    return ctx.error(what + ": not a valid regex: " + e.what());
                }
            }
        } else if (key == "exists") {
            if (!value.is_boolean()) return ctx.error(what + ": 'exists' takes true or false");
            m.kind = Matcher::Kind::exists;
            m.value = value;
        }
    }
    return m;
}

util::Result<std::vector<PointerCheck>> pointer_checks(const Context& ctx, const Json& j,
                                                       const std::string& what) {
    if (!j.is_object()) {
        return ctx.error(what +
                         ": must be an object of JSON pointer to expected value, e.g. "
                         "{\"/statusCode\": 200}");
    }
    std::vector<PointerCheck> out;
    for (const auto& [pointer, value] : j.items()) {
        if (!pointer.empty() && pointer.front() != '/') {
            return ctx.error(what + ": '" + pointer + "' is not a JSON pointer (it starts with /)");
        }
        try {
            Json::json_pointer check(pointer);
        } catch (const Json::exception& e) {
            return ctx.error(what + ": '" + pointer + "' is not a JSON pointer");
        }
        auto m = matcher_of(ctx, value, what + " " + pointer);
        if (!m) return m.error();
        out.push_back({pointer, *m});
    }
    return out;
}

util::Result<std::optional<double>> budget(const Context& ctx, const Json& expect,
                                           const char* key) {
    if (!expect.contains(key)) return std::optional<double>{};
    const Json& v = expect[key];
    if (!v.is_number() || v.get<double>() < 0) {
        return ctx.error(std::string("expect.") + key + ": must be a non-negative number");
    }
    return std::optional<double>(v.get<double>());
}

util::Result<std::vector<std::string>> strings(const Context& ctx, const Json& j,
                                               const std::string& what) {
    std::vector<std::string> out;
    Json list = j.is_string() ? Json::array({j}) : j;
    if (!list.is_array()) return ctx.error(what + ": must be a string or a list of strings");
    for (const auto& s : list) {
        if (!s.is_string()) return ctx.error(what + ": must be a string or a list of strings");
        out.push_back(s.get<std::string>());
    }
    return out;
}

util::Result<Expectations> parse_expect(const Context& ctx, const Json& e) {
    Expectations x;
    if (!e.is_object()) return ctx.error("expect: must be an object");
    if (auto st = only_keys(ctx, e, k_expect_keys, "expect"); !st) return st.error();
    if (e.contains("response")) x.response = e["response"];
    if (e.contains("response_contains")) x.response_contains = e["response_contains"];
    if (e.contains("json")) {
        auto checks = pointer_checks(ctx, e["json"], "expect.json");
        if (!checks) return checks.error();
        x.json = std::move(*checks);
    }
    if (e.contains("http")) {
        const Json& h = e["http"];
        if (!h.is_object()) return ctx.error("expect.http: must be an object");
        if (auto st = only_keys(ctx, h, {"status", "headers", "body", "json"}, "expect.http"); !st)
            return st.error();
        if (h.contains("status")) {
            if (!h["status"].is_number_integer())
                return ctx.error("expect.http.status: must be an HTTP status code");
            x.http_status = h["status"].get<int>();
        }
        if (h.contains("headers")) {
            if (!h["headers"].is_object())
                return ctx.error("expect.http.headers: must be an object of header to value");
            for (const auto& [name, value] : h["headers"].items()) {
                auto m = matcher_of(ctx, value, "expect.http.headers." + name);
                if (!m) return m.error();
                x.http_headers.emplace_back(name, *m);
            }
        }
        if (h.contains("body")) {
            auto m = matcher_of(ctx, h["body"], "expect.http.body");
            if (!m) return m.error();
            x.http_body = *m;
        }
        if (h.contains("json")) {
            auto checks = pointer_checks(ctx, h["json"], "expect.http.json");
            if (!checks) return checks.error();
            x.http_json = std::move(*checks);
        }
    }
    if (e.contains("error")) {
        const Json& err = e["error"];
        if (err.is_string()) {
            x.error_type = err.get<std::string>();
        } else if (err.is_object()) {
            if (auto st = only_keys(ctx, err, {"type", "message"}, "expect.error"); !st)
                return st.error();
            if (err.contains("type")) {
                if (!err["type"].is_string())
                    return ctx.error("expect.error.type: must be a string");
                x.error_type = err["type"].get<std::string>();
            }
            if (err.contains("message")) {
                auto m = matcher_of(ctx, err["message"], "expect.error.message");
                if (!m) return m.error();
                x.error_message = *m;
            }
            if (!x.error_type && !x.error_message) x.error_type = "";
        } else {
            return ctx.error("expect.error: must be an error type or {\"type\", \"message\"}");
        }
        if (!x.error_type) x.error_type = "";
    }
    if (e.contains("logs")) {
        const Json& l = e["logs"];
        if (!l.is_object()) return ctx.error("expect.logs: must be an object");
        if (auto st = only_keys(ctx, l, {"contain", "exclude", "match"}, "expect.logs"); !st)
            return st.error();
        for (const auto& [key, target] :
             {std::pair<const char*, std::vector<std::string>*>{"contain", &x.logs_contain},
              {"exclude", &x.logs_exclude},
              {"match", &x.logs_match}}) {
            if (!l.contains(key)) continue;
            auto list = strings(ctx, l[key], std::string("expect.logs.") + key);
            if (!list) return list.error();
            *target = std::move(*list);
        }
        for (const auto& re : x.logs_match) {
            try {
                std::regex check(re);
            } catch (const std::regex_error& err) {
                return ctx.error("expect.logs.match: not a valid regex: " + re);
            }
        }
    }
    for (auto [key, target] :
         {std::pair<const char*, std::optional<double>*>{"max_init_ms", &x.max_init_ms},
          {"max_duration_ms", &x.max_duration_ms},
          {"max_billed_ms", &x.max_billed_ms},
          {"max_memory_mb", &x.max_memory_mb}}) {
        auto b = budget(ctx, e, key);
        if (!b) return b.error();
        *target = *b;
    }
    if (e.contains("batch_failures")) {
        auto ids = strings(ctx, e["batch_failures"], "expect.batch_failures");
        if (!ids) return ids.error();
        x.batch_failures = std::move(*ids);
    }
    return x;
}

util::Result<model::EnvList> environment_of(const Context& ctx, const Json& env) {
    if (!env.is_object()) return ctx.error("environment: must be an object of strings");
    model::EnvList out;
    for (const auto& [key, value] : env.items()) {
        if (!value.is_string()) return ctx.error("environment: " + key + ": must be a string");
        if (auto st = model::validate_env_key(key); !st) {
            return ctx.error("environment: " + st.error().message);
        }
        out.emplace_back(key, value.get<std::string>());
    }
    return out;
}

util::Result<model::FunctionConfig> parse_function(Context ctx, const Json& root,
                                                   const Loaders& loaders) {
    ctx.where = "function";
    if (!root.contains("function")) {
        return ctx.error(
            "'function' is required: {\"bootstrap\": PATH, ...}, or a function name "
            "with \"config\": \"lambda-emu.json\"");
    }
    const Json& f = root["function"];
    if (f.is_string()) {
        if (!root.contains("config") || !root["config"].is_string()) {
            return ctx.error("a function named by a string needs \"config\": \"lambda-emu.json\"");
        }
        auto config =
            loaders.function(ctx.resolve(root["config"].get<std::string>()), f.get<std::string>());
        if (!config) return ctx.error(config.error().message);
        return config;
    }
    if (!f.is_object()) return ctx.error("must be an object or a function name");
    if (auto st = only_keys(ctx, f, k_function_keys, "function"); !st) return st.error();
    if (f.contains("config")) {
        if (!f["config"].is_string() || !f.contains("name") || !f["name"].is_string()) {
            return ctx.error("\"config\" takes a path, with \"name\" the function in it");
        }
        auto config = loaders.function(ctx.resolve(f["config"].get<std::string>()),
                                       f["name"].get<std::string>());
        if (!config) return ctx.error(config.error().message);
        return config;
    }
    if (!f.contains("bootstrap") || !f["bootstrap"].is_string()) {
        return ctx.error("'bootstrap' (a path) is required");
    }
    auto config = loaders.bootstrap(ctx.resolve(f["bootstrap"].get<std::string>()));
    if (!config) return ctx.error(config.error().message);
    model::FunctionConfig c = *config;
    if (f.contains("name")) {
        if (!f["name"].is_string()) return ctx.error("name: must be a string");
        c.name = f["name"].get<std::string>();
        if (auto st = model::validate_function_name(c.name); !st)
            return ctx.error("name: " + st.error().message);
    }
    if (f.contains("handler")) {
        if (!f["handler"].is_string()) return ctx.error("handler: must be a string");
        c.handler = f["handler"].get<std::string>();
    }
    if (f.contains("memory")) {
        const Json& m = f["memory"];
        if (!m.is_number_integer() || m < model::k_min_memory_mb || m > model::k_max_memory_mb) {
            return ctx.error("memory: must be a whole number of MB from 128 to 10240");
        }
        c.memory_mb = m.get<int>();
    }
    if (f.contains("timeout")) {
        const Json& t = f["timeout"];
        if (!t.is_number_integer() || t < model::k_min_timeout_s || t > model::k_max_timeout_s) {
            return ctx.error("timeout: must be a whole number of seconds from 1 to 900");
        }
        c.timeout_s = t.get<int>();
    }
    if (f.contains("no_memory_limit")) {
        if (!f["no_memory_limit"].is_boolean()) return ctx.error("no_memory_limit: true or false");
        c.enforce_memory_limit = !f["no_memory_limit"].get<bool>();
    }
    if (f.contains("environment")) {
        auto env = environment_of(ctx, f["environment"]);
        if (!env) return env.error();
        c.environment.insert(c.environment.end(), env->begin(), env->end());
    }
    return c;
}

util::Result<std::string> event_of(const Context& ctx, const Json& c, const Loaders& loaders) {
    int given = (c.contains("event") ? 1 : 0) + (c.contains("event_file") ? 1 : 0) +
                (c.contains("generate") ? 1 : 0);
    if (given > 1) return ctx.error("give the event once: event, event_file or generate");
    if (c.contains("event")) return c["event"].dump();
    if (c.contains("event_file")) {
        if (!c["event_file"].is_string()) return ctx.error("event_file: must be a path");
        std::string name = c["event_file"].get<std::string>();
        bool is_path =
            name.find('/') != std::string::npos || name.find(".json") != std::string::npos;
        auto text = loaders.event(is_path ? ctx.resolve(name) : name);
        if (!text) return ctx.error("event_file: " + text.error().message);
        return text;
    }
    if (c.contains("generate")) {
        std::vector<std::string> args;
        const Json& g = c["generate"];
        if (g.is_string()) {
            // "sqs --body x --count 3": words separated by spaces, no quoting.
            std::string word;
            for (char ch : g.get<std::string>() + " ") {
                if (ch == ' ') {
                    if (!word.empty()) args.push_back(word);
                    word.clear();
                } else {
                    word += ch;
                }
            }
        } else if (g.is_array()) {
            for (const auto& a : g) {
                if (!a.is_string()) return ctx.error("generate: a list of strings");
                args.push_back(a.get<std::string>());
            }
        } else {
            return ctx.error(
                "generate: the arguments of `lambda-emu event generate`, as a string or a list, "
                "e.g. [\"s3\", \"put\", \"--key\", \"a b.jpg\"]");
        }
        auto request = events::parse_event_args(args);
        if (!request) return ctx.error("generate: " + request.error().message);
        auto event = events::generate_event(*request, util::system_clock());
        if (!event) return ctx.error("generate: " + event.error().message);
        return event;
    }
    return std::string("{}");
}

}  // namespace

util::Result<CaseFile> parse_case_file(const std::string& text, const std::string& path,
                                       const Loaders& loaders) {
    Context ctx{path, fs::absolute(fs::path(path)).parent_path(), "top level"};
    Json root = Json::parse(text, nullptr, false);
    if (root.is_discarded()) return ctx.error("not valid JSON");
    if (!root.is_object()) return ctx.error("must be an object with \"function\" and \"cases\"");
    if (auto st = only_keys(ctx, root, {"function", "config", "cases"}, "the case file"); !st)
        return st.error();
    CaseFile out;
    out.path = path;
    auto function = parse_function(ctx, root, loaders);
    if (!function) return function.error();
    out.function = *function;
    if (!root.contains("cases") || !root["cases"].is_array() || root["cases"].empty()) {
        return ctx.error("'cases' must be a non-empty list of cases");
    }
    std::set<std::string> names;
    for (std::size_t i = 0; i < root["cases"].size(); ++i) {
        const Json& c = root["cases"][i];
        ctx.where = "case " + std::to_string(i + 1);
        if (!c.is_object()) return ctx.error("must be an object");
        if (!c.contains("name") || !c["name"].is_string() || c["name"].get<std::string>().empty())
            return ctx.error("'name' (a non-empty string) is required");
        TestCase t;
        t.file = path;
        t.name = c["name"].get<std::string>();
        ctx.where = "case '" + t.name + "'";
        if (!names.insert(t.name).second) return ctx.error("a second case of that name");
        if (auto st = only_keys(ctx, c, k_case_keys, "the case"); !st) return st.error();
        auto event = event_of(ctx, c, loaders);
        if (!event) return event.error();
        t.payload = *event;
        if (t.payload.size() > model::k_max_sync_request_bytes) {
            return ctx.error("the event is over the 6 MB invoke limit");
        }
        if (c.contains("environment")) {
            auto env = environment_of(ctx, c["environment"]);
            if (!env) return env.error();
            t.environment = std::move(*env);
        }
        if (c.contains("cold")) {
            if (!c["cold"].is_boolean()) return ctx.error("cold: true or false");
            t.cold = c["cold"].get<bool>();
        }
        if (c.contains("expect")) {
            auto x = parse_expect(ctx, c["expect"]);
            if (!x) return x.error();
            t.expect = std::move(*x);
        }
        out.cases.push_back(std::move(t));
    }
    return out;
}

util::Result<CaseFile> load_case_file(const std::string& path, const Loaders& loaders) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return util::make_error(path + ": " + util::errno_text(errno));
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_case_file(text, path, loaders);
}

}  // namespace lambda_emu::testrun
