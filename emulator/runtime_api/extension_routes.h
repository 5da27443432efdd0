// The Extensions API (2020-01-01) and the subscription calls of the Telemetry API (2022-07-01)
// and the Logs API (2020-08-15), as pure functions from request to response over an
// ExtensionRegistry: no sockets. They share the Runtime API's address, as in the service.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "core/extension_registry.h"
#include "runtime_api/http_message.h"

namespace lambda_emu::runtime_api {

// What register answers with.
struct ExtensionApiContext {
    std::string function_name;
    std::string function_version;
    std::string handler;
    std::string account_id;
};

// A subscription from the named extension: "2022-07-01" (Telemetry API) or "2020-08-15" (Logs
// API), and the request's body. Returns the whole answer.
using TelemetrySubscribe = std::function<HttpResponse(
    std::string_view api_version, const std::string& extension_name, const std::string& body)>;

// True for the paths these routes own.
bool is_extension_request(std::string_view target);

HttpResponse handle_extension_request(const HttpRequest& request, core::ExtensionRegistry& registry,
                                      const ExtensionApiContext& context,
                                      const TelemetrySubscribe& subscribe);

}  // namespace lambda_emu::runtime_api
