// --log-format json, --log-level and --system-log-level on every command that runs functions
// (invoke, serve, watch, test, bench), the LoggingConfig variables the function sees, and the
// discovery and usage errors of external extensions (their running is tested elsewhere).
#include <gtest/gtest.h>
#include <httplib.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "e2e/background_process.h"
#include "e2e/run_command.h"
#include "e2e/temp_dir.h"

namespace lambda_emu::testing {

// Named, not anonymous: in a unity build the other e2e files share this translation unit.
namespace json_logs {

using Json = nlohmann::json;

// A custom runtime in bash: at init it logs the LoggingConfig variables it got (as an ERROR line,
// so that every level keeps it); each invocation logs a DEBUG, a WARN and a plain line.
const char* k_script = R"(#!/bin/bash
API="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
CURL=(curl -q -sS --noproxy '*')
echo "{\"level\":\"ERROR\",\"message\":\"env format=${AWS_LAMBDA_LOG_FORMAT-unset} level=${AWS_LAMBDA_LOG_LEVEL-unset}\"}"
HEADERS=$(mktemp)
trap 'rm -f "$HEADERS"' EXIT
while true; do
  "${CURL[@]}" -D "$HEADERS" -o /dev/null "$API/invocation/next" || exit 1
  ID=$(tr -d '\r' < "$HEADERS" | awk -F': ' 'tolower($1)=="lambda-runtime-aws-request-id" {print $2}')
  echo '{"level":"DEBUG","message":"a debug line"}'
  echo '{"level":"warn","message":"a warn line"}'
  echo 'a plain line'
  "${CURL[@]}" -o /dev/null -X POST -d '{"ok":true}' "$API/invocation/$ID/response"
done
)";

struct Function {
    TempDir dir{"lambda-emu-json-logs"};
    std::string root = dir.path("fn");
    std::string bootstrap = root + "/bootstrap";
    Function() {
        std::filesystem::create_directories(root);
        dir.write("fn/bootstrap", k_script);
        ::chmod(bootstrap.c_str(), 0755);
    }
};

// The lines that are not lambda-emu's own ("lambda-emu: ..."), each parsed as JSON; a line that
// is not JSON fails the test.
std::vector<Json> json_lines(const std::string& text) {
    std::vector<Json> out;
    for (const auto& line : lines_of(text)) {
        if (line.empty() || line.rfind("lambda-emu", 0) == 0 || line.rfind("BUILD", 0) == 0)
            continue;
        Json j = Json::parse(line, nullptr, false);
        EXPECT_TRUE(j.is_object()) << "not a JSON object: " << line;
        if (j.is_object()) out.push_back(std::move(j));
    }
    return out;
}

std::set<std::string> types_of(const std::vector<Json>& records) {
    std::set<std::string> types;
    for (const auto& j : records) {
        if (j.contains("type")) types.insert(j["type"].get<std::string>());
    }
    return types;
}

void expect_platform_records(const std::vector<Json>& records) {
    auto types = types_of(records);
    for (const char* t : {"platform.initStart", "platform.initRuntimeDone", "platform.initReport",
                          "platform.start", "platform.runtimeDone", "platform.report"}) {
        EXPECT_TRUE(types.count(t)) << "no " << t << " record";
    }
}

int post(int port, const std::string& name) {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(std::chrono::seconds(30));
    auto res = client.Post(("/2015-03-31/functions/" + name + "/invocations").c_str(), "{}",
                           "application/json");
    return res ? res->status : 0;
}

TEST(JsonLogs, InvokePrintsTheServicesJsonRecordsAndTellsTheFunction) {
    Function f;
    auto r = run_command({lambda_emu_bin(), "invoke", "--log-format", "json", f.root});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"ok\":true}\n");
    auto records = json_lines(r.err);
    expect_platform_records(records);
    EXPECT_NE(r.err.find("env format=JSON level=unset"), std::string::npos) << r.err;
    // A plain line becomes an INFO record with the request id.
    EXPECT_NE(r.err.find(R"("level":"INFO","requestId":)"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a plain line"), std::string::npos);
}

TEST(JsonLogs, LogFormatIsSetOnlyWhenConfigured) {
    Function f;
    auto unset = run_command({lambda_emu_bin(), "invoke", f.root});
    ASSERT_EQ(unset.exit_code, 0) << unset.err;
    EXPECT_NE(unset.err.find("env format=unset level=unset"), std::string::npos) << unset.err;
    EXPECT_NE(unset.err.find("START RequestId: "), std::string::npos);
    auto text = run_command({lambda_emu_bin(), "invoke", "--log-format", "text", f.root});
    ASSERT_EQ(text.exit_code, 0) << text.err;
    EXPECT_NE(text.err.find("env format=Text level=unset"), std::string::npos) << text.err;
}

TEST(JsonLogs, ApplicationLevelDropsLowerLinesAndSetsTheVariable) {
    Function f;
    auto r = run_command(
        {lambda_emu_bin(), "invoke", "--log-format", "json", "--log-level", "warn", f.root});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("env format=JSON level=WARN"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a warn line"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("a debug line"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("a plain line"), std::string::npos) << "no level counts as INFO";
    expect_platform_records(json_lines(r.err));  // the system level is not set
}

TEST(JsonLogs, DebugLevelKeepsEveryLine) {
    Function f;
    auto r = run_command(
        {lambda_emu_bin(), "invoke", "--log-format", "json", "--log-level", "DEBUG", f.root});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("a debug line"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("a plain line"), std::string::npos) << r.err;
}

TEST(JsonLogs, SystemLevelWarnDropsTheRecordsOfASuccess) {
    Function f;
    auto r = run_command(
        {lambda_emu_bin(), "invoke", "--log-format", "json", "--system-log-level", "WARN", f.root});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(types_of(json_lines(r.err)).empty()) << r.err;
    EXPECT_NE(r.err.find("a debug line"), std::string::npos) << "the application level is not set";
    EXPECT_NE(r.err.find("env format=JSON level=unset"), std::string::npos) << r.err;
}

TEST(JsonLogs, ServePrintsJsonRecords) {
    Function f;
    auto server = start_serve({"--log-format", "json", "--log-level", "INFO", f.root});
    ASSERT_EQ(post(server.port, "fn"), 200);
    ASSERT_TRUE(server.process->wait_for(std::regex(R"("type":"platform.report")")));
    std::string err = server.process->err();
    EXPECT_EQ(server.process->stop(SIGTERM), 0);
    expect_platform_records(json_lines(err));
    EXPECT_NE(err.find("env format=JSON level=INFO"), std::string::npos) << err;
    EXPECT_EQ(err.find("a debug line"), std::string::npos) << err;
}

TEST(JsonLogs, WatchPrintsJsonRecords) {
    Function f;
    auto server = start_lambda_emu("watch", {"--log-format", "json", f.root});
    ASSERT_EQ(post(server.port, "fn"), 200);
    ASSERT_TRUE(server.process->wait_for(std::regex(R"("type":"platform.report")")));
    std::string err = server.process->err();
    EXPECT_EQ(server.process->stop(SIGTERM), 0);
    expect_platform_records(json_lines(err));
    EXPECT_NE(err.find("env format=JSON"), std::string::npos) << err;
}

TEST(JsonLogs, TestKeepsJsonRecordsForLogAssertions) {
    Function f;
    std::string cases = f.dir.write("json.test.json", R"({
      "function": {"bootstrap": "fn"},
      "cases": [{"name": "records", "expect": {"logs": {
        "contain": ["\"type\":\"platform.report\"", "\"type\":\"platform.start\"", "a warn line"],
        "exclude": ["a debug line", "REPORT RequestId"]}}}]})");
    auto r = run_command({lambda_emu_bin(), "test", "--log-format", "json", "--log-level", "INFO",
                          "--json", f.dir.path("results.json"), cases});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("1 passed, 0 failed"), std::string::npos) << r.out;
    // Without --log-format json the same case sees text lines, and fails.
    auto text = run_command({lambda_emu_bin(), "test", cases});
    EXPECT_EQ(text.exit_code, 1) << text.out << text.err;
}

TEST(JsonLogs, ConfigFileLoggingConfig) {
    Function f;
    f.dir.write("lambda-emu.json", R"({"functions": [{"name": "fn", "bootstrap": "fn",
        "log_format": "JSON", "log_level": "ERROR", "system_log_level": "INFO"}]})");
    std::string cases = f.dir.write("config.test.json", R"({
      "config": "lambda-emu.json", "function": "fn",
      "cases": [{"name": "levels", "expect": {"logs": {
        "contain": ["\"type\":\"platform.report\""],
        "exclude": ["a warn line", "a debug line"]}}}]})");
    auto r = run_command({lambda_emu_bin(), "test", cases});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;

    f.dir.write("bad.json", R"({"functions": [{"name": "fn", "bootstrap": "fn",
        "log_level": "DEBUG"}]})");
    auto bad = run_command({lambda_emu_bin(), "serve", "--config", f.dir.path("bad.json")});
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_NE(bad.err.find("function 'fn': log_level: needs \"log_format\": \"JSON\""),
              std::string::npos)
        << bad.err;
    f.dir.write("loud.json", R"({"functions": [{"name": "fn", "bootstrap": "fn",
        "log_format": "JSON", "system_log_level": "TRACE"}]})");
    auto loud = run_command({lambda_emu_bin(), "serve", "--config", f.dir.path("loud.json")});
    EXPECT_EQ(loud.exit_code, 2);
    EXPECT_NE(loud.err.find("system_log_level: must be \"DEBUG\", \"INFO\" or \"WARN\""),
              std::string::npos)
        << loud.err;
}

