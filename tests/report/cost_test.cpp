#include "report/cost.h"

#include <gtest/gtest.h>

namespace lambda_emu::report {

TEST(Cost, DefaultPrices) {
    const Prices x86 = default_prices(Architecture::x86_64);
    EXPECT_DOUBLE_EQ(x86.per_gb_second, 0.0000166667);
    EXPECT_DOUBLE_EQ(x86.per_request, 2e-7);
    const Prices arm = default_prices(Architecture::arm64);
    EXPECT_DOUBLE_EQ(arm.per_gb_second, 0.0000133334);
    EXPECT_DOUBLE_EQ(arm.per_request, 2e-7);
}

TEST(Cost, GbSeconds) {
    EXPECT_DOUBLE_EQ(gb_seconds(1024, 1000), 1.0);
    // 128 / 1024 = 0.125 GB for 2 ms = 0.002 s → 0.00025 GB-s.
    EXPECT_DOUBLE_EQ(gb_seconds(128, 2), 0.00025);
    // 512 / 1024 = 0.5 GB for 20 ms → 0.01 GB-s.
    EXPECT_DOUBLE_EQ(gb_seconds(512, 20), 0.01);
    EXPECT_DOUBLE_EQ(gb_seconds(128, 0), 0.0);
}

TEST(Cost, ArmAtTwoMillisecondsIsAThirdOfACentPerMillion) {
    // 1M × 0.00025 GB-s = 250 GB-s; 250 × $0.0000133334 = $0.00333335 ≈ $0.0033.
    const CostPerMillion c = cost_per_million(128, 2, default_prices(Architecture::arm64));
    EXPECT_NEAR(c.compute, 0.00333335, 1e-12);
    EXPECT_NEAR(c.compute, 0.0033, 0.00005);
    EXPECT_NEAR(c.requests, 0.20, 1e-12);
    EXPECT_NEAR(c.total(), 0.20333335, 1e-12);
}

TEST(Cost, ArmAt109Milliseconds) {
    // 1M × 0.125 GB × 0.109 s = 13,625 GB-s; 13,625 × $0.0000133334 = $0.181667575 ≈ $0.1817.
    const CostPerMillion c = cost_per_million(128, 109, default_prices(Architecture::arm64));
    EXPECT_NEAR(c.compute, 0.181667575, 1e-12);
    EXPECT_NEAR(c.compute, 0.1817, 0.00005);
    EXPECT_NEAR(c.total(), 0.381667575, 1e-12);
}

TEST(Cost, X86AtTwoMilliseconds) {
    // 250 GB-s × $0.0000166667 = $0.004166675.
    const CostPerMillion c = cost_per_million(128, 2, default_prices(Architecture::x86_64));
    EXPECT_NEAR(c.compute, 0.004166675, 1e-12);
    EXPECT_NEAR(c.requests, 0.20, 1e-12);
}

TEST(Cost, RequestsCostTwentyCentsPerMillionWhateverTheDuration) {
    const Prices arm = default_prices(Architecture::arm64);
    EXPECT_NEAR(cost_per_million(128, 0, arm).requests, 0.20, 1e-12);
    EXPECT_NEAR(cost_per_million(128, 0, arm).compute, 0.0, 1e-12);
    EXPECT_NEAR(cost_per_million(10240, 900000, arm).requests, 0.20, 1e-12);
}

TEST(Cost, CustomPrices) {
    const Prices p{0.001, 0.5e-6};
    // 1M × 1 GB × 1 s = 1M GB-s × 0.001 = 1000; 1M × 0.5e-6 = 0.5.
    const CostPerMillion c = cost_per_million(1024, 1000, p);
    EXPECT_NEAR(c.compute, 1000.0, 1e-9);
    EXPECT_NEAR(c.requests, 0.5, 1e-12);
}

TEST(Cost, MixedBilledDuration) {
    // 5% cold at 109 ms, 95% warm at 2 ms: 0.95 × 2 + 0.05 × 109 = 1.9 + 5.45 = 7.35.
    EXPECT_DOUBLE_EQ(mixed_billed_ms(2, 109, 0.05), 7.35);
    EXPECT_DOUBLE_EQ(mixed_billed_ms(2, 109, 0), 2);
    EXPECT_DOUBLE_EQ(mixed_billed_ms(2, 109, 1), 109);
    EXPECT_DOUBLE_EQ(mixed_billed_ms(2, 109, 0.5), 55.5);
}

TEST(Cost, MixedShareIsClamped) {
    EXPECT_DOUBLE_EQ(mixed_billed_ms(2, 109, -0.5), 2);
    EXPECT_DOUBLE_EQ(mixed_billed_ms(2, 109, 1.5), 109);
}

TEST(Architecture, ParseAndName) {
    Architecture a = Architecture::x86_64;
    ASSERT_TRUE(parse_architecture("arm64", a));
    EXPECT_EQ(a, Architecture::arm64);
    ASSERT_TRUE(parse_architecture("x86_64", a));
    EXPECT_EQ(a, Architecture::x86_64);
    EXPECT_STREQ(architecture_name(Architecture::x86_64), "x86_64");
    EXPECT_STREQ(architecture_name(Architecture::arm64), "arm64");
    for (Architecture each : {Architecture::x86_64, Architecture::arm64}) {
        Architecture parsed{};
        ASSERT_TRUE(parse_architecture(architecture_name(each), parsed));
        EXPECT_EQ(parsed, each);
    }
}

TEST(Architecture, RejectsOtherSpellings) {
    for (const char* text : {"", "ARM64", "aarch64", "amd64", "x86-64", "x86", " arm64"}) {
        Architecture a = Architecture::arm64;
        EXPECT_FALSE(parse_architecture(text, a)) << text;
        EXPECT_EQ(a, Architecture::arm64) << text;  // untouched
    }
}

}  // namespace lambda_emu::report
