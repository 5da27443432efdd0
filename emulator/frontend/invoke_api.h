// The Lambda Invoke API (POST /2015-03-31/functions/{FunctionName}/invocations), as the AWS CLI
// and SDKs call it, over the pools of the functions being served. Socket-free: http_listener
// feeds it requests.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <string>

#include "frontend/api_message.h"
#include "frontend/async_invoker.h"
#include "frontend/function_directory.h"
#include "pool/function_pool.h"
#include "report/tail_sink.h"

namespace lambda_emu::frontend {

struct InvokeApiOptions {
    // Refuse with 429 when every environment of the function is busy, instead of waiting.
    bool throttle = false;
};

class InvokeApi {
  public:
    InvokeApi(const FunctionDirectory& functions, AsyncInvoker& async, InvokeApiOptions options)
        : m_functions(functions), m_async(async), m_options(options) {}

    ApiResponse handle(const ApiRequest& request);
    // From now on every request gets 503 ServiceException.
    void stop_accepting() { m_stopping = true; }

  private:
    ApiResponse invoke(const ApiRequest& request, const std::string& function_param);

    const FunctionDirectory& m_functions;
    AsyncInvoker& m_async;
    InvokeApiOptions m_options;
    std::atomic<bool> m_stopping{false};
};

// The service's error shape: X-Amzn-ErrorType and {"Type":"User","message":...}.
ApiResponse service_error(int status, const std::string& type, const std::string& message,
                          const std::string& request_id);

}  // namespace lambda_emu::frontend