TEST(JsonLogs, BenchWritesJsonRecordsToItsLog) {
    Function f;
    std::string log = f.dir.path("bench.log");
    auto r = run_command({lambda_emu_bin(), "bench", "--cold", "1", "--warm", "1", "--log-format",
                          "json", "--log", log, f.root});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto records = json_lines(f.dir.read("bench.log"));
    expect_platform_records(records);
    int reports = 0;
    for (const auto& j : records) reports += j.value("type", "") == "platform.report" ? 1 : 0;
    EXPECT_EQ(reports, 2);
    EXPECT_NE(f.dir.read("bench.log").find("env format=JSON"), std::string::npos);
}

TEST(JsonLogs, LevelsNeedTheJsonFormat) {
    Function f;
    std::string cases = f.dir.write(
        "x.test.json", R"({"function": {"bootstrap": "fn"}, "cases": [{"name": "a"}]})");
    const std::vector<std::vector<std::string>> commands = {
        {"invoke", f.root},
        {"serve", f.root},
        {"watch", f.root},
        {"test", cases},
        {"bench", "--cold", "1", "--warm", "0", f.root}};
    for (const auto& command : commands) {
        for (const char* option : {"--log-level", "--system-log-level"}) {
            std::vector<std::string> argv{lambda_emu_bin()};
            argv.insert(argv.end(), command.begin(), command.end());
            argv.insert(argv.end(), {option, "WARN"});
            auto r = run_command(argv, "", std::chrono::seconds(20));
            EXPECT_EQ(r.exit_code, 2) << command[0] << " " << option << ": " << r.err;
            EXPECT_NE(r.err.find(std::string(option) + " needs --log-format json"),
                      std::string::npos)
                << command[0] << ": " << r.err;
        }
    }
}

