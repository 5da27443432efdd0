// HTTP requests and responses of the client-facing APIs, independent of the server library.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace lambda_emu::frontend {

struct ApiRequest {
    std::string method;
    std::string path;  // percent-decoded
    std::map<std::string, std::string> query;
    std::function<const std::string*(const std::string&)> header;  // case-insensitive lookup
    std::string body;
    std::string target;                                        // path and query exactly as sent
    std::vector<std::pair<std::string, std::string>> headers;  // every header, in order
    std::string remote_addr;
};

// A body sent as it is produced: the next piece (data), the end, or an abort (the connection is
// closed without the end of the chunked body, so that the client sees it cut short).
enum class StreamStep { data, end, abort };
using BodyStream = std::function<StreamStep(std::string& piece)>;

struct ApiResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type = "application/json";
    BodyStream stream;  // when set, the body is sent chunked as stream() yields it, not `body`
    // When set, runs once the response has been sent (or the client has gone), before the
    // connection's next request is read: the rest of an invocation that was answered first.
    std::function<void()> after;
};

}  // namespace lambda_emu::frontend
