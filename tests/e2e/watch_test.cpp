// lambda-emu watch, end to end: real files edited under a running watch, real builds (the C++
// example compiled by the system compiler), real invocations through the Invoke API.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e/background_process.h"
#include "e2e/report_lines.h"
#include "e2e/run_command.h"
#include "e2e/temp_dir.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void write_text(const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

void replace_in(const fs::path& p, const std::string& from, const std::string& to) {
    std::string text = read_file(p);
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from << " not in " << p;
    text.replace(at, from.size(), to);
    write_text(p, text);
}

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// Waits until the process's stderr holds `what` at least n times.
bool wait_count(BackgroundProcess& p, const std::string& what, std::size_t n,
                std::chrono::milliseconds limit = 60s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        if (count_of(p.err(), what) >= n) return true;
        std::this_thread::sleep_for(10ms);
    }
    return false;
}

struct Invoked {
    std::string body;
    std::string request_id;
    std::string function_error;
};

Invoked call(const Server& server, const std::string& name, const std::string& payload) {
    auto r = run_command({"curl", "-sS", "-i", "-d", payload,
                          server.url() + "/2015-03-31/functions/" + name + "/invocations"},
                         "", 60s);
    Invoked out;
    std::size_t split = r.out.find("\r\n\r\n");
    std::string head = r.out.substr(0, split);
    out.body = split == std::string::npos ? "" : r.out.substr(split + 4);
    std::smatch m;
    if (std::regex_search(head, m,
                          std::regex(R"(X-Amzn-RequestId: ([0-9a-f-]+))", std::regex::icase)))
        out.request_id = m[1];
    if (std::regex_search(head, m, std::regex(R"(X-Amz-Function-Error: (\w+))", std::regex::icase)))
        out.function_error = m[1];
    return out;
}

// The C++ example's source in a project of its own, built by the system compiler.
struct CppProject {
    TempDir dir{"lambda-emu-watch-cpp"};
    fs::path source = dir.root() / "src" / "main.cpp";
    fs::path bootstrap = dir.root() / "out" / "bootstrap";
    std::string build = "mkdir -p " + (dir.root() / "out").string() + " && c++ -std=c++20 -O0 -o " +
                        bootstrap.string() + " " + source.string();
    CppProject() {
        fs::create_directories(source.parent_path());
        fs::copy_file(source_path("examples/cpp/main.cpp"), source);
    }
    // `lambda-emu watch` of it, as function "web"; the first build runs before it serves.
    Server watch() const {
        return start_lambda_emu("watch",
                                {"--build", build, "--watch", source.parent_path().string(),
                                 "--function-name", "web", bootstrap.string()},
                                120s);
    }
};

// An HTTP-shaped event: the C++ example answers it with its API Gateway response.
const std::string k_http_event = R"({"httpMethod":"GET","requestContext":{}})";
const std::string k_ok = R"(\"status\":\"ok\")";
const std::string k_v2 = R"(\"status\":\"v2\")";

TEST(Watch, AnEditIsRebuiltAndAnInvocationDuringTheBuildIsAnsweredOnceByTheNewBuild) {
    CppProject project;
    auto server = project.watch();
    ASSERT_GT(server.port, 0) << server.process->err();
    EXPECT_EQ(count_of(server.process->err(), "BUILD Function: web\tDuration: "), 1u);
    auto first = call(server, "web", k_http_event);
    EXPECT_NE(first.body.find(k_ok), std::string::npos) << first.body;

    replace_in(project.source, k_ok, k_v2);
    // Sent while the build runs: it waits for it, and the new build answers.
    ASSERT_TRUE(wait_count(*server.process, "web: building: ", 2)) << server.process->err();
    auto during = call(server, "web", k_http_event);
    EXPECT_NE(during.body.find(k_v2), std::string::npos) << during.body << server.process->err();
    ASSERT_TRUE(wait_count(*server.process, "web: reloaded", 1));

    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    EXPECT_EQ(count_of(err, "START RequestId: " + during.request_id), 1u) << err;
    // The build has its own line, and the first invocation of the new build is a cold start
    // whose Init Duration is the init alone, far below the build's seconds.
    std::smatch m;
    ASSERT_TRUE(std::regex_search(
        err, m, std::regex(R"(BUILD Function: web\tDuration: (\d+\.\d\d) s\tStatus: success)")));
    double build_s = std::stod(m[1]);
    auto lines = reports(err);
    ASSERT_EQ(lines.size(), 2u) << err;
    EXPECT_TRUE(lines[1].has_init) << "a cold start after the reload";
    EXPECT_LT(lines[1].init_ms, build_s * 1000 / 2);
    EXPECT_EQ(lines[1].request_id, during.request_id);
}

