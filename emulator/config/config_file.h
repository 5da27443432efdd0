// lambda-emu.json: the functions `serve` (and later `watch`, `test`, `bench`) run.
#pragma once

#include <string>
#include <vector>

#include "model/function_config.h"
#include "util/result.h"

namespace lambda_emu::config {

struct FunctionEntry {
    model::FunctionConfig function;  // bootstrap: the path as resolved against the file's folder
    std::string env_file;            // resolved likewise; empty when none
    int reserved_concurrency = 10;
    std::string architecture = "x86_64";
};

struct ConfigFile {
    std::string path;
    std::vector<FunctionEntry> functions;
};

inline constexpr int k_default_reserved_concurrency = 10;
inline constexpr int k_max_reserved_concurrency = 1000;

// Parses and checks the file. Errors name the file, the function and the key, and the reason:
// unknown keys, duplicate names, values of the wrong type or out of range.
util::Result<ConfigFile> load_config(const std::string& path);
// The same, from text (for tests); `path` is used in messages and to resolve relative paths.
util::Result<ConfigFile> parse_config(const std::string& text, const std::string& path);

}  // namespace lambda_emu::config
