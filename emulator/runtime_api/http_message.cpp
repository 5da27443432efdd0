#include "runtime_api/http_message.h"

#include "model/json_codec.h"

#include <strings.h>

namespace lambda_emu::runtime_api {

const std::string* find_header(const HeaderList& headers, std::string_view name) {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && ::strncasecmp(key.data(), name.data(), name.size()) == 0) {
            return &value;
        }
    }
    return nullptr;
}

const char* reason_phrase(int status) {
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 400:
            return "Bad Request";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 408:
            return "Request Timeout";
        case 411:
            return "Length Required";
        case 413:
            return "Request Entity Too Large";
        case 415:
            return "Unsupported Media Type";
        case 429:
            return "Too Many Requests";
        case 431:
            return "Request Header Fields Too Large";
        case 500:
            return "Internal Server Error";
        case 501:
            return "Not Implemented";
        case 502:
            return "Bad Gateway";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

std::string header_or_empty(const HttpRequest& req, const char* name) {
    const std::string* v = req.header(name);
    return v ? *v : std::string();
}

HttpResponse json_response(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers.emplace_back("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
}

HttpResponse api_error(int status, std::string_view type, std::string_view message) {
    return json_response(status, "{\"errorMessage\":" + model::json_quote(message) +
                                     ",\"errorType\":" + model::json_quote(type) + "}");
}

}  // namespace lambda_emu::runtime_api