TEST(Watch, ABrokenEditKeepsTheLastGoodBuildServingUntilItIsFixed) {
    CppProject project;
    auto server = project.watch();
    ASSERT_GT(server.port, 0) << server.process->err();
    std::string good = read_file(project.source);
    write_text(project.source, good + "\nthis is not C++;\n");
    ASSERT_TRUE(
        wait_count(*server.process, "the build failed; still serving the last good build", 1))
        << server.process->err();
    std::string err = server.process->err();
    EXPECT_NE(err.find("[build web] "), std::string::npos) << "the compiler's errors are shown";
    EXPECT_NE(err.find("error"), std::string::npos);
    EXPECT_NE(err.find("Status: failed (exit status 1)"), std::string::npos) << err;
    EXPECT_NE(call(server, "web", k_http_event).body.find(k_ok), std::string::npos);

    std::string fixed = good;
    fixed.replace(fixed.find(k_ok), k_ok.size(), k_v2);
    write_text(project.source, fixed);
    ASSERT_TRUE(wait_count(*server.process, "web: reloaded", 1)) << server.process->err();
    EXPECT_NE(call(server, "web", k_http_event).body.find(k_v2), std::string::npos);
    EXPECT_EQ(server.process->stop(SIGINT), 0);
}

const char* k_script = R"PY(#!/usr/bin/python3
import http.client, os
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
c = http.client.HTTPConnection(host, int(port))
base = "/2018-06-01/runtime/invocation/"
while True:
    c.request("GET", base + "next")
    r = c.getresponse()
    body = r.read()
    if body == b'"crash"':
        os._exit(3)
    rid = r.getheader("Lambda-Runtime-Aws-Request-Id")
    c.request("POST", base + rid + "/response", '"VERSION ' + os.environ.get("GREETING", "") + '"')
    c.getresponse().read()
)PY";

struct ScriptProject {
    TempDir dir{"lambda-emu-watch-script"};
    fs::path bootstrap = dir.root() / "fn" / "bootstrap";
    ScriptProject() {
        fs::create_directories(bootstrap.parent_path());
        set_version("v1");
    }
    void set_version(const std::string& v) {
        std::string text = k_script;
        text.replace(text.find("VERSION"), 7, v);
        write_text(bootstrap, text);
        ::chmod(bootstrap.c_str(), 0755);
    }
};

TEST(Watch, AScriptIsReloadedWithoutABuildAndACrashIsNotLeftDead) {
    ScriptProject project;
    auto server = start_lambda_emu("watch", {project.bootstrap.parent_path().string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v1 ")");
    project.set_version("v2");
    ASSERT_TRUE(wait_count(*server.process, "fn: reloaded", 1)) << server.process->err();
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v2 ")");

    auto crashed = call(server, "fn", R"("crash")");
    EXPECT_EQ(crashed.function_error, "Unhandled");
    EXPECT_NE(crashed.body.find("Runtime.ExitError"), std::string::npos) << crashed.body;
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v2 ")") << "a fresh environment answers";
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    EXPECT_EQ(count_processes_with(project.bootstrap.string()), 0);
}

