// The options that describe one function, shared by the commands that run one from the command
// line (invoke, serve, watch).
#pragma once

#include <string>
#include <vector>

#include "cli/log_options.h"
#include "model/function_config.h"

namespace CLI {
class App;
}

namespace lambda_emu::cli {

struct FunctionOptions {
    int memory_mb = model::k_default_memory_mb;
    int timeout_s = model::k_default_timeout_s;
    std::vector<std::string> env;
    std::vector<std::string> env_files;
    std::string function_name;
    std::string handler = "bootstrap";
    bool no_memory_limit = false;
    std::vector<std::string> extensions;  // --extension, besides those of DIR/extensions
    LogOptions log;
};

void add_function_options(CLI::App& cmd, FunctionOptions& options);

// The function for BOOTSTRAP_OR_DIR with these options: its extensions (those of its
// directory's extensions/, then --extension) and LoggingConfig included. Throws UsageError
// naming the bad input.
model::FunctionConfig function_from_options(const FunctionOptions& options,
                                            const std::string& bootstrap_or_dir);

// Checks memory and timeout ranges; throws UsageError.
void check_memory_and_timeout(int memory_mb, int timeout_s);

}  // namespace lambda_emu::cli
