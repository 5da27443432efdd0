// Docs that run: every `lambda-emu` command in a ```sh block of README.md and examples/*/README.md
// is run as written, from the repository root, with this build's lambda-emu first on PATH.
// A trailing "# exits N" comment gives the expected exit status (default 0).
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include "e2e/background_process.h"
#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;

struct DocCommand {
    std::string file;
    int line = 0;
    std::string command;
    int expected_exit = 0;
    friend void PrintTo(const DocCommand& c, std::ostream* os) { *os << c.file << ":" << c.line; }
};

std::vector<DocCommand> commands_in(const std::string& relative) {
    std::vector<DocCommand> out;
    std::ifstream in(source_path(relative));
    std::string line;
    bool in_sh = false;
    int number = 0;
    std::regex exits(R"(#\s*exits\s+(\d+)\s*$)");
    while (std::getline(in, line)) {
        ++number;
        if (line.rfind("```", 0) == 0) {
            in_sh = !in_sh && line == "```sh";
            continue;
        }
        if (!in_sh) continue;
        bool runs_emu = line.rfind("lambda-emu ", 0) == 0 ||
                        line.find("| lambda-emu ") != std::string::npos ||
                        std::regex_search(line, std::regex(R"(^[A-Z_]+=\S+ lambda-emu )"));
        if (!runs_emu) continue;
        DocCommand c{relative, number, line, 0};
        std::smatch m;
        if (std::regex_search(line, m, exits)) c.expected_exit = std::stoi(m[1]);
        out.push_back(c);
    }
    return out;
}

std::vector<DocCommand> all_commands() {
    std::vector<DocCommand> out = commands_in("README.md");
    for (const auto& entry : fs::directory_iterator(source_path("examples"))) {
        if (!fs::exists(entry.path() / "README.md")) continue;
        std::string dir = entry.path().filename().string();
#ifndef LAMBDA_EMU_HAVE_RUST
        if (dir == "rust") continue;  // built only where cargo is installed
#endif
        for (auto& c : commands_in("examples/" + dir + "/README.md")) {
#ifndef LAMBDA_EMU_HAVE_RUST
            if (c.command.find("rust") != std::string::npos) continue;
#endif
            out.push_back(c);
        }
    }
    return out;
}

class DocCommands : public ::testing::TestWithParam<DocCommand> {};