TEST(Watch, RapidEditsCoalesceIntoOneBuild) {
    // The "build" copies the script into place: edits to bootstrap.py rebuild, and the built
    // bootstrap's own change is ignored.
    ScriptProject project;
    fs::path source = project.bootstrap.parent_path() / "bootstrap.py";
    fs::path marker = project.dir.root() / "builds.txt";
    fs::copy_file(project.bootstrap, source);
    std::string build = "cp " + source.string() + " " + project.bootstrap.string() +
                        " && echo built >> " + marker.string();
    auto server = start_lambda_emu(
        "watch", {"--build", build, "--watch", project.bootstrap.parent_path().string(),
                  "--debounce", "300", project.bootstrap.string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    std::string text = read_file(source);
    for (int i = 0; i < 5; ++i) {
        std::string edited = text;
        edited.replace(edited.find("v1"), 2, "v" + std::to_string(i + 10));
        write_text(source, edited);
        std::this_thread::sleep_for(20ms);
    }
    ASSERT_TRUE(wait_count(*server.process, "fn: reloaded", 1)) << server.process->err();
    std::this_thread::sleep_for(800ms);
    EXPECT_EQ(count_of(server.process->err(), "BUILD Function: fn"), 2u) << server.process->err();
    EXPECT_EQ(count_of(read_file(marker), "built"), 2u);
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v14 ")");
    EXPECT_EQ(server.process->stop(SIGINT), 0);
}

TEST(Watch, AChangeToTheConfigOrItsEnvFileReloadsTheConfiguration) {
    ScriptProject project;
    fs::path config = project.dir.root() / "lambda-emu.json";
    fs::path env = project.dir.root() / "fn.env";
    write_text(env, "GREETING=hello\n");
    write_text(config,
               R"({"functions":[{"name":"fn","bootstrap":"fn/bootstrap","env_file":"fn.env"}]})");
    auto server = start_lambda_emu("watch", {"--config", config.string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v1 hello")");
    write_text(env, "GREETING=bonjour\n");
    ASSERT_TRUE(wait_count(*server.process, "fn: reloaded", 1)) << server.process->err();
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v1 bonjour")");
    // A broken config keeps the last good one.
    write_text(config, R"({"functions":[{"name":"fn","bootstrap":"fn/bootstrap","memory":1}]})");
    ASSERT_TRUE(wait_count(*server.process, "still serving the last good configuration", 1))
        << server.process->err();
    EXPECT_EQ(call(server, "fn", "{}").body, R"("v1 bonjour")");
    EXPECT_EQ(server.process->stop(SIGINT), 0);
}

TEST(Watch, InvokeRemoteIsTheEditInvokeLoopWithoutTheAwsCli) {
    ScriptProject project;
    auto server = start_lambda_emu("watch", {project.bootstrap.parent_path().string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto remote = [&](const std::string& payload) {
        return run_command({lambda_emu_bin(), "invoke", "--remote", "--port",
                            std::to_string(server.port), "--function", "fn", "--payload", payload});
    };
    auto first = remote("{}");
    EXPECT_EQ(first.exit_code, 0) << first.err;
    EXPECT_EQ(first.out, R"("v1 ")");
    EXPECT_EQ(lines_starting(first.err, "START RequestId: ").size(), 1u) << first.err;
    EXPECT_EQ(lines_starting(first.err, "REPORT RequestId: ").size(), 1u) << first.err;

    project.set_version("v2");
    ASSERT_TRUE(wait_count(*server.process, "fn: reloaded", 1)) << server.process->err();
    auto second = remote("{}");
    EXPECT_EQ(second.out, R"("v2 ")");
    EXPECT_NE(second.err.find("Init Duration: "), std::string::npos) << "a cold start";

    auto crashed = remote(R"("crash")");
    EXPECT_EQ(crashed.exit_code, 1);
    EXPECT_NE(crashed.out.find("Runtime.ExitError"), std::string::npos) << crashed.out;
    EXPECT_NE(crashed.err.find("Status: error\tError Type: Runtime.ExitError"), std::string::npos)
        << crashed.err;

    auto unknown = run_command({lambda_emu_bin(), "invoke", "--remote", "--port",
                                std::to_string(server.port), "--function", "nope"});
    EXPECT_EQ(unknown.exit_code, 1);
    EXPECT_NE(unknown.err.find("404 ResourceNotFoundException"), std::string::npos) << unknown.err;
    EXPECT_EQ(server.process->stop(SIGINT), 0);

    auto nobody = run_command({lambda_emu_bin(), "invoke", "--remote", "--port",
                               std::to_string(server.port), "--function", "fn"});
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_NE(nobody.err.find("cannot reach the Invoke API at 127.0.0.1:"), std::string::npos)
        << nobody.err;
    auto usage = run_command({lambda_emu_bin(), "invoke", "--remote", "--payload", "{}"});
    EXPECT_EQ(usage.exit_code, 2);
    EXPECT_NE(usage.err.find("--remote needs --function NAME"), std::string::npos) << usage.err;
}

TEST(Watch, NoSpawnPrintsTheRuntimesEnvironmentAndWaitsForItToBeStartedByHand) {
    fs::path bootstrap = build_path("examples/cpp/bootstrap");
    auto server =
        start_lambda_emu("watch", {"--no-spawn", "--function-name", "dbg", bootstrap.string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto command = server.process->wait_for(std::regex("--no-spawn: as one command: (.*)$"));
    ASSERT_TRUE(command) << server.process->err();
    std::string err = server.process->err();
    EXPECT_NE(err.find("  AWS_LAMBDA_FUNCTION_NAME=dbg\n"), std::string::npos) << err;
    EXPECT_NE(err.find("  AWS_LAMBDA_RUNTIME_API=127.0.0.1:"), std::string::npos);
    EXPECT_NE(err.find("  _HANDLER="), std::string::npos);
    // The person (here: the test) starts the bootstrap with exactly that.
    BackgroundProcess runtime({"/bin/sh", "-c", *command});
    auto r = call(server, "dbg", R"({"action":"echo","n":7})");
    EXPECT_EQ(r.body, R"({"action":"echo","n":7})") << server.process->err();
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    // Its Runtime API is gone, so the runtime ends too.
    EXPECT_NE(runtime.stop(0, std::chrono::seconds(10)), -1);
}

TEST(Watch, NoSpawnStopsCleanlyWhenTheRuntimeWasNeverStarted) {
    auto server = start_lambda_emu("watch", {"--no-spawn", build_path("examples/cpp/bootstrap")});
    ASSERT_GT(server.port, 0) << server.process->err();
    ASSERT_TRUE(server.process->wait_for(std::regex("--no-spawn: as one command: ")));
    EXPECT_EQ(server.process->stop(SIGINT, std::chrono::seconds(5)), 0) << server.process->err();
}

TEST(Watch, BadArgumentsAreUsageErrors) {
    auto both = run_command({lambda_emu_bin(), "watch", "--config", "x.json", "--build", "make"});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_NE(both.err.find("--build and --watch are for BOOTSTRAP_OR_DIR"), std::string::npos)
        << both.err;
    auto missing = run_command({lambda_emu_bin(), "watch", "--watch", "/nonexistent/dir",
                                build_path("examples/cpp/bootstrap")});
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_NE(missing.err.find("--watch /nonexistent/dir: No such file or directory"),
              std::string::npos)
        << missing.err;
}

}  // namespace

}  // namespace lambda_emu::testing
