// The environment variables a runtime starts with (lambda-facts section 6).
#pragma once

#include <string>
#include <vector>

#include "model/function_config.h"
#include "util/clock.h"

namespace lambda_emu::sandbox {

struct HostEnvironment {
    std::string path;             // the caller's PATH (the service's own PATH names /var/lang/bin)
    std::string ld_library_path;  // the caller's LD_LIBRARY_PATH, if any
    std::string access_key_id, secret_access_key, session_token;  // passed through when set
};

HostEnvironment host_environment_from_process();

// "KEY=VALUE" entries: reserved variables, lambda-emu's defaults, then the user's.
std::vector<std::string> runtime_environment(const model::FunctionConfig& config,
                                             const std::string& runtime_api_address,
                                             const std::string& log_stream_name,
                                             const HostEnvironment& host);

// "2024/08/18/[$LATEST]60cefc4c4d174d898e4dbb301f9f10ef"
std::string new_log_stream_name(const std::string& version, util::SystemTime now);

}  // namespace lambda_emu::sandbox
