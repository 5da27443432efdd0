#include "testrun/expectations.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include "events/batch_response.h"
#include "events/http_response.h"

namespace lambda_emu::testrun {

namespace {

std::string shown(const Json& v) {
    std::string text = v.dump(-1, ' ', false, Json::error_handler_t::replace);
    return text.size() > 200 ? text.substr(0, 200) + "..." : text;
}

std::string text_of(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string escape_pointer_token(const std::string& key) {
    std::string out;
    for (char c : key) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

const Json* at_pointer(const Json& doc, const std::string& pointer) {
    try {
        Json::json_pointer p(pointer);
        if (!doc.contains(p)) return nullptr;
        return &doc.at(p);
    } catch (const Json::exception&) {
        return nullptr;
    }
}

void check_pointers(const std::vector<PointerCheck>& checks, const Json& doc,
                    const std::string& label, std::vector<std::string>& out) {
    for (const auto& c : checks) {
        std::string why = mismatch(c.matcher, at_pointer(doc, c.pointer));
        if (!why.empty()) out.push_back(label + c.pointer + ": " + why);
    }
}

std::string format_ms(double v) {
    std::ostringstream s;
    s.precision(2);
    s << std::fixed << v;
    return s.str();
}

}  // namespace

std::string mismatch(const Matcher& m, const Json* actual) {
    switch (m.kind) {
        case Matcher::Kind::exists: {
            bool want = m.value.get<bool>();
            if (want && !actual) return "expected to exist, missing";
            if (!want && actual) return "expected to be absent, got " + shown(*actual);
            return "";
        }
        case Matcher::Kind::equals:
            if (!actual) return "expected " + shown(m.value) + ", missing";
            return *actual == m.value ? ""
                                      : "expected " + shown(m.value) + ", got " + shown(*actual);
        case Matcher::Kind::contains: {
            if (!actual) return "expected to contain " + shown(m.value) + ", missing";
            std::string text = text_of(*actual);
            return text.find(m.value.get<std::string>()) != std::string::npos
                       ? ""
                       : "expected to contain " + shown(m.value) + ", got " + shown(*actual);
        }
        case Matcher::Kind::regex: {
            if (!actual) return "expected to match /" + m.value.get<std::string>() + "/, missing";
            std::regex re(m.value.get<std::string>());
            return std::regex_search(text_of(*actual), re)
                       ? ""
                       : "expected to match /" + m.value.get<std::string>() + "/, got " +
                             shown(*actual);
        }
    }
    return "";
}

void json_diff(const Json& expected, const Json& actual, bool subset, const std::string& pointer,
               std::vector<std::string>& out) {
    std::string here = pointer.empty() ? "(the whole response)" : pointer;
    if (expected.is_object() && actual.is_object()) {
        for (const auto& [key, value] : expected.items()) {
            std::string child = pointer + "/" + escape_pointer_token(key);
            if (!actual.contains(key)) {
                out.push_back(child + ": expected " + shown(value) + ", missing");
            } else {
                json_diff(value, actual[key], subset, child, out);
            }
        }
        if (!subset) {
            for (const auto& [key, value] : actual.items()) {
                if (!expected.contains(key)) {
                    out.push_back(pointer + "/" + escape_pointer_token(key) +
                                  ": not expected, got " + shown(value));
                }
            }
        }
        return;
    }
    if (expected.is_array() && actual.is_array() && expected.size() == actual.size()) {
        for (std::size_t i = 0; i < expected.size(); ++i) {
            json_diff(expected[i], actual[i], subset, pointer + "/" + std::to_string(i), out);
        }
        return;
    }
    if (expected != actual) {
        out.push_back(here + ": expected " + shown(expected) + ", got " + shown(actual));
    }
}

std::vector<std::string> check_case(const TestCase& test, const model::Outcome& outcome,
                                    const std::string& log) {
    const Expectations& x = test.expect;
    std::vector<std::string> out;
    Json body = Json::parse(outcome.body, nullptr, false);

    // Failure or success.
    std::string error_type;
    std::string error_message;
    if (outcome.failed()) {
        error_type = outcome.error_type;
        if (body.is_object()) {
            if (body.contains("errorType") && body["errorType"].is_string())
                error_type = body["errorType"].get<std::string>();
            if (body.contains("errorMessage") && body["errorMessage"].is_string())
                error_message = body["errorMessage"].get<std::string>();
        }
    }
    if (x.error_type) {
        if (!outcome.failed()) {
            out.push_back("expected the invocation to fail" +
                          (x.error_type->empty() ? std::string() : " with " + *x.error_type) +
                          ", but it succeeded with " +
                          shown(body.is_discarded() ? Json(outcome.body) : body));
        } else {
            if (!x.error_type->empty() && error_type != *x.error_type) {
                out.push_back("error type: expected " + *x.error_type + ", got " +
                              (error_type.empty() ? "none" : error_type) +
                              (error_message.empty() ? "" : " (" + error_message + ")"));
            }
            if (x.error_message) {
                Json message = error_message;
                std::string why = mismatch(*x.error_message, &message);
                if (!why.empty()) out.push_back("error message: " + why);
            }
        }
    } else if (outcome.failed()) {
        out.push_back("the invocation failed: " + (error_type.empty() ? "error" : error_type) +
                      (error_message.empty() ? "" : ": " + error_message));
    }

    // The payload.
    bool wants_json = x.response || x.response_contains || !x.json.empty();
    if (wants_json && body.is_discarded()) {
        out.push_back("the response is not JSON: " + shown(Json(outcome.body)));
    } else if (wants_json) {
        if (x.response) json_diff(*x.response, body, false, "", out);
        if (x.response_contains) json_diff(*x.response_contains, body, true, "", out);
        check_pointers(x.json, body, "", out);
    }

    // The HTTP view.
    bool wants_http =
        x.http_status || !x.http_headers.empty() || x.http_body || !x.http_json.empty();
    if (wants_http) {
        events::HttpEventKind kind = events::http_event_kind(test.payload);
        if (kind == events::HttpEventKind::none) {
            out.push_back(
                "expect.http: the event is not an API Gateway, Function URL or ALB event");
        } else {
            events::HttpReply reply = events::http_reply(
                kind, outcome.body, outcome.failed(), events::alb_multi_value_event(test.payload));
            if (x.http_status && reply.status != *x.http_status) {
                out.push_back("http status: expected " + std::to_string(*x.http_status) + ", got " +
                              std::to_string(reply.status) +
                              (reply.problem.empty() ? "" : " (" + reply.problem + ")"));
            }
            for (const auto& [name, matcher] : x.http_headers) {
                std::optional<Json> value;
                for (const auto& [k, v] : reply.headers) {
                    if (lower(k) == lower(name)) value = Json(v);
                }
                std::string why = mismatch(matcher, value ? &*value : nullptr);
                if (!why.empty()) out.push_back("http header " + name + ": " + why);
            }
            if (x.http_body) {
                Json text = reply.body;
                std::string why = mismatch(*x.http_body, &text);
                if (!why.empty()) out.push_back("http body: " + why);
            }
            if (!x.http_json.empty()) {
                Json parsed = Json::parse(reply.body, nullptr, false);
                if (parsed.is_discarded()) {
                    out.push_back("http body: not JSON: " + shown(Json(reply.body)));
                } else {
                    check_pointers(x.http_json, parsed, "http body ", out);
                }
            }
        }
    }

    // The log.
    for (const auto& text : x.logs_contain) {
        if (log.find(text) == std::string::npos)
            out.push_back("log: expected a line containing " + shown(Json(text)));
    }
    for (const auto& text : x.logs_exclude) {
        if (log.find(text) != std::string::npos)
            out.push_back("log: expected no line containing " + shown(Json(text)));
    }
    for (const auto& pattern : x.logs_match) {
        std::regex re(pattern);
        std::istringstream lines(log);
        std::string line;
        bool found = false;
        while (!found && std::getline(lines, line)) found = std::regex_search(line, re);
        if (!found) out.push_back("log: expected a line matching /" + pattern + "/");
    }

    // Budgets.
    const model::Metrics& m = outcome.metrics;
    if (x.max_init_ms) {
        if (!m.init_duration_ms) {
            out.push_back("Init Duration: none, the invocation was warm (set \"cold\": true)");
        } else if (*m.init_duration_ms > *x.max_init_ms) {
            out.push_back("Init Duration: " + format_ms(*m.init_duration_ms) + " ms, over the " +
                          format_ms(*x.max_init_ms) + " ms budget");
        }
    }
    if (x.max_duration_ms && m.duration_ms > *x.max_duration_ms) {
        out.push_back("Duration: " + format_ms(m.duration_ms) + " ms, over the " +
                      format_ms(*x.max_duration_ms) + " ms budget");
    }
    if (x.max_billed_ms && static_cast<double>(m.billed_duration_ms) > *x.max_billed_ms) {
        out.push_back("Billed Duration: " + std::to_string(m.billed_duration_ms) +
                      " ms, over the " + format_ms(*x.max_billed_ms) + " ms budget");
    }
    if (x.max_memory_mb && m.max_memory_used_mb > *x.max_memory_mb) {
        out.push_back("Max Memory Used: " + std::to_string(m.max_memory_used_mb) +
                      " MB, over the " + format_ms(*x.max_memory_mb) + " MB budget");
    }

    // Partial batch responses.
    if (x.batch_failures) {
        auto verdict = events::interpret_batch(test.payload, outcome.body, outcome.failed());
        if (!verdict) {
            out.push_back("batch_failures: the event is not an SQS, Kinesis or DynamoDB batch");
        } else {
            std::vector<std::string> want = *x.batch_failures;
            std::vector<std::string> got = verdict->retried;
            std::sort(want.begin(), want.end());
            std::sort(got.begin(), got.end());
            if (want != got) {
                out.push_back("batch_failures: expected " + shown(Json(want)) + ", got " +
                              shown(Json(got)) +
                              (verdict->whole_batch_retried ? " (" + verdict->reason + ")" : ""));
            }
        }
    }
    return out;
}

}  // namespace lambda_emu::testrun
