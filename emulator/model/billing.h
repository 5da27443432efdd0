// Billed duration (lambda-facts section 5): 1 ms granularity; Init billed on every on-demand
// cold start since 1 Aug 2025.
#pragma once

#include <cstdint>
#include <optional>

namespace lambda_emu::model {

// ceil(duration + init) in whole milliseconds, computed on microseconds so that 3000.00 ms
// bills 3000, not 3001.
std::int64_t billed_duration_ms(double duration_ms, std::optional<double> init_duration_ms);

// MiB, rounded up: what "Max Memory Used" shows.
int memory_mb_rounded_up(std::uint64_t bytes);

}  // namespace lambda_emu::model
