// lambda-emu's testkit: run a Lambda function's bootstrap from your own C++ tests, as the service
// would run it, and look at what it did.
//
//   lambda_emu::testkit::Function fn({.bootstrap = "build/bootstrap", .memory_mb = 256});
//   auto r = fn.invoke(R"({"action":"echo"})");          // the first invocation is a cold start
//   auto h = fn.invoke_fixture("apigw");                  // fixtures/apigw.json
//   auto s = fn.invoke_generated({"sqs", "--count", "3"}, Start::cold);
//   r.succeeded(); r.json()["action"]; r.metrics().init_duration_ms; r.log_tail();
//
// Nothing here exits or aborts your process; every runtime process is killed and reaped when its
// Function goes out of scope, whatever your assertions did.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace lambda_emu::testkit {

struct FunctionSpec {
    std::string bootstrap{};  // the bootstrap file, or a directory holding one
    std::string name{};       // default: the bootstrap's directory name
    std::string handler = "bootstrap";
    int memory_mb = 128;
    int timeout_s = 3;
    std::vector<std::pair<std::string, std::string>> environment{};
    bool enforce_memory_limit = true;
};

// The REPORT line's figures.
struct Metrics {
    std::optional<double> init_duration_ms;  // a cold start's Init Duration
    double duration_ms = 0;
    long long billed_duration_ms = 0;
    int memory_size_mb = 0;
    int max_memory_used_mb = 0;
};

// What the client of API Gateway, a Function URL or an ALB receives, for an HTTP event.
struct HttpView {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    // The last value of the header (names compared without case); empty when absent.
    std::string header(const std::string& name) const;
};

class Result;
// A Result for an event that could not be made (unknown fixture, bad generator arguments).
// Its outcome is "failure" and error_type "InvalidEvent".
Result invalid_event(const std::string& why);

class Result {
  public:
    // "success", "error", "timeout" or "failure" (the REPORT status names).
    const std::string& outcome() const { return m_outcome; }
    bool succeeded() const { return m_outcome == "success"; }
    // Runtime.ExitError, Sandbox.Timedout, Runtime.OutOfMemory, or the handler's errorType.
    const std::string& error_type() const { return m_error_type; }
    const std::string& error_message() const { return m_error_message; }
    // The response payload (or the error JSON the caller receives).
    const std::string& payload() const { return m_payload; }
    // The payload parsed; a discarded value when it is not JSON.
    nlohmann::json json() const;
    // For API Gateway, Function URL and ALB events; nullopt for other events.
    const std::optional<HttpView>& http() const { return m_http; }
    const Metrics& metrics() const { return m_metrics; }
    // The invocation's log: START, the function's lines, END, REPORT.
    const std::vector<std::string>& log_lines() const { return m_log; }
    // The last lines of the log, as one text (for failure messages).
    std::string log_tail(std::size_t lines = 20) const;
    const std::string& request_id() const { return m_request_id; }

  private:
    friend class Function;
    friend Result invalid_event(const std::string& why);
    std::string m_outcome;
    std::string m_error_type;
    std::string m_error_message;
    std::string m_payload;
    std::optional<HttpView> m_http;
    Metrics m_metrics;
    std::vector<std::string> m_log;
    std::string m_request_id;
};

enum class Start {
    warm,  // reuse the function's environment when it has one (the first invocation is cold)
    cold,  // a fresh environment: Init runs and is measured
};

class Function {
  public:
    explicit Function(FunctionSpec spec);
    ~Function();
    Function(const Function&) = delete;
    Function& operator=(const Function&) = delete;

    // The event as JSON text. A bootstrap that cannot start gives a failed Result
    // (Runtime.InvalidEntrypoint), never an exception.
    Result invoke(const std::string& event_json, Start start = Start::warm);
    // A fixture by short name ("apigw", "sqs", "s3-put", ...).
    Result invoke_fixture(const std::string& name, Start start = Start::warm);
    // A fresh event from the generator: the arguments of `lambda-emu event generate`.
    Result invoke_generated(const std::vector<std::string>& args, Start start = Start::warm);

    // Shut every environment down now (the destructor does it too).
    void shutdown();

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace lambda_emu::testkit
