// The testkit as users get it: `cmake --install` into a prefix, then examples/testkit-project,
// an out-of-tree project, finds it with find_package(lambda_emu_testkit), builds and passes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;

TEST(TestkitPackage, AnOutOfTreeProjectBuildsAndRunsAgainstTheInstallPrefix) {
    fs::path work =
        fs::temp_directory_path() / ("lambda-emu-install-" + std::to_string(::getpid()));
    fs::remove_all(work);
    fs::path prefix = work / "prefix";
    fs::path project = work / "project";
    auto install = run_command({"cmake", "--install", LAMBDA_EMU_BINARY_DIR, "--prefix",
                                prefix.string(), "--component", "Unspecified"},
                               "", std::chrono::seconds(120));
    ASSERT_EQ(install.exit_code, 0) << install.out << install.err;
    EXPECT_TRUE(fs::exists(prefix / "include/lambda_emu/testkit.h"));
    EXPECT_TRUE(fs::exists(prefix / "share/lambda-emu/fixtures/apigw.json"));

    auto configure =
        run_command({"cmake", "-S", source_path("examples/testkit-project"), "-B", project.string(),
                     "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix.string(),
                     "-DHANDLER_BOOTSTRAP=" + build_path("examples/cpp/bootstrap")},
                    "", std::chrono::seconds(120));
    ASSERT_EQ(configure.exit_code, 0) << configure.out << configure.err;
    auto build = run_command({"cmake", "--build", project.string()}, "", std::chrono::seconds(300));
    ASSERT_EQ(build.exit_code, 0) << build.out << build.err;
    auto run = run_command({"ctest", "--test-dir", project.string(), "--output-on-failure"}, "",
                           std::chrono::seconds(120));
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    EXPECT_NE(run.out.find("100% tests passed, 0 tests failed out of 3"), std::string::npos)
        << run.out;
    std::error_code ec;
    fs::remove_all(work, ec);
}

}  // namespace

}  // namespace lambda_emu::testing
