#include "util/time_format.h"

#include <gtest/gtest.h>

namespace lambda_emu::util {

TEST(TimeFormat, Iso8601WithMilliseconds) {
    SystemTime t{std::chrono::milliseconds(1568764966542)};
    EXPECT_EQ(iso8601_ms(t), "2019-09-18T00:02:46.542Z");
    EXPECT_EQ(date_slashes(t), "2019/09/18");
    EXPECT_EQ(epoch_ms(t), 1568764966542);
}

TEST(TimeFormat, ManualClockMovesOnlyWhenTold) {
    ManualClock clock;
    auto s0 = clock.steady_now();
    auto w0 = clock.system_now();
    clock.advance(std::chrono::milliseconds(250));
    EXPECT_EQ(clock.steady_now() - s0, std::chrono::milliseconds(250));
    EXPECT_EQ(epoch_ms(clock.system_now()) - epoch_ms(w0), 250);
}

}  // namespace lambda_emu::util
