// The testkit from a GoogleTest binary, as a user links it: real bootstraps, real processes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "e2e/run_command.h"
#include "lambda_emu/gtest.h"
#include "lambda_emu/testkit.h"

namespace lambda_emu::testkit {

namespace {

namespace fs = std::filesystem;
using testing::build_path;
using testing::count_processes_with;
using ::testing::Not;

// A private copy of the C++ example, so that its processes can be counted by path.
class BootstrapCopy {
  public:
    explicit BootstrapCopy(const std::string& name)
        : m_dir(fs::temp_directory_path() / ("lambda-emu-testkit-" + std::to_string(::getpid())) /
                name) {
        fs::create_directories(m_dir);
        fs::copy_file(build_path("examples/cpp/bootstrap"), m_dir / "bootstrap",
                      fs::copy_options::overwrite_existing);
    }
    ~BootstrapCopy() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    std::string dir() const { return m_dir.string(); }
    std::string bootstrap() const { return (m_dir / "bootstrap").string(); }

  private:
    fs::path m_dir;
};

}  // namespace

TEST(Testkit, InvokesColdThenWarmWithEveryFigure) {
    BootstrapCopy copy("figures");
    Function fn({.bootstrap = copy.dir(), .memory_mb = 256});
    Result first = fn.invoke(R"({"action":"echo","n":1})");
    EXPECT_THAT(first, Succeeded());
    EXPECT_THAT(first, HasJson("/n", 1));
    EXPECT_THAT(first, InitUnder(std::chrono::seconds(5)));
    EXPECT_THAT(first, MemoryUnderMb(100));
    EXPECT_EQ(first.payload(), R"({"action":"echo","n":1})");
    EXPECT_EQ(first.json()["action"], "echo");
    EXPECT_EQ(first.metrics().memory_size_mb, 256);
    EXPECT_GT(first.metrics().max_memory_used_mb, 0);
    EXPECT_GT(first.metrics().duration_ms, 0.0);
    ASSERT_GE(first.log_lines().size(), 3u);
    EXPECT_EQ(first.log_lines().front().rfind("START RequestId: " + first.request_id(), 0), 0u);
    EXPECT_EQ(first.log_lines().back().rfind("REPORT RequestId: " + first.request_id(), 0), 0u);

    Result warm = fn.invoke(R"({"action":"echo"})");
    EXPECT_FALSE(warm.metrics().init_duration_ms) << "the same environment, warm";
    EXPECT_THAT(warm, Not(InitUnder(std::chrono::seconds(5))));
    Result cold = fn.invoke(R"({"action":"echo"})", Start::cold);
    EXPECT_TRUE(cold.metrics().init_duration_ms) << "a fresh environment";
}

TEST(Testkit, FailuresFixturesGeneratedEventsAndTheHttpView) {
    BootstrapCopy copy("events");
    {
        Function fn({.bootstrap = copy.bootstrap(), .name = "events", .timeout_s = 1});
        EXPECT_THAT(fn.invoke(R"({"action":"crash"})"), FailedWith("Runtime.ExitError"));
        Result error = fn.invoke(R"({"action":"error"})");
        EXPECT_THAT(error, FailedWith("HandlerError"));
        EXPECT_EQ(error.error_message(), "deliberate failure");
        EXPECT_THAT(fn.invoke(R"({"action":"sleep","ms":3000})"), FailedWith("Sandbox.Timedout"));

        Result http = fn.invoke_fixture("apigw");
        ASSERT_TRUE(http.http());
        EXPECT_EQ(http.http()->status, 200);
        EXPECT_EQ(http.http()->header("Content-Type"), "application/json");
        EXPECT_EQ(http.http()->body, R"({"status":"ok"})");
        EXPECT_THAT(http, HasJson("/statusCode", 200));

        Result sqs = fn.invoke_generated({"sqs", "--count", "3"});
        EXPECT_THAT(sqs, Succeeded());
        EXPECT_EQ(sqs.json()["Records"].size(), 3u);
        EXPECT_FALSE(sqs.http());

        Result unknown = fn.invoke_fixture("no-such-fixture");
        EXPECT_EQ(unknown.outcome(), "failure");
        EXPECT_EQ(unknown.error_type(), "InvalidEvent");
        EXPECT_THAT(fn.invoke_generated({"nosuch"}), FailedWith("InvalidEvent"));
        EXPECT_GT(count_processes_with(copy.bootstrap()), 0);
    }
    EXPECT_EQ(count_processes_with(copy.bootstrap()), 0) << "reaped when the Function went away";
}

TEST(Testkit, AMissingBootstrapIsAFailedResultNotACrash) {
    Function fn({.bootstrap = "/nonexistent/lambda-emu/bootstrap"});
    EXPECT_THAT(fn.invoke("{}"), FailedWith("Runtime.InvalidEntrypoint"));
}

// The demo binary's assertions fail on purpose; it runs as a child and must leave nothing
// behind, and print the matchers' reasons with the log tail.
TEST(Testkit, FailingAssertionsPrintTheLogTailAndLeakNoProcess) {
    BootstrapCopy copy("failing");
    auto r = testing::run_command({LAMBDA_EMU_TESTKIT_FAILING_DEMO}, "", std::chrono::seconds(60),
                                  {"LAMBDA_EMU_DEMO_BOOTSTRAP=" + copy.bootstrap()});
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("Expected: succeeded"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("it failed: Runtime.ExitError"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("log tail:"), std::string::npos);
    EXPECT_NE(r.out.find("REPORT RequestId: "), std::string::npos);
    EXPECT_NE(r.out.find("/n is 1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("4 FAILED TESTS"), std::string::npos) << r.out;
    EXPECT_EQ(count_processes_with(copy.bootstrap()), 0) << "no runtime left behind";
}

}  // namespace lambda_emu::testkit
