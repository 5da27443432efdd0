// Identifiers in the service's formats: request ids (UUID v4), trace ids, log stream suffixes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "util/clock.h"

namespace lambda_emu::util {

std::string random_hex(std::size_t digits);
// "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lowercase.
std::string new_uuid();
// 8-4-4-4-12 hexadecimal digits, either case.
bool is_uuid(std::string_view text);
// "Root=1-<8 hex epoch s>-<24 hex>;Parent=<16 hex>;Sampled=0"
std::string new_trace_id(SystemTime now);

}  // namespace lambda_emu::util
