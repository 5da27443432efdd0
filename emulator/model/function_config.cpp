#include "model/function_config.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace lambda_emu::model {

namespace {

// Variables the service sets and refuses to let a function configuration override.
constexpr std::array<std::string_view, 20> k_reserved = {
    "_HANDLER",
    "_X_AMZN_TRACE_ID",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_EXECUTION_ENV",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_INITIALIZATION_TYPE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
    "AWS_ACCESS_KEY",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_LAMBDA_RUNTIME_API",
    "LAMBDA_TASK_ROOT",
    "LAMBDA_RUNTIME_DIR",
    "_LAMBDA_SERVER_PORT",
    "AWS_LAMBDA_MAX_CONCURRENCY",
};

bool is_alnum(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

util::Status validate_function_name(const std::string& name) {
    if (name.empty() || name.size() > 64) {
        return util::make_error("function name '" + name + "' must be 1 to 64 characters");
    }
    for (char c : name) {
        if (!is_alnum(c) && c != '-' && c != '_') {
            return util::make_error("function name '" + name +
                                    "' may contain only letters, digits, '-' and '_'");
        }
    }
    return util::Ok{};
}

util::Status validate_env_key(const std::string& key) {
    bool letter_first =
        !key.empty() && ((key[0] >= 'a' && key[0] <= 'z') || (key[0] >= 'A' && key[0] <= 'Z'));
    bool chars_ok =
        std::all_of(key.begin(), key.end(), [](char c) { return is_alnum(c) || c == '_'; });
    if (!letter_first || key.size() < 2 || !chars_ok) {
        return util::make_error("environment variable name '" + key +
                                "' must start with a letter, have at least 2 characters, and "
                                "contain only letters, digits and '_'");
    }
    if (std::find(k_reserved.begin(), k_reserved.end(), key) != k_reserved.end()) {
        return util::make_error("environment variable '" + key +
                                "' is reserved by Lambda and cannot be set");
    }
    return util::Ok{};
}

util::Status validate_env_size(const EnvList& env) {
    std::size_t total = 0;
    for (const auto& [k, v] : env) total += k.size() + v.size();
    if (total > k_max_env_bytes) {
        return util::make_error("environment variables total " + std::to_string(total) +
                                " bytes; Lambda allows at most " + std::to_string(k_max_env_bytes));
    }
    return util::Ok{};
}

}  // namespace lambda_emu::model
