#include "events/http_event.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>

#include "util/base64.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

using Json = nlohmann::ordered_json;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Query-string decoding: %XX and '+' as a space.
std::string url_decode(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '+') {
            out.push_back(' ');
        } else if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
                   hex_value(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
            i += 2;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

bool is_text(const std::string& content_type) {
    std::string ct = lower(content_type);
    if (ct.empty()) return true;
    for (const char* marker :
         {"text/", "json", "xml", "javascript", "x-www-form-urlencoded", "yaml"}) {
        if (ct.find(marker) != std::string::npos) return true;
    }
    return false;
}

bool valid_utf8(const std::string& s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = c < 0x80             ? 0
                            : (c & 0xE0) == 0xC0 ? 1
                            : (c & 0xF0) == 0xE0 ? 2
                            : (c & 0xF8) == 0xF0 ? 3
                                                 : 4;
        if (extra == 4 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        }
        i += extra + 1;
    }
    return true;
}

}  // namespace

std::string clf_time(util::SystemTime t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    return buf;
}

std::string function_url_event(const HttpRequestData& request, const FunctionUrlContext& context) {
    Json headers = Json::object();
    std::vector<std::string> cookies;
    std::string content_type;
    std::string user_agent;
    for (const auto& [name, value] : request.headers) {
        std::string key = lower(name);
        if (key == "cookie") {
            std::size_t start = 0;
            while (start < value.size()) {
                auto end = value.find(';', start);
                std::string c =
                    value.substr(start, end == std::string::npos ? std::string::npos : end - start);
                c.erase(0, c.find_first_not_of(' '));
                if (!c.empty()) cookies.push_back(c);
                if (end == std::string::npos) break;
                start = end + 1;
            }
            continue;
        }
        if (key == "content-type") content_type = value;
        if (key == "user-agent") user_agent = value;
        if (headers.contains(key)) {
            headers[key] = headers[key].get<std::string>() + "," + value;
        } else {
            headers[key] = value;
        }
    }
    std::string domain = context.url_id + ".lambda-url." + context.region + ".on.aws";
    headers["host"] = domain;
    headers["x-forwarded-proto"] = "https";
    headers["x-forwarded-port"] = "443";
    headers["x-forwarded-for"] = request.source_ip;
    if (!headers.contains("x-amzn-trace-id"))
        headers["x-amzn-trace-id"] = "Root=1-00000000-000000000000000000000000";

    Json query = Json::object();
    std::size_t start = 0;
    while (start < request.raw_query.size()) {
        auto end = request.raw_query.find('&', start);
        std::string pair = request.raw_query.substr(
            start, end == std::string::npos ? std::string::npos : end - start);
        if (!pair.empty()) {
            auto eq = pair.find('=');
            std::string k = url_decode(pair.substr(0, eq));
            std::string v = eq == std::string::npos ? "" : url_decode(pair.substr(eq + 1));
            query[k] = query.contains(k) ? query[k].get<std::string>() + "," + v : v;
        }
        if (end == std::string::npos) break;
        start = end + 1;
    }

    Json e;
    e["version"] = "2.0";
    e["routeKey"] = "$default";
    e["rawPath"] = request.raw_path;
    e["rawQueryString"] = request.raw_query;
    if (!cookies.empty()) e["cookies"] = cookies;
    e["headers"] = headers;
    if (!query.empty()) e["queryStringParameters"] = query;
    Json http;
    http["method"] = request.method;
    http["path"] = request.raw_path;
    http["protocol"] = "HTTP/1.1";
    http["sourceIp"] = request.source_ip;
    http["userAgent"] = user_agent;
    Json ctx;
    ctx["accountId"] = "anonymous";
    ctx["apiId"] = context.url_id;
    ctx["domainName"] = domain;
    ctx["domainPrefix"] = context.url_id;
    ctx["http"] = http;
    ctx["requestId"] = context.request_id;
    ctx["routeKey"] = "$default";
    ctx["stage"] = "$default";
    ctx["time"] = clf_time(context.time);
    ctx["timeEpoch"] = util::epoch_ms(context.time);
    e["requestContext"] = ctx;
    bool binary = !request.body.empty() && (!is_text(content_type) || !valid_utf8(request.body));
    if (!request.body.empty())
        e["body"] = binary ? util::base64_encode(request.body) : request.body;
    e["isBase64Encoded"] = binary;
    return e.dump();
}

}  // namespace lambda_emu::events
