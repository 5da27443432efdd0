// The one place the core includes nlohmann/json.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace lambda_emu::model {

// Ok, or "line L, column C: <reason>".
util::Status validate_json(std::string_view text);

// {"errorType":T,"errorMessage":M}, the shape the service returns for platform errors.
std::string error_body(std::string_view error_type, std::string_view message);

// The body's top-level "errorType" string, or empty when the body is not such an object.
std::string error_type_in_body(std::string_view body);

// The body without its top-level "errorCause" (vnd.aws.lambda.error.cause+json bodies).
std::string without_error_cause(std::string_view body);

// The errorType the REPORT line shows for a runtime-reported error: kept when it matches
// (Runtime|Function).[A-Z][a-zA-Z]+, else Function.Unknown or Runtime.Unknown (RIE fatalerror.go).
std::string reported_error_type(std::string_view type);

// The top-level `key` of a JSON object when it is an array of strings (empty when the object has
// no such key, or null); nothing when the body is not an object or the key holds something else.
std::optional<std::vector<std::string>> string_list_field(std::string_view body,
                                                          std::string_view key);

// `text` as a JSON string literal, quotes included (invalid UTF-8 replaced).
std::string json_quote(std::string_view text);

// True when text is a JSON object (used to pass structured log lines through unchanged).
bool is_json_object(std::string_view text);

}  // namespace lambda_emu::model
