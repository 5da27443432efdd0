// Measured figures against known truths. These run alone (RUN_SERIAL): a loaded machine delays
// the runtime itself, not lambda-emu's measurement of it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "e2e/report_lines.h"
#include "e2e/temp_dir.h"

namespace lambda_emu::testing {

namespace {

TEST(Accuracy, InitDurationIsTheRealInit) {
    auto r = invoke({"--env", "EXAMPLE_INIT_SLEEP_MS=200", cpp_bootstrap()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto rs = reports(r.err);
    ASSERT_EQ(rs.size(), 1u);
    // The runtime sleeps 200 ms in its Init; its own start (exec, connecting, the first /next)
    // adds 3-5 ms on the 2-core machine this runs on, more on a loaded one.
    EXPECT_GE(rs[0].init_ms, 200.0);
    EXPECT_LT(rs[0].init_ms, 212.0);
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

// lambda-emu bench over the same truths: the p50 of the cold starts' Init Duration is the init
// sleep, and the first Duration does not contain it; the memory of a 100 MiB handler.
nlohmann::json bench_json(const std::vector<std::string>& args) {
    TempDir dir;
    std::vector<std::string> argv = {lambda_emu_bin(), "bench", "--json", dir.path("run.json")};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = run_command(argv, "", std::chrono::seconds(120));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return nlohmann::json::parse(dir.read("run.json"), nullptr, false);
}

TEST(Accuracy, BenchInitDurationP50IsTheInitSleepAndTheFirstDurationIsNot) {
    auto doc = bench_json(
        {"--cold", "7", "--warm", "0", "--env", "EXAMPLE_INIT_SLEEP_MS=50", cpp_bootstrap()});
    ASSERT_TRUE(doc.is_object());
    const auto& s = doc["stats"][0];
    EXPECT_EQ(s["init_ms"]["n"], 7);
    EXPECT_NEAR(s["init_ms"]["p50"].get<double>(), 50.0, 5.0) << s;
    EXPECT_LT(s["first_ms"]["p50"].get<double>(), 10.0) << s;
}

TEST(Accuracy, BenchMaxMemoryUsedOfAHandlerThatTouches100MiB) {
    auto doc = bench_json({"--cold", "2", "--warm", "3", "--memory", "512", "--payload",
                           R"({"action":"alloc","mb":100})", cpp_bootstrap()});
    ASSERT_TRUE(doc.is_object());
    const auto& s = doc["stats"][0];
    EXPECT_EQ(s["failures"], 0);
    EXPECT_NEAR(s["max_memory_mb"]["p50"].get<double>(), 101, 5) << s;
}

}  // namespace

}  // namespace lambda_emu::testing
