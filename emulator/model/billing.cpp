#include "model/billing.h"

#include <cmath>

namespace lambda_emu::model {

std::int64_t billed_duration_ms(double duration_ms, std::optional<double> init_duration_ms) {
    double total = duration_ms + init_duration_ms.value_or(0.0);
    auto micros = static_cast<std::int64_t>(std::llround(total * 1000.0));
    return (micros + 999) / 1000;
}

int memory_mb_rounded_up(std::uint64_t bytes) {
    constexpr std::uint64_t k_mib = 1024 * 1024;
    return static_cast<int>((bytes + k_mib - 1) / k_mib);
}

}  // namespace lambda_emu::model
