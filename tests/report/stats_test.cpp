#include "report/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace lambda_emu::report {

// Type 7: h = (n - 1) * p / 100, x[floor(h)] + (h - floor(h)) * (x[floor(h)+1] - x[floor(h)]).

TEST(Percentile, FourValues) {
    const std::vector<double> v{1, 2, 3, 4};
    // n - 1 = 3. p50: h = 1.5 → 2 + 0.5 * 1 = 2.5. p95: h = 2.85 → 3 + 0.85 * 1 = 3.85.
    // p99: h = 2.97 → 3 + 0.97 * 1 = 3.97. p25: h = 0.75 → 1.75. p0 → 1, p100 → 4.
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 50), 2.5);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 95), 3.85);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 99), 3.97);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 25), 1.75);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 0), 1);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 100), 4);
}

TEST(Percentile, ExactRankNeedsNoInterpolation) {
    // n - 1 = 4, p25: h = 1 exactly → x[1] = 20; p75: h = 3 → 40.
    const std::vector<double> v{10, 20, 30, 40, 50};
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 25), 20);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 75), 40);
}

TEST(Percentile, MatchesNumpyOnOneToTen) {
    // numpy.percentile(range(1, 11), 90) = 9.1: h = 9 * 0.9 = 8.1 → 9 + 0.1 * 1.
    const std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 90), 9.1);
}

TEST(Percentile, SingleValueAndEmpty) {
    EXPECT_DOUBLE_EQ(percentile_of_sorted({7}, 0), 7);
    EXPECT_DOUBLE_EQ(percentile_of_sorted({7}, 50), 7);
    EXPECT_DOUBLE_EQ(percentile_of_sorted({7}, 99), 7);
    EXPECT_DOUBLE_EQ(percentile_of_sorted({}, 50), 0);
}

TEST(Percentile, OutOfRangePIsClamped) {
    const std::vector<double> v{1, 2, 3, 4};
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, -5), 1);
    EXPECT_DOUBLE_EQ(percentile_of_sorted(v, 250), 4);
}

TEST(Summarize, FourValues) {
    // mean = 10 / 4 = 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, sample stddev
    // sqrt(5 / 3).
    const Summary s = summarize({1, 2, 3, 4});
    EXPECT_EQ(s.n, 4u);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.p50, 2.5);
    EXPECT_DOUBLE_EQ(s.p95, 3.85);
    EXPECT_DOUBLE_EQ(s.p99, 3.97);
    EXPECT_DOUBLE_EQ(s.max, 4);
    EXPECT_DOUBLE_EQ(s.mean, 2.5);
    EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(5.0 / 3.0));
}

TEST(Summarize, UnsortedInputIsSortedFirst) {
    // Sorted: {2, 4, 4, 4, 5, 5, 7, 9}, n - 1 = 7. p50: h = 3.5 → 4 + 0.5 * (5 - 4) = 4.5.
    // p95: h = 6.65 → 7 + 0.65 * (9 - 7) = 8.3. p99: h = 6.93 → 7 + 0.93 * 2 = 8.86.
    // mean = 40 / 8 = 5; squared deviations 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, so the sample
    // stddev is sqrt(32 / 7) (the population one would be sqrt(32 / 8) = 2).
    const Summary s = summarize({9, 2, 5, 4, 4, 7, 5, 4});
    EXPECT_EQ(s.n, 8u);
    EXPECT_DOUBLE_EQ(s.min, 2);
    EXPECT_DOUBLE_EQ(s.p50, 4.5);
    EXPECT_DOUBLE_EQ(s.p95, 8.3);
    EXPECT_DOUBLE_EQ(s.p99, 8.86);
    EXPECT_DOUBLE_EQ(s.max, 9);
    EXPECT_DOUBLE_EQ(s.mean, 5);
    EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(32.0 / 7.0));
}

TEST(Summarize, SingleValueHasNoSpread) {
    const Summary s = summarize({174.06});
    EXPECT_EQ(s.n, 1u);
    EXPECT_DOUBLE_EQ(s.min, 174.06);
    EXPECT_DOUBLE_EQ(s.p50, 174.06);
    EXPECT_DOUBLE_EQ(s.p95, 174.06);
    EXPECT_DOUBLE_EQ(s.p99, 174.06);
    EXPECT_DOUBLE_EQ(s.max, 174.06);
    EXPECT_DOUBLE_EQ(s.mean, 174.06);
    EXPECT_DOUBLE_EQ(s.stddev, 0);
}

TEST(Summarize, EmptyIsAllZero) {
    const Summary s = summarize({});
    EXPECT_EQ(s.n, 0u);
    EXPECT_EQ(s.min, 0);
    EXPECT_EQ(s.p50, 0);
    EXPECT_EQ(s.p95, 0);
    EXPECT_EQ(s.p99, 0);
    EXPECT_EQ(s.max, 0);
    EXPECT_EQ(s.mean, 0);
    EXPECT_EQ(s.stddev, 0);
}

TEST(Summarize, NotANumberIsLeftOut) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const Summary s = summarize({nan, 3, 1, nan});
    EXPECT_EQ(s.n, 2u);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 3);
    EXPECT_DOUBLE_EQ(s.mean, 2);
    EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(2.0));  // (1 + 1) / 1
}

}  // namespace lambda_emu::report
