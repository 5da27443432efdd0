// One invocation as the runtime receives it.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "model/response_stream.h"
#include "util/clock.h"

namespace lambda_emu::model {

struct Invocation {
    std::string request_id;
    std::string payload;
    util::SystemTime deadline;  // wall-clock, for Lambda-Runtime-Deadline-Ms
    std::string invoked_function_arn;
    std::string trace_id;
    std::string client_context;    // decoded JSON, empty when absent
    std::string cognito_identity;  // JSON, empty when absent
    std::string tenant_id;         // empty when absent
    std::string content_type = "application/json";
    // Receives a streamed response as it arrives; null when nobody streams it on.
    std::shared_ptr<ResponseStream> stream;
};

}  // namespace lambda_emu::model
