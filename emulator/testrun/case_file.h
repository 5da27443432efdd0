// Case files of `lambda-emu test`: which function, which event, and what to expect of the
// invocation. One file may hold many cases:
//
//   {"function": {"bootstrap": "../build/examples/cpp/bootstrap", "memory": 128},
//    "cases": [{"name": "echo", "event": {"action": "echo"},
//               "expect": {"response": {"action": "echo"}, "max_duration_ms": 50}}]}
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/function_config.h"
#include "util/result.h"

namespace lambda_emu::testrun {

using Json = nlohmann::ordered_json;

// A check of one value: a JSON value it must equal, or {"contains": "text"}, {"regex": "re"},
// {"exists": false}.
struct Matcher {
    enum class Kind { equals, contains, regex, exists };
    Kind kind = Kind::equals;
    Json value;  // equals: the value; contains/regex: the text; exists: true or false
};

struct PointerCheck {
    std::string pointer;  // "/statusCode"
    Matcher matcher;
};

struct Expectations {
    std::optional<Json> response;           // the payload, exactly (as JSON)
    std::optional<Json> response_contains;  // a subset of the payload
    std::vector<PointerCheck> json;         // checks on the payload at JSON pointers
    // For HTTP events: what the client of the front end receives.
    std::optional<int> http_status;
    std::vector<std::pair<std::string, Matcher>> http_headers;
    std::optional<Matcher> http_body;
    std::vector<PointerCheck> http_json;  // on the body, parsed as JSON
    // An expected failure: the error type (Runtime.ExitError, Sandbox.Timedout, a handler's
    // errorType) and a check of its errorMessage. Without it any failure fails the case.
    std::optional<std::string> error_type;
    std::optional<Matcher> error_message;
    std::vector<std::string> logs_contain;
    std::vector<std::string> logs_exclude;
    std::vector<std::string> logs_match;  // regexes, each matching some line
    std::optional<double> max_init_ms;
    std::optional<double> max_duration_ms;
    std::optional<double> max_billed_ms;
    std::optional<double> max_memory_mb;
    std::optional<std::vector<std::string>> batch_failures;  // the records that would be retried
};

struct TestCase {
    std::string file;  // the case file, as given
    std::string name;
    std::string payload;  // the event
    model::EnvList environment;
    bool cold = false;
    Expectations expect;
};

struct CaseFile {
    std::string path;
    model::FunctionConfig function;
    std::vector<TestCase> cases;
};

// Turns an event file path (relative to the case file's folder, already resolved) or a
// fixture's short name into the event's text.
using EventLoader = std::function<util::Result<std::string>(const std::string& path_or_name)>;
// The function named in a case file ({"config": FILE, "function": NAME}); the path is resolved.
using FunctionLoader = std::function<util::Result<model::FunctionConfig>(
    const std::string& config_path, const std::string& name)>;
// A bootstrap path or directory (resolved) → the function config's bootstrap and task root.
using BootstrapResolver =
    std::function<util::Result<model::FunctionConfig>(const std::string& bootstrap)>;

struct Loaders {
    EventLoader event;
    FunctionLoader function;
    BootstrapResolver bootstrap;
};

// Errors name the file, the case and the reason.
util::Result<CaseFile> parse_case_file(const std::string& text, const std::string& path,
                                       const Loaders& loaders);
util::Result<CaseFile> load_case_file(const std::string& path, const Loaders& loaders);

}  // namespace lambda_emu::testrun
