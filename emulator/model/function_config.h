// A function as lambda-emu runs it: what the service's function configuration holds.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/limits.h"
#include "util/result.h"

namespace lambda_emu::model {

using EnvList = std::vector<std::pair<std::string, std::string>>;

struct FunctionConfig {
    std::string name;
    std::string bootstrap;  // absolute path of the executable
    std::string task_root;  // its directory: LAMBDA_TASK_ROOT and the working directory
    std::string handler = "bootstrap";
    std::string version = "$LATEST";
    std::string region = "us-east-1";
    std::string account_id = "000000000000";
    int memory_mb = k_default_memory_mb;
    int timeout_s = k_default_timeout_s;
    bool enforce_memory_limit = true;
    std::string initialization_type = "on-demand";
    EnvList environment;  // the user's variables
    // External extensions (absolute paths): started before the runtime in every environment,
    // as the service starts the executables in /opt/extensions.
    std::vector<std::string> extensions;
    std::string log_format;  // LoggingConfig.LogFormat: "Text" or "JSON"; empty: not configured
    std::string application_log_level;  // JSON only: TRACE, DEBUG, INFO, WARN, ERROR, FATAL
    std::string system_log_level;       // JSON only: DEBUG, INFO, WARN

    std::string arn() const {
        return "arn:aws:lambda:" + region + ":" + account_id + ":function:" + name;
    }
};

// Function names: 1-64 characters of [a-zA-Z0-9-_].
util::Status validate_function_name(const std::string& name);
// Keys: a letter, then [A-Za-z0-9_], at least 2 characters; reserved keys refused.
util::Status validate_env_key(const std::string& key);
// The 4 KB limit over all variables.
util::Status validate_env_size(const EnvList& env);

}  // namespace lambda_emu::model