TEST_P(DocCommands, RunAsWritten) {
    const DocCommand& c = GetParam();
    std::string path = fs::path(lambda_emu_bin()).parent_path().string() + ":" +
                       (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
    auto r = run_command({"/bin/bash", "-c", "cd '" + source_path("") + "' && " + c.command}, "",
                         std::chrono::seconds(60), {"PATH=" + path});
    EXPECT_EQ(r.exit_code, c.expected_exit) << c.command << "\n" << r.err;
    EXPECT_FALSE(r.out.empty()) << c.command;
    // Every command runs a function (its REPORT line, `lambda-emu test`'s summary, or the
    // statistics of `lambda-emu bench`) or reads REPORT lines (`lambda-emu report`'s table).
    bool reported = r.err.find("REPORT RequestId: ") != std::string::npos ||
                    r.err.find("\"type\":\"platform.report\"") != std::string::npos ||
                    (c.command.rfind("lambda-emu test ", 0) == 0 &&
                     r.out.find(" passed, 0 failed") != std::string::npos) ||
                    (c.command.find("lambda-emu bench ") != std::string::npos &&
                     r.out.find(", 0 failures)") != std::string::npos &&
                     r.out.find("cost per 1M invocations") != std::string::npos) ||
                    (c.command.find("lambda-emu report") != std::string::npos &&
                     r.out.find("Init Duration (ms)") != std::string::npos);
    EXPECT_TRUE(reported) << r.err;
}

TEST(DocCommands, ReadmeHasCommands) { EXPECT_GE(commands_in("README.md").size(), 5u); }

std::string file_text(const std::string& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The README's lambda-emu.json is examples/lambda-emu.json, and serve runs it.
TEST(DocCommands, TheConfigExampleIsServed) {
    std::string readme = file_text(source_path("README.md"));
    std::string example = file_text(source_path("examples/lambda-emu.json"));
    EXPECT_NE(readme.find("```json\n" + example + "```"), std::string::npos)
        << "README.md's lambda-emu.json block differs from examples/lambda-emu.json";
    auto server =
        start_serve({"--config", source_path("examples/lambda-emu.json"), "--http-port", "0"});
    ASSERT_GT(server.port, 0) << server.process->err();
    for (const char* name : {"health", "orders"}) {
        auto r = run_command({"curl", "-sS", "-X", "POST", "-d", R"({"action":"echo"})",
                              server.url() + "/2015-03-31/functions/" + name + "/invocations"});
        EXPECT_EQ(r.out, R"({"action":"echo"})") << name << r.err;
    }
    // Its apis, through the HTTP front ends: each route reaches its function.
    auto http_port =
        server.process->wait_for(std::regex(R"(Function URLs on http://127\.0\.0\.1:(\d+))"));
    ASSERT_TRUE(http_port) << server.process->err();
    for (const char* path : {"/prod/orders/7", "/prod/anything", "/site/health", "/site/other",
                             "/alb/healthz", "/lambda-url/orders/"}) {
        auto r = run_command({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                              "http://127.0.0.1:" + *http_port + path});
        EXPECT_EQ(r.out, "200") << path << r.err;
    }
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    EXPECT_NE(err.find("[orders] REPORT RequestId: "), std::string::npos) << err;
    EXPECT_NE(err.find("Memory Size: 256 MB"), std::string::npos);
    EXPECT_NE(err.find("REST API 'shop' (stage prod) on /prod: GET /orders/{id} -> orders"),
              std::string::npos)
        << err;
    EXPECT_EQ(err.find("answered 502"), std::string::npos) << err;
}

// The README's watch example: the two lines as written, run from the repository root, with
// ports of the test's own (the README's use the default 9000).
TEST(DocCommands, TheWatchExampleRunsAsWritten) {
    std::string readme = file_text(source_path("README.md"));
    std::smatch watch_line;
    std::smatch invoke_line;
    ASSERT_TRUE(std::regex_search(readme, watch_line,
                                  std::regex(R"(\n(lambda-emu watch --build [^\n]+)\n)")));
    ASSERT_TRUE(std::regex_search(
        readme, invoke_line, std::regex(R"(\n(lambda-emu invoke --remote --function [^\n]+)\n)")));
    std::string path = fs::path(lambda_emu_bin()).parent_path().string() + ":" +
                       (std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin");
    BackgroundProcess watch(
        {"/bin/bash", "-c",
         "cd '" + source_path("") + "' && exec " + watch_line[1].str() + " --port 0"},
        {"PATH=" + path});
    auto port = watch.wait_for(std::regex(R"(serving .* on http://127\.0\.0\.1:(\d+))"),
                               std::chrono::seconds(120));
    ASSERT_TRUE(port) << watch.err();
    EXPECT_NE(watch.err().find("BUILD Function: cpp\tDuration: "), std::string::npos)
        << watch.err();
    auto r = run_command(
        {"/bin/bash", "-c",
         "cd '" + source_path("") + "' && " + invoke_line[1].str() + " --port " + *port},
        "", std::chrono::seconds(60), {"PATH=" + path});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, R"({"action":"echo"})");
    EXPECT_NE(r.err.find("REPORT RequestId: "), std::string::npos) << r.err;
    EXPECT_EQ(watch.stop(SIGINT), 0) << watch.err();
}

INSTANTIATE_TEST_SUITE_P(Readmes, DocCommands, ::testing::ValuesIn(all_commands()),
                         [](const auto& info) {
                             std::string name =
                                 info.param.file + "_" + std::to_string(info.param.line);
                             for (auto& ch : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             }
                             return name;
                         });

}  // namespace

}  // namespace lambda_emu::testing
