// The HTTP front ends of `serve --http-port`: real HTTP requests become the events API Gateway,
// Function URLs and ALBs send, and the handler's answer becomes the HTTP response, as those
// services map it (lambda-facts section 9).
//   /lambda-url/{function}/{path...}  a Function URL for every function (as `cargo lambda watch`)
//   {base_path}/{path...}             each API of lambda-emu.json's "apis", by its routes
// Socket-free: http_listener feeds it requests.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config_file.h"
#include "events/http_response.h"
#include "frontend/api_message.h"
#include "frontend/invoke_api.h"
#include "frontend/route_table.h"

namespace lambda_emu::frontend {

class HttpGateway {
  public:
    HttpGateway(const FunctionDirectory& functions, std::vector<config::ApiEntry> apis);

    ApiResponse handle(const ApiRequest& request);

    // "REST API 'shop' (stage prod) on /prod: GET /orders/{id} -> orders", one line per route.
    std::vector<std::string> describe() const;

  private:
    struct MountedApi {
        config::ApiEntry entry;
        RouteTable routes;
        std::string id;  // the API id, or the ALB target group's ARN
    };
    struct Delivery {
        events::HttpEventKind kind;
        InvokeTarget target;
        std::string payload;
        std::string request_id;
        std::string label;  // "Function URL", "REST API 'shop'"
        bool alb_multi_value = false;
    };

    ApiResponse function_url(const ApiRequest& request, const std::string& path,
                             const std::string& query);
    ApiResponse api(const MountedApi& api, const ApiRequest& request, const std::string& path,
                    const std::string& query);
    ApiResponse deliver(const Delivery& delivery);
    // As deliver(), passing a streamed response on as it arrives.
    ApiResponse deliver_streaming(const Delivery& delivery);
    // The HTTP response for an invocation's outcome (nullopt: not admitted, 429); a non-empty
    // problem makes it the front end's 502.
    ApiResponse reply_for(const Delivery& delivery, const std::optional<model::Outcome>& outcome,
                          const std::string& request_id, const std::string& problem = "");
    const MountedApi* mounted_at(const std::string& path) const;

    const FunctionDirectory& m_functions;
    std::map<std::string, std::string> m_url_ids;  // function name -> its url id, fixed at start
    std::vector<MountedApi> m_apis;
};

}  // namespace lambda_emu::frontend
