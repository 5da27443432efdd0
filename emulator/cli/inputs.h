// Reading and checking what the user names on the command line.
#pragma once

#include <string>

#include "model/function_config.h"

namespace lambda_emu::cli {

struct Bootstrap {
    std::string executable;  // absolute
    std::string directory;   // absolute
};

// A bootstrap file, or a directory holding one; must be an executable regular file.
// Throws UsageError naming the path and the reason.
Bootstrap resolve_bootstrap(const std::string& path);

// The event: a file path ("-" for standard input). Must be JSON; errors say file, line, column.
std::string read_event_file(const std::string& path);
// An inline --payload; must be JSON.
std::string check_payload(const std::string& json);

// "KEY=VALUE" from --env.
std::pair<std::string, std::string> parse_env_assignment(const std::string& text,
                                                         const std::string& where);
// KEY=VALUE lines; blank lines and lines starting with '#' are skipped; "export " is allowed;
// a value may be wrapped in single or double quotes.
model::EnvList read_env_file(const std::string& path);

}  // namespace lambda_emu::cli
