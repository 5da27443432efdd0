// The "apis" of lambda-emu.json: HTTP front ends (REST API, HTTP API, ALB) and their routes.
// Internal to config/.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "config/config_file.h"
#include "util/result.h"

namespace lambda_emu::config {

// One entry of "apis"; `error_prefix` starts every message (the file's path). Route targets
// must be in `functions`.
util::Result<ApiEntry> parse_api(const nlohmann::ordered_json& j, std::size_t index,
                                 const std::set<std::string>& functions,
                                 const std::string& error_prefix);

}  // namespace lambda_emu::config
