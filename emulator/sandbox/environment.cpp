#include "sandbox/environment.h"

#include <cstdlib>
#include <map>

#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::sandbox {

namespace {

std::string getenv_or_empty(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

}  // namespace

HostEnvironment host_environment_from_process() {
    HostEnvironment h;
    h.path = getenv_or_empty("PATH");
    if (h.path.empty()) h.path = "/usr/local/bin:/usr/bin:/bin";
    h.ld_library_path = getenv_or_empty("LD_LIBRARY_PATH");
    h.access_key_id = getenv_or_empty("AWS_ACCESS_KEY_ID");
    h.secret_access_key = getenv_or_empty("AWS_SECRET_ACCESS_KEY");
    h.session_token = getenv_or_empty("AWS_SESSION_TOKEN");
    return h;
}

std::string new_log_stream_name(const std::string& version, util::SystemTime now) {
    return util::date_slashes(now) + "/[" + version + "]" + util::random_hex(32);
}

std::vector<std::string> runtime_environment(const model::FunctionConfig& config,
                                             const std::string& runtime_api_address,
                                             const std::string& log_stream_name,
                                             const HostEnvironment& host) {
    std::map<std::string, std::string> env;
    // Unreserved defaults; the user's variables override them.
    env["LANG"] = "en_US.UTF-8";
    env["PATH"] = host.path;
    if (!host.ld_library_path.empty()) env["LD_LIBRARY_PATH"] = host.ld_library_path;
    env["TZ"] = ":UTC";
    env["AWS_XRAY_CONTEXT_MISSING"] = "LOG_ERROR";
    // Loopback, so an X-Ray SDK's UDP datagrams never leave the machine.
    env["AWS_XRAY_DAEMON_ADDRESS"] = "127.0.0.1:2000";
    env["_AWS_XRAY_DAEMON_ADDRESS"] = "127.0.0.1";
    env["_AWS_XRAY_DAEMON_PORT"] = "2000";
    for (const auto& [k, v] : config.environment) env[k] = v;

    // Reserved: always the platform's.
    env["_HANDLER"] = config.handler;
    env["AWS_REGION"] = config.region;
    env["AWS_DEFAULT_REGION"] = config.region;
    env["AWS_LAMBDA_FUNCTION_NAME"] = config.name;
    env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = std::to_string(config.memory_mb);
    env["AWS_LAMBDA_FUNCTION_VERSION"] = config.version;
    env["AWS_LAMBDA_INITIALIZATION_TYPE"] = config.initialization_type;
    env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/" + config.name;
    env["AWS_LAMBDA_LOG_STREAM_NAME"] = log_stream_name;
    env["AWS_LAMBDA_RUNTIME_API"] = runtime_api_address;
    env["LAMBDA_TASK_ROOT"] = config.task_root;
    env["LAMBDA_RUNTIME_DIR"] = config.task_root;
    // LoggingConfig: only when configured (the levels only with the JSON format).
    if (!config.log_format.empty()) env["AWS_LAMBDA_LOG_FORMAT"] = config.log_format;
    if (!config.application_log_level.empty())
        env["AWS_LAMBDA_LOG_LEVEL"] = config.application_log_level;
    if (!host.access_key_id.empty()) env["AWS_ACCESS_KEY_ID"] = host.access_key_id;
    if (!host.secret_access_key.empty()) env["AWS_SECRET_ACCESS_KEY"] = host.secret_access_key;
    if (!host.session_token.empty()) env["AWS_SESSION_TOKEN"] = host.session_token;

    std::vector<std::string> out;
    out.reserve(env.size());
    for (const auto& [k, v] : env) out.push_back(k + "=" + v);
    return out;
}

}  // namespace lambda_emu::sandbox
