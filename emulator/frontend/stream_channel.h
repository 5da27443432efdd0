// A Function URL's streamed response on its way from the runtime to the HTTP client: the
// Runtime API's connection thread writes the body as it arrives, the HTTP client's thread reads
// it. For the application/vnd.awslambda.http-integration-response content type the body starts
// with a JSON prelude ({"statusCode":...,"headers":{...},"cookies":[...]}) and 8 NUL bytes,
// which become the HTTP status and headers.
#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "frontend/api_message.h"
#include "model/outcome.h"
#include "model/response_stream.h"

namespace lambda_emu::frontend {

inline constexpr std::string_view k_http_integration_type =
    "application/vnd.awslambda.http-integration-response";

struct StreamHead {
    int status = 200;
    std::string content_type;
    std::vector<std::pair<std::string, std::string>> headers;  // set-cookie from cookies[]
};

class StreamChannel final : public model::ResponseStream {
  public:
    // --- the runtime's side ---
    void begin(const std::string& content_type) override;
    void write(std::string_view bytes) override;
    // The invocation ended (nullopt: it was never admitted).
    void finish(std::optional<model::Outcome> outcome);

    // --- the client's side ---
    // Blocks until the HTTP head is known (a streamed response has begun and, for the HTTP
    // integration type, its prelude has arrived) or the invocation ended. The head, or nullopt
    // when the response was not streamed (or its prelude was malformed: see problem()).
    std::optional<StreamHead> wait_head();
    // Blocks for the next piece of the body after the prelude: data, the end, or an abort when
    // the invocation failed part-way (an error trailer, a crash, a timeout).
    StreamStep next(std::string& piece);
    // After the end: the outcome of the invocation.
    std::optional<model::Outcome> outcome() const;
    // Why the prelude could not be read; empty when it could.
    std::string problem() const;

  private:
    void parse_prelude();

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    bool m_streamed = false;
    bool m_integration = false;
    bool m_head_ready = false;
    std::string m_prelude;  // the bytes before the 8 NULs, while they arrive
    StreamHead m_head;
    std::string m_problem;
    std::string m_pending;  // body bytes not yet taken by the client
    bool m_finished = false;
    std::optional<model::Outcome> m_outcome;
};

}  // namespace lambda_emu::frontend