TEST(JsonLogs, UnknownLevelsAndFormatsAreUsageErrors) {
    Function f;
    auto app = run_command(
        {lambda_emu_bin(), "invoke", "--log-format", "json", "--log-level", "LOUD", f.root});
    EXPECT_EQ(app.exit_code, 2);
    EXPECT_NE(app.err.find("--log-level LOUD: must be TRACE, DEBUG, INFO, WARN, ERROR or FATAL"),
              std::string::npos)
        << app.err;
    auto sys = run_command(
        {lambda_emu_bin(), "bench", "--log-format", "json", "--system-log-level", "ERROR", f.root});
    EXPECT_EQ(sys.exit_code, 2);
    EXPECT_NE(sys.err.find("--system-log-level ERROR: must be DEBUG, INFO or WARN"),
              std::string::npos)
        << sys.err;
    auto format = run_command({lambda_emu_bin(), "test", "--log-format", "xml", "x.test.json"});
    EXPECT_EQ(format.exit_code, 2);
    EXPECT_NE(format.err.find("--log-format"), std::string::npos) << format.err;
}

TEST(JsonLogs, HelpNamesTheOptions) {
    for (const char* command : {"invoke", "serve", "watch", "test", "bench"}) {
        auto r = run_command({lambda_emu_bin(), command, "--help"});
        EXPECT_EQ(r.exit_code, 0) << command;
        std::vector<std::string> options{"--log-format", "--log-level", "--system-log-level"};
        if (std::string(command) != "test") options.push_back("--extension");
        if (std::string(command) == "bench") options.push_back("--log ");
        for (const auto& option : options) {
            EXPECT_NE(r.out.find(option), std::string::npos) << command << " " << option;
        }
    }
}

