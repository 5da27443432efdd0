#include "report/number_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace lambda_emu::report {

namespace {

TEST(NumberFormat, FixedIsPrintfsDigits) {
    EXPECT_EQ(format_fixed(12.345, 2), "12.35");  // 12.345 is stored as 12.3450000000000006
    EXPECT_EQ(format_fixed(3.0, 0), "3");
    EXPECT_EQ(format_fixed(-0.001, 2), "-0.00");
    EXPECT_EQ(format_fixed(0.0000133334, 10), "0.0000133334");
}

TEST(NumberFormat, FigureHasNoNegativeZeroAndADashForNonFinite) {
    EXPECT_EQ(format_figure(-0.001, 2), "0.00");
    EXPECT_EQ(format_figure(1.5, 1), "1.5");
    EXPECT_EQ(format_figure(std::nan(""), 2), k_no_figure);
    EXPECT_EQ(format_figure(std::numeric_limits<double>::infinity(), 2), k_no_figure);
}

TEST(NumberFormat, TrimmedDropsTrailingZeros) {
    EXPECT_EQ(format_trimmed(5.0, 2), "5");
    EXPECT_EQ(format_trimmed(0.5, 2), "0.5");
    EXPECT_EQ(format_trimmed(12.25, 2), "12.25");
    EXPECT_EQ(format_trimmed(12.251, 2), "12.25");
}

}  // namespace

}  // namespace lambda_emu::report
