#include "model/billing.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

namespace lambda_emu::model {

TEST(BilledDuration, RoundsUpToTheNextMillisecond) {
    EXPECT_EQ(billed_duration_ms(1.42, std::nullopt), 2);
    EXPECT_EQ(billed_duration_ms(3296.38, std::nullopt), 3297);
    EXPECT_EQ(billed_duration_ms(12.001, std::nullopt), 13);
    EXPECT_EQ(billed_duration_ms(0.001, std::nullopt), 1);
}

TEST(BilledDuration, WholeMillisecondsAreNotRoundedUp) {
    // A timeout bills exactly the configured timeout.
    EXPECT_EQ(billed_duration_ms(3000.00, std::nullopt), 3000);
    EXPECT_EQ(billed_duration_ms(1.0, std::nullopt), 1);
    EXPECT_EQ(billed_duration_ms(900000.0, std::nullopt), 900000);
    EXPECT_EQ(billed_duration_ms(0.0, std::nullopt), 0);
}

TEST(BilledDuration, SubMicrosecondNoiseIsIgnored) {
    // Computed on microseconds: 12.0000001 ms is 12000 us, billed 12 ms, not 13.
    EXPECT_EQ(billed_duration_ms(12.0000001, std::nullopt), 12);
    EXPECT_EQ(billed_duration_ms(2999.9999999, std::nullopt), 3000);
    // Sums that are not exact in binary floating point.
    EXPECT_EQ(billed_duration_ms(0.1 + 0.2, std::nullopt), 1);
    EXPECT_EQ(billed_duration_ms(2999.7, 0.3), 3000);
}

TEST(BilledDuration, IncludesInitDuration) {
    // Observed: Duration 600000.00 ms, Init Duration 476.75 ms, Billed Duration 600477 ms.
    EXPECT_EQ(billed_duration_ms(600000.00, 476.75), 600477);
    EXPECT_EQ(billed_duration_ms(12.34, 174.06), 187);  // 186.40 -> 187
    EXPECT_EQ(billed_duration_ms(1.5, 0.5), 2);
    EXPECT_EQ(billed_duration_ms(1.42, 0.0), 2);
}

TEST(MemoryMbRoundedUp, RoundsBytesUpToWholeMebibytes) {
    constexpr std::uint64_t k_mib = 1024 * 1024;
    EXPECT_EQ(memory_mb_rounded_up(0), 0);
    EXPECT_EQ(memory_mb_rounded_up(1), 1);
    EXPECT_EQ(memory_mb_rounded_up(k_mib - 1), 1);
    EXPECT_EQ(memory_mb_rounded_up(k_mib), 1);
    EXPECT_EQ(memory_mb_rounded_up(k_mib + 1), 2);
    EXPECT_EQ(memory_mb_rounded_up(67 * k_mib), 67);
    EXPECT_EQ(memory_mb_rounded_up(66 * k_mib + 12345), 67);
    EXPECT_EQ(memory_mb_rounded_up(10240 * k_mib), 10240);
}

}  // namespace lambda_emu::model
