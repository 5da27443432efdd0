// Timestamps as the service prints them.
#pragma once

#include <cstdint>
#include <string>

#include "util/clock.h"

namespace lambda_emu::util {

// "2024-05-20T16:29:45.009Z"
std::string iso8601_ms(SystemTime t);
// "2024/05/20"
std::string date_slashes(SystemTime t);
std::int64_t epoch_ms(SystemTime t);

}  // namespace lambda_emu::util
