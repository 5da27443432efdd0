#include "frontend/invoke_client.h"

#include <httplib.h>

#include "events/url_encoding.h"
#include "util/base64.h"

namespace lambda_emu::frontend {

util::Result<RemoteInvocation> invoke_remote(const std::string& host, std::uint16_t port,
                                             const std::string& function,
                                             const std::string& payload) {
    httplib::Client client(host, port);
    client.set_connection_timeout(std::chrono::seconds(5));
    // The function's own timeout bounds the answer; 900 s is the longest there is.
    client.set_read_timeout(std::chrono::seconds(905));
    httplib::Headers headers = {{"X-Amz-Log-Type", "Tail"}};
    auto res =
        client.Post("/2015-03-31/functions/" + events::query_encode(function) + "/invocations",
                    headers, payload, "application/json");
    if (!res) {
        return util::make_error("cannot reach the Invoke API at " + host + ":" +
                                std::to_string(port) + " (" + httplib::to_string(res.error()) +
                                "); is `lambda-emu serve` or `lambda-emu watch` running there?");
    }
    RemoteInvocation out;
    out.status = res->status;
    out.payload = res->body;
    out.function_error = res->get_header_value("X-Amz-Function-Error");
    out.error_type = res->get_header_value("X-Amzn-ErrorType");
    out.request_id = res->get_header_value("X-Amzn-RequestId");
    if (auto log = util::base64_decode(res->get_header_value("X-Amz-Log-Result"))) {
        out.log_tail = *log;
    }
    return out;
}

}  // namespace lambda_emu::frontend