// Extensions: discovery and usage errors.

TEST(ExtensionOptions, AMissingExtensionIsAUsageErrorNamingIt) {
    Function f;
    for (const char* command : {"invoke", "serve", "watch", "bench"}) {
        auto r = run_command({lambda_emu_bin(), command, "--extension", "/missing/ext", f.root}, "",
                             std::chrono::seconds(20));
        EXPECT_EQ(r.exit_code, 2) << command << ": " << r.err;
        EXPECT_NE(r.err.find("--extension /missing/ext: No such file"), std::string::npos)
            << command << ": " << r.err;
    }
}

TEST(ExtensionOptions, ANonExecutableExtensionIsRefused) {
    Function f;
    std::string ext = f.dir.write("ext", "#!/bin/sh\n");
    auto r = run_command({lambda_emu_bin(), "invoke", "--extension", ext, f.root});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--extension " + ext + ": not executable"), std::string::npos) << r.err;
}

TEST(ExtensionOptions, ElevenInTheExtensionsDirectoryAreRefused) {
    Function f;
    std::filesystem::create_directories(f.root + "/extensions");
    for (int i = 0; i < 11; ++i) {
        std::string path = f.dir.write("fn/extensions/ext" + std::to_string(i), "#!/bin/sh\n");
        ::chmod(path.c_str(), 0755);
    }
    f.dir.write("fn/extensions/README", "not an executable: not an extension\n");
    auto r = run_command({lambda_emu_bin(), "invoke", f.root});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(f.root + "/extensions: 11 extensions; a function may have at most 10"),
              std::string::npos)
        << r.err;
    f.dir.write("lambda-emu.json", R"({"functions": [{"name": "fn", "bootstrap": "fn"}]})");
    auto config =
        run_command({lambda_emu_bin(), "serve", "--config", f.dir.path("lambda-emu.json")});
    EXPECT_EQ(config.exit_code, 2);
    EXPECT_NE(config.err.find("function 'fn': " + f.root + "/extensions: 11 extensions"),
              std::string::npos)
        << config.err;
}

TEST(ExtensionOptions, DuplicateNamesAndTooManyInAllAreRefused) {
    Function f;
    std::filesystem::create_directories(f.root + "/extensions");
    std::filesystem::create_directories(f.dir.path("other"));
    std::string mine = f.dir.write("fn/extensions/logger", "#!/bin/sh\n");
    std::string other = f.dir.write("other/logger", "#!/bin/sh\n");
    ::chmod(mine.c_str(), 0755);
    ::chmod(other.c_str(), 0755);
    auto dup = run_command({lambda_emu_bin(), "invoke", "--extension", other, f.root});
    EXPECT_EQ(dup.exit_code, 2);
    EXPECT_NE(dup.err.find("a second extension named 'logger'"), std::string::npos) << dup.err;

    std::vector<std::string> argv{lambda_emu_bin(), "invoke"};
    for (int i = 0; i < 10; ++i) {
        std::string path = f.dir.write("other/x" + std::to_string(i), "#!/bin/sh\n");
        ::chmod(path.c_str(), 0755);
        argv.insert(argv.end(), {"--extension", path});
    }
    argv.push_back(f.root);
    auto many = run_command(argv);
    EXPECT_EQ(many.exit_code, 2);
    EXPECT_NE(many.err.find("--extension: 11 extensions in all (1 in " + f.root + "/extensions)"),
              std::string::npos)
        << many.err;
}

TEST(ExtensionOptions, ConfigFileExtensionsAreRelativeToTheFile) {
    Function f;
    f.dir.write("lambda-emu.json", R"({"functions": [{"name": "fn", "bootstrap": "fn",
        "extensions": ["exts/missing"]}]})");
    auto r = run_command({lambda_emu_bin(), "serve", "--config", f.dir.path("lambda-emu.json")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(
        r.err.find("function 'fn': extensions " + f.dir.path("exts/missing") + ": No such file"),
        std::string::npos)
        << r.err;
}

}  // namespace json_logs

}  // namespace lambda_emu::testing
