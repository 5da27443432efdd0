#include "events/http_request.h"

#include <algorithm>
#include <cctype>

#include "events/url_encoding.h"

namespace lambda_emu::events {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_json(const std::string& text) { return Json::accept(text); }

}  // namespace

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

util::Result<HttpRequest> read_http_request(const BuildContext& context) {
    HttpRequest r;
    r.method = context.get("method", "GET");
    std::transform(r.method.begin(), r.method.end(), r.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (r.method.empty() || !std::all_of(r.method.begin(), r.method.end(),
                                         [](unsigned char c) { return std::isupper(c); })) {
        return util::make_error("--method " + context.get("method", "") +
                                ": not an HTTP method such as GET or POST");
    }

    r.path = context.get("path", "/");
    if (r.path.empty() || r.path.front() != '/') {
        return util::make_error("--path " + r.path + ": must start with '/'");
    }
    std::size_t question = r.path.find('?');
    if (question != std::string::npos) {
        if (context.has("query")) {
            return util::make_error("--path " + r.path +
                                    ": give the query string either in --path or in --query");
        }
        r.raw_query = r.path.substr(question + 1);
        r.path.resize(question);
    } else {
        r.raw_query = context.get("query", "");
    }
    if (!r.raw_query.empty() && r.raw_query.front() == '?') r.raw_query.erase(0, 1);
    if (auto decoded = decoded_query(r.raw_query); !decoded) return decoded.error();

    for (const std::string& header : context.all("header")) {
        std::size_t colon = header.find(':');
        std::string_view name = colon == std::string::npos
                                    ? std::string_view{}
                                    : trim(std::string_view(header).substr(0, colon));
        if (name.empty()) {
            return util::make_error("--header " + header + ": expected \"Name: value\"");
        }
        r.user_headers.emplace_back(std::string(name),
                                    std::string(trim(std::string_view(header).substr(colon + 1))));
    }
    r.body = context.find("body");
    r.source_ip = "203.0.113." + std::to_string(1 + std::stoi(random_digits(3)) % 254);
    return r;
}

NameValues merge_headers(const NameValues& defaults, const HttpRequest& request) {
    NameValues all = defaults;
    if (request.body) {
        all.emplace_back("Content-Type",
                         is_json(*request.body) ? "application/json" : "text/plain");
        all.emplace_back("Content-Length", std::to_string(request.body->size()));
    }
    NameValues out;
    for (const auto& header : all) {
        std::string name = lower(header.first);
        bool overridden = std::any_of(request.user_headers.begin(), request.user_headers.end(),
                                      [&](const auto& h) { return lower(h.first) == name; });
        if (!overridden) out.push_back(header);
    }
    out.insert(out.end(), request.user_headers.begin(), request.user_headers.end());
    return out;
}

std::string header_value(const NameValues& headers, std::string_view name) {
    std::string value;
    for (const auto& [n, v] : headers) {
        if (lower(n) == lower(name)) value = v;
    }
    return value;
}

util::Result<NameValues> decoded_query(std::string_view raw_query) {
    NameValues out;
    for (const auto& [name, value] : split_query(raw_query)) {
        auto n = url_decode(name, true);
        auto v = url_decode(value, true);
        if (!n || !v) {
            return util::make_error("--query " + std::string(raw_query) +
                                    ": malformed %-escape in '" + name + "=" + value + "'");
        }
        out.emplace_back(*n, *v);
    }
    return out;
}

}  // namespace lambda_emu::events
