// A consumer of a streamed response as the runtime sends it (Lambda-Runtime-Function-Response-
// Mode: streaming), so that a Function URL can pass it on chunk by chunk. Called from the Runtime
// API's connection thread; implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace lambda_emu::model {

class ResponseStream {
  public:
    virtual ~ResponseStream() = default;
    // The runtime began a streamed response with this Content-Type.
    virtual void begin(const std::string& content_type) = 0;
    // The next bytes of the body, as they arrive.
    virtual void write(std::string_view bytes) = 0;
};

}  // namespace lambda_emu::model
