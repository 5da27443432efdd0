#include "cli/function_options.h"

#include <CLI/CLI.hpp>
#include <filesystem>

#include "cli/extensions.h"
#include "cli/inputs.h"
#include "cli/usage_error.h"

namespace lambda_emu::cli {

void add_function_options(CLI::App& cmd, FunctionOptions& o) {
    cmd.add_option("-m,--memory", o.memory_mb,
                   "Memory size in MB (128-10240); the limit is enforced")
        ->capture_default_str();
    cmd.add_option("-t,--timeout", o.timeout_s, "Timeout in seconds (1-900)")
        ->capture_default_str();
    // One value per occurrence, so that `--env A=1 DIR` leaves DIR to the positional argument.
    cmd.add_option("--env", o.env, "Environment variable KEY=VALUE (repeatable)")
        ->allow_extra_args(false);
    cmd.add_option("--env-file", o.env_files,
                   "File of KEY=VALUE lines ('#' comments); --env wins over it (repeatable)")
        ->allow_extra_args(false);
    cmd.add_option("--function-name", o.function_name,
                   "Function name (default: the bootstrap's directory name)");
    cmd.add_option("--handler", o.handler, "Handler string given to the runtime as _HANDLER")
        ->capture_default_str();
    cmd.add_flag("--no-memory-limit", o.no_memory_limit,
                 "Measure memory but do not kill a function that exceeds --memory");
    cmd.add_option("--extension", o.extensions,
                   "An external extension (an executable) to start in every environment before "
                   "the runtime, besides the executables of the function's extensions/ directory, "
                   "which are found automatically (repeatable; at most 10 in all)")
        ->allow_extra_args(false);
    add_log_options(cmd, o.log);
}

void check_memory_and_timeout(int memory_mb, int timeout_s) {
    if (memory_mb < model::k_min_memory_mb || memory_mb > model::k_max_memory_mb) {
        throw UsageError("--memory " + std::to_string(memory_mb) + ": must be " +
                         std::to_string(model::k_min_memory_mb) + " to " +
                         std::to_string(model::k_max_memory_mb) + " MB");
    }
    if (timeout_s < model::k_min_timeout_s || timeout_s > model::k_max_timeout_s) {
        throw UsageError("--timeout " + std::to_string(timeout_s) + ": must be " +
                         std::to_string(model::k_min_timeout_s) + " to " +
                         std::to_string(model::k_max_timeout_s) + " seconds");
    }
}

model::FunctionConfig function_from_options(const FunctionOptions& o,
                                            const std::string& bootstrap_or_dir) {
    check_memory_and_timeout(o.memory_mb, o.timeout_s);
    check_log_options(o.log);
    Bootstrap bootstrap = resolve_bootstrap(bootstrap_or_dir);
    model::FunctionConfig config;
    config.bootstrap = bootstrap.executable;
    config.task_root = bootstrap.directory;
    config.name = o.function_name.empty()
                      ? std::filesystem::path(bootstrap.directory).filename().string()
                      : o.function_name;
    if (auto st = model::validate_function_name(config.name); !st) {
        throw UsageError(o.function_name.empty() ? "the bootstrap's directory gives " +
                                                       st.error().message + "; pass --function-name"
                                                 : "--function-name: " + st.error().message);
    }
    config.handler = o.handler;
    config.memory_mb = o.memory_mb;
    config.timeout_s = o.timeout_s;
    config.enforce_memory_limit = !o.no_memory_limit;
    for (const auto& file : o.env_files) {
        for (auto& kv : read_env_file(file)) config.environment.push_back(std::move(kv));
    }
    for (const auto& e : o.env) config.environment.push_back(parse_env_assignment(e, "--env"));
    if (auto st = model::validate_env_size(config.environment); !st) {
        throw UsageError(st.error().message);
    }
    config.extensions = function_extensions(config.task_root, o.extensions, "--extension");
    apply_log_options(o.log, config);
    return config;
}

}  // namespace lambda_emu::cli
