// Plain HTTP/1.1 request and response values, independent of any socket.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambda_emu::runtime_api {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The value of the first header called `name` (case-insensitive), or nullptr.
const std::string* find_header(const HeaderList& headers, std::string_view name);

struct HttpRequest {
    std::string method;
    std::string target;  // path and query, as sent
    HeaderList headers;
    HeaderList trailers;  // chunked bodies only
    std::string body;
    std::size_t body_bytes = 0;    // bytes received, even past the kept limit
    bool body_over_limit = false;  // body_bytes exceeded the limit; `body` holds only a prefix
    bool chunked = false;
    // The connection ended (or the chunked framing broke) before the whole body arrived; the
    // answer to this request is the connection's last.
    bool truncated = false;

    const std::string* header(std::string_view name) const { return find_header(headers, name); }
    const std::string* trailer(std::string_view name) const { return find_header(trailers, name); }
};

struct HttpResponse {
    int status = 200;
    HeaderList headers;
    std::string body;
    bool close_connection = false;
};

const char* reason_phrase(int status);

// The header's value, or "" when absent.
std::string header_or_empty(const HttpRequest& req, const char* name);
HttpResponse json_response(int status, std::string body);
// {"errorMessage":M,"errorType":T}: the shape of the Runtime and Extensions APIs' errors.
HttpResponse api_error(int status, std::string_view type, std::string_view message);

}  // namespace lambda_emu::runtime_api
