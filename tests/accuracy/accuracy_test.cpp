// Measured figures against known truths. These run alone (RUN_SERIAL): a loaded machine delays
// the runtime itself, not lambda-emu's measurement of it.
#include <gtest/gtest.h>

#include "e2e/report_lines.h"

namespace lambda_emu::testing {

namespace {

std::string cpp_bootstrap() { return build_path("examples/cpp/bootstrap"); }

TEST(Accuracy, InitDurationIsTheRealInit) {
    auto r = invoke({"--env", "EXAMPLE_INIT_SLEEP_MS=200", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    EXPECT_NEAR(rs[0].init_ms, 200.0, 5.0);
    EXPECT_LT(rs[0].duration_ms, 50.0) << "the Init is not counted into the first Duration";
}

TEST(Accuracy, MaxMemoryUsedIsTheRealPeak) {
    auto r =
        invoke({"--memory", "512", "--payload", R"({"action":"alloc","mb":100})", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    // The static C++ runtime itself is under 2 MB; the true peak is 100 MiB plus that.
    EXPECT_NEAR(rs[0].max_used, 101, 5) << r.err;
}

}  // namespace

}  // namespace lambda_emu::testing
