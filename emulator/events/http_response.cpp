#include "events/http_response.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>

#include "util/base64.h"

namespace lambda_emu::events {

namespace {

using nlohmann::json;

const char* reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 409:
            return "Conflict";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        default:
            return "";
    }
}

HttpReply gateway_error(HttpEventKind kind, std::string problem) {
    HttpReply r;
    r.status = 502;
    r.problem = std::move(problem);
    if (kind == HttpEventKind::alb) {
        r.headers = {{"content-type", "text/html"}};
        r.body =
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 "
            "Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";
    } else {
        r.headers = {{"content-type", "application/json"}};
        r.body = kind == HttpEventKind::apigw_v1 ? R"({"message": "Internal server error"})"
                                                 : R"({"message":"Internal Server Error"})";
    }
    return r;
}

bool is_printable(const std::string& s) {
    for (unsigned char c : s) {
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') return false;
    }
    return true;
}

// headers (string values) and multiValueHeaders (lists of strings) into r; false if malformed.
bool add_headers(const json& response, HttpReply& r, std::string& problem, bool use_single,
                 bool use_multi) {
    if (use_single && response.contains("headers") && !response["headers"].is_null()) {
        if (!response["headers"].is_object()) {
            problem = "headers is not an object";
            return false;
        }
        for (const auto& [k, v] : response["headers"].items()) {
            if (v.is_string()) {
                r.headers.emplace_back(k, v.get<std::string>());
            } else if (v.is_number() || v.is_boolean()) {
                r.headers.emplace_back(k, v.dump());
            } else {
                problem = "header '" + k + "' is not a string";
                return false;
            }
        }
    }
    if (use_multi && response.contains("multiValueHeaders") &&
        !response["multiValueHeaders"].is_null()) {
        if (!response["multiValueHeaders"].is_object()) {
            problem = "multiValueHeaders is not an object";
            return false;
        }
        for (const auto& [k, list] : response["multiValueHeaders"].items()) {
            if (!list.is_array()) {
                problem = "multiValueHeaders '" + k + "' is not a list";
                return false;
            }
            for (const auto& v : list)
                r.headers.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
        }
    }
    return true;
}

bool has_header(const HttpReply& r, const std::string& name) {
    for (const auto& [k, v] : r.headers) {
        if (k.size() == name.size() &&
            std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == b;
            })) {
            return true;
        }
    }
    return false;
}

}  // namespace

HttpEventKind http_event_kind(const std::string& event) {
    json e = json::parse(event, nullptr, false);
    if (!e.is_object()) return HttpEventKind::none;
    const json* ctx = e.contains("requestContext") && e["requestContext"].is_object()
                          ? &e["requestContext"]
                          : nullptr;
    if (ctx && ctx->contains("elb")) return HttpEventKind::alb;
    if (e.contains("version") && e["version"] == "2.0" && e.contains("rawPath"))
        return HttpEventKind::apigw_v2;
    if (e.contains("httpMethod") && e.contains("resource") && ctx) return HttpEventKind::apigw_v1;
    return HttpEventKind::none;
}

const char* front_end_name(HttpEventKind kind) {
    switch (kind) {
        case HttpEventKind::apigw_v1:
            return "API Gateway REST API";
        case HttpEventKind::apigw_v2:
            return "HTTP API / Function URL";
        case HttpEventKind::alb:
            return "Application Load Balancer";
        case HttpEventKind::none:
            break;
    }
    return "none";
}

bool alb_multi_value_event(const std::string& event) {
    json e = json::parse(event, nullptr, false);
    return e.is_object() && e.contains("multiValueHeaders");
}

HttpReply http_reply(HttpEventKind kind, const std::string& response, bool function_failed,
                     bool alb_multi_value) {
    if (function_failed) return gateway_error(kind, "the function failed");
    json r = json::parse(response, nullptr, false);
    if (r.is_discarded()) return gateway_error(kind, "the response is not JSON");

    if (kind == HttpEventKind::apigw_v2 && !(r.is_object() && r.contains("statusCode"))) {
        // The inference rule: valid JSON without statusCode is a 200 application/json body.
        HttpReply out;
        out.headers = {{"content-type", "application/json"}};
        out.body = response;
        return out;
    }
    if (!r.is_object()) return gateway_error(kind, "the response is not a JSON object");
    static const std::set<std::string> k_v1_keys = {"statusCode", "headers", "multiValueHeaders",
                                                    "body", "isBase64Encoded"};
    if (kind == HttpEventKind::apigw_v1) {
        for (const auto& [k, v] : r.items()) {
            (void)v;
            if (!k_v1_keys.count(k))
                return gateway_error(kind, "unexpected key '" + k + "' in the response");
        }
    }
    if (!r.contains("statusCode") || !r["statusCode"].is_number_integer()) {
        return gateway_error(kind, "statusCode is missing or not an integer");
    }
    // Read wide: 4294967496 must not pass for 200.
    const auto status = r["statusCode"].get<std::int64_t>();
    if (status < 100 || status > 599) return gateway_error(kind, "statusCode is out of range");
    HttpReply out;
    out.status = static_cast<int>(status);
    std::string problem;
    // An ALB reads multiValueHeaders when the target group has multi-value headers on, and
    // headers otherwise; API Gateway merges both.
    bool single = kind != HttpEventKind::alb || !alb_multi_value;
    bool multi = kind != HttpEventKind::alb || alb_multi_value;
    if (!add_headers(r, out, problem, single, multi)) return gateway_error(kind, problem);
    if (kind == HttpEventKind::apigw_v2 && r.contains("cookies") && r["cookies"].is_array()) {
        for (const auto& c : r["cookies"]) {
            if (c.is_string()) out.headers.emplace_back("set-cookie", c.get<std::string>());
        }
    }
    if (r.contains("body") && !r["body"].is_null()) {
        if (!r["body"].is_string()) return gateway_error(kind, "body is not a string");
        out.body = r["body"].get<std::string>();
    }
    const bool base64 = r.contains("isBase64Encoded") && !r["isBase64Encoded"].is_null();
    if (base64 && !r["isBase64Encoded"].is_boolean())
        return gateway_error(kind, "isBase64Encoded is not true or false");
    if (base64 && r["isBase64Encoded"].get<bool>()) {
        auto decoded = util::base64_decode(out.body);
        if (!decoded) return gateway_error(kind, "isBase64Encoded but the body is not base64");
        out.body = *decoded;
    }
    if (!has_header(out, "content-type")) {
        out.headers.emplace_back("content-type",
                                 kind == HttpEventKind::alb ? "text/plain" : "application/json");
    }
    return out;
}

std::string HttpReply::describe() const {
    std::string text = "HTTP/1.1 " + std::to_string(status) + " " + reason(status);
    for (const auto& [k, v] : headers) text += "\n" + k + ": " + v;
    text += "\n\n";
    text +=
        is_printable(body) ? body : "<" + std::to_string(body.size()) + " bytes of binary data>";
    return text;
}

}  // namespace lambda_emu::events
