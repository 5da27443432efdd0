// A local Function URL for every function served, in the manner of `cargo lambda watch`:
// /lambda-url/{function}/{path...} becomes a Function URL event (payload format 2.0) and the
// handler's answer becomes the HTTP response, as the service maps it.
#pragma once

#include <map>
#include <string>

#include "frontend/api_message.h"
#include "frontend/invoke_api.h"

namespace lambda_emu::frontend {

class FunctionUrlGateway {
  public:
    explicit FunctionUrlGateway(std::map<std::string, InvokeTarget> targets);

    ApiResponse handle(const ApiRequest& request);

  private:
    std::map<std::string, InvokeTarget> m_targets;
    std::map<std::string, std::string> m_url_ids;  // function name -> its url id, fixed at start
};

}  // namespace lambda_emu::frontend
