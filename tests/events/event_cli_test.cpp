// `lambda-emu event` end to end: the built binary, its exit statuses, and its output piped into
// `lambda-emu invoke` running the C++ example handler (which echoes events that have no
// "action", "httpMethod" or "requestContext" key).
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct ShellRun {
    int status = -1;
    std::string out;
    std::string err;
};

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

const std::string& bin() {
    static const std::string path = quoted(LAMBDA_EMU_BIN);
    return path;
}

std::string bootstrap() { return std::string(LAMBDA_EMU_BINARY_DIR) + "/examples/cpp/bootstrap"; }

// Runs a shell command line; stdout and stderr captured separately.
ShellRun run_shell(const std::string& command) {
    fs::path err_file = fs::temp_directory_path() /
                        ("lambda-emu-event-test-" + std::to_string(::getpid()) + ".err");
    ShellRun r;
    std::string line = "(" + command + ") 2>" + quoted(err_file.string());
    FILE* pipe = ::popen(line.c_str(), "r");
    if (pipe == nullptr) return r;
    char buf[4096];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
    int status = ::pclose(pipe);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    r.err.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    fs::remove(err_file);
    return r;
}

class EventCommand : public ::testing::Test {
  protected:
    void SetUp() override { ASSERT_TRUE(fs::exists(LAMBDA_EMU_BIN)) << "build lambda-emu first"; }
};

TEST_F(EventCommand, ListPrintsEverySourceAndType) {
    ShellRun r = run_shell(bin() + " event list");
    EXPECT_EQ(r.status, 0) << r.err;
    for (const char* label : {"s3 put", "s3 delete", "sqs ", "apigw ", "apigw-v2", "function-url",
                              "alb ", "sns ", "eventbridge", "scheduled", "dynamodb insert",
                              "dynamodb modify", "dynamodb remove", "kinesis", "cloudwatch-logs"}) {
        EXPECT_NE(("\n" + r.out).find(std::string("\n") + label), std::string::npos)
            << label << "\n"
            << r.out;
    }
}

TEST_F(EventCommand, GeneratePrintsOnlyTheEventOnStdout) {
    ShellRun r = run_shell(bin() + " event generate s3 put --bucket photos --key 'a b.jpg'");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    json event = json::parse(r.out);  // throws if anything but JSON is on stdout
    EXPECT_EQ(event["Records"][0]["s3"]["object"]["key"], "a+b.jpg");
    EXPECT_EQ(r.out.rfind("{\n  \"Records\": [\n", 0), 0u);
}

TEST_F(EventCommand, SourceHelpListsTheFields) {
    ShellRun r = run_shell(bin() + " event generate dynamodb modify --help");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("--old-image JSON"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("dynamodb insert"), std::string::npos) << r.out;
}

TEST_F(EventCommand, UnknownSourceTypeOrFieldIsAUsageErrorOnOneLine) {
    struct Case {
        std::string args;
        std::string expected;
    };
    std::vector<Case> cases = {
        {"event generate nosuch", "valid sources: s3, sqs, apigw"},
        {"event generate s3 copy", "valid types: put, delete"},
        {"event generate s3 put --colour red", "valid fields: --bucket, --key"},
        {"event generate sqs --count 0", "--count 0: must be from 1 to 10000"},
    };
    for (const Case& c : cases) {
        ShellRun r = run_shell(bin() + " " + c.args);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_EQ(r.out, "") << c.args;
        EXPECT_EQ(r.err.rfind("lambda-emu: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find(c.expected), std::string::npos) << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
}

TEST_F(EventCommand, PipesIntoInvoke) {
    ASSERT_TRUE(fs::exists(bootstrap())) << "build example_cpp_bootstrap first";
    ShellRun r = run_shell(bin() + " event generate sqs --count 3 | " + bin() +
                           " invoke --event - " + quoted(bootstrap()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find("REPORT RequestId: "), std::string::npos) << r.err;
    json echoed = json::parse(r.out);
    ASSERT_EQ(echoed["Records"].size(), 3u);
    EXPECT_EQ(echoed["Records"][0]["eventSource"], "aws:sqs");
}

TEST_F(EventCommand, InvokeReceivesTheEventAsGenerated) {
    ASSERT_TRUE(fs::exists(bootstrap())) << "build example_cpp_bootstrap first";
    fs::path file = fs::temp_directory_path() /
                    ("lambda-emu-event-test-" + std::to_string(::getpid()) + ".json");
    for (const std::string source :
         {"kinesis --data hello", "dynamodb modify", "cloudwatch-logs", "s3 delete", "scheduled"}) {
        ShellRun generated =
            run_shell(bin() + " event generate " + source + " >" + quoted(file.string()));
        ASSERT_EQ(generated.status, 0) << generated.err;
        ShellRun invoked = run_shell(bin() + " invoke --event " + quoted(file.string()) + " " +
                                     quoted(bootstrap()));
        EXPECT_EQ(invoked.status, 0) << invoked.err;
        std::ifstream in(file);
        EXPECT_EQ(json::parse(invoked.out), json::parse(in)) << source;
    }
    fs::remove(file);
}

}  // namespace
