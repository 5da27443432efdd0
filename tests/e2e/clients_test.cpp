// lambda-emu serve against real third-party Invoke API clients: the AWS CLI v2 (/usr/bin/aws),
// boto3 (/usr/bin/python3) and the AWS SDK for JavaScript v3 (@aws-sdk/client-lambda, installed
// by tests/e2e/node_ric.cmake). Each client suite shares one server for the example C++
// bootstrap (function "cpp"), stopped with SIGINT at the end. A missing client is a broken
// set-up (CI installs all three), so its tests FAIL and say what to install; they never skip.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "e2e/background_process.h"
#include "e2e/run_command.h"
#include "util/base64.h"

#ifndef LAMBDA_EMU_NODE_MODULES
#define LAMBDA_EMU_NODE_MODULES ""
#endif
#ifndef LAMBDA_EMU_NODE_BIN
#define LAMBDA_EMU_NODE_BIN ""
#endif
#ifndef LAMBDA_EMU_NODE_MISSING_REASON
#define LAMBDA_EMU_NODE_MISSING_REASON "tests/e2e/node_ric.cmake was not included in this build"
#endif
#ifndef LAMBDA_EMU_JS_SDK_VERSION
#define LAMBDA_EMU_JS_SDK_VERSION "?"
#endif

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_function = "cpp";
const std::string k_arn = "arn:aws:lambda:us-east-1:000000000000:function:cpp";
const std::string k_partial_arn = "000000000000:function:cpp";
const std::string k_aws = "/usr/bin/aws";
const std::string k_python = "/usr/bin/python3";

// What the test asks a client to do: one Invoke call.
struct Invocation {
    std::string function_name = k_function;
    std::optional<std::string> payload;
    std::string qualifier;        // empty: no Qualifier parameter
    std::string invocation_type;  // empty: the client's default (RequestResponse)
    bool tail = false;            // LogType Tail
};

// What came back, in the same shape for every client.
struct Outcome {
    CommandResult command;
    bool returned = false;   // the client returned a response (no exception, CLI exit 0)
    json response;           // StatusCode, FunctionError, ExecutedVersion, LogResult (when present)
    std::string payload;     // the response payload's text
    std::string request_id;  // from the response, when the client shows it (not the CLI)
    json error;              // the SDK's exception as the script printed it
    std::string describe() const {
        return "exit " + std::to_string(command.exit_code) + "\nstdout: " + command.out +
               "\nstderr: " + command.err;
    }
};

// Runs a client with a clean, fixed AWS environment: fake credentials, no profile or config
// files, no proxy, no retries, no pager. `env` overrides rather than appends, so a variable
// already in the test's environment cannot win.
CommandResult run_client(const std::vector<std::string>& argv) {
    std::vector<std::string> full = {"/usr/bin/env"};
    for (const char* name :
         {"AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_REGION",
          "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_ROLE_ARN",
          "AWS_WEB_IDENTITY_TOKEN_FILE", "http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
          "all_proxy", "ALL_PROXY"}) {
        full.push_back("-u");
        full.push_back(name);
    }
    for (const char* assignment :
         {"AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x", "AWS_DEFAULT_REGION=us-east-1",
          "AWS_CONFIG_FILE=/nonexistent/lambda-emu-test/config",
          "AWS_SHARED_CREDENTIALS_FILE=/nonexistent/lambda-emu-test/credentials",
          "AWS_MAX_ATTEMPTS=1", "AWS_RETRY_MODE=standard",
          "AWS_PAGER=", "AWS_EC2_METADATA_DISABLED=true", "NO_PROXY=127.0.0.1,localhost",
          "no_proxy=127.0.0.1,localhost",
          // The JS SDK warns on stderr that releases after January 2027 need Node 22.
          "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true"}) {
        full.push_back(assignment);
    }
    full.insert(full.end(), argv.begin(), argv.end());
    return run_command(full, "", std::chrono::seconds(60));
}

// A fresh directory for the CLI's outfiles, removed at the end of the suite.
fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "lambda-emu-clients-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return {};
    return pattern;
}

// --- The three clients -------------------------------------------------------------------

struct AwsCli {
    static constexpr const char* name = "AwsCli";

    static std::string missing() {
        if (::access(k_aws.c_str(), X_OK) != 0) {
            return k_aws + " is missing: install Debian's awscli (AWS CLI v2)";
        }
        return "";
    }

    static Outcome invoke(const std::string& url, const fs::path& dir, const Invocation& inv) {
        static std::atomic<int> counter{0};
        fs::path outfile = dir / ("out-" + std::to_string(++counter) + ".json");
        std::vector<std::string> argv = {k_aws,
                                         "lambda",
                                         "invoke",
                                         "--endpoint-url",
                                         url,
                                         "--cli-connect-timeout",
                                         "5",
                                         "--cli-read-timeout",
                                         "30",
                                         "--output",
                                         "json",
                                         "--no-cli-pager",
                                         "--function-name",
                                         inv.function_name,
                                         "--cli-binary-format",
                                         "raw-in-base64-out"};
        if (inv.payload) argv.insert(argv.end(), {"--payload", *inv.payload});
        if (!inv.qualifier.empty()) argv.insert(argv.end(), {"--qualifier", inv.qualifier});
        if (!inv.invocation_type.empty()) {
            argv.insert(argv.end(), {"--invocation-type", inv.invocation_type});
        }
        if (inv.tail) argv.insert(argv.end(), {"--log-type", "Tail"});
        argv.push_back(outfile.string());
        Outcome o;
        o.command = run_client(argv);
        if (o.command.exit_code == 0) {
            o.returned = true;
            o.response = json::parse(o.command.out, nullptr, false);
            o.payload = read_file(outfile);
        } else if (o.command.err.find("An error occurred (") == std::string::npos) {
            // Not a service error: perhaps not AWS CLI v2 (v1 rejects --cli-binary-format).
            auto version = run_client({k_aws, "--version"});
            o.command.err += "\n(" + k_aws + " --version: " + version.out + version.err + ")";
        }
        return o;
    }

    // The CLI exits non-zero and names the error code and the function on stderr.
    static void expect_not_found(const Outcome& o) {
        EXPECT_FALSE(o.returned) << o.describe();
        EXPECT_NE(o.command.exit_code, 0) << o.describe();
        EXPECT_NE(o.command.err.find("(ResourceNotFoundException)"), std::string::npos)
            << o.describe();
        EXPECT_NE(o.command.err.find("no-such-function"), std::string::npos) << o.describe();
    }
};

// boto3 and the JS SDK run a script that prints one JSON object: the response (exit 0) or the
// exception (exit 3).
Outcome from_script(CommandResult command) {
    Outcome o;
    o.command = std::move(command);
    json j = json::parse(o.command.out, nullptr, false);
    if (o.command.exit_code == 0 && j.is_object()) {
        o.returned = true;
        o.payload = j.value("Payload", "");
        o.request_id = j.value("RequestId", "");
        j.erase("Payload");
        j.erase("RequestId");
        o.response = j;
    } else if (o.command.exit_code == 3 && j.is_object()) {
        o.error = j;
    }
    return o;
}

std::vector<std::string> script_options(const Invocation& inv) {
    std::vector<std::string> args;
    if (inv.payload) args.insert(args.end(), {"--payload", *inv.payload});
    if (!inv.qualifier.empty()) args.insert(args.end(), {"--qualifier", inv.qualifier});
    if (!inv.invocation_type.empty()) {
        args.insert(args.end(), {"--invocation-type", inv.invocation_type});
    }
    if (inv.tail) args.insert(args.end(), {"--log-type", "Tail"});
    return args;
}

struct Boto3 {
    static constexpr const char* name = "Boto3";

    static std::string missing() {
        if (::access(k_python.c_str(), X_OK) != 0) {
            return k_python + " is missing: install Debian's python3 and python3-boto3";
        }
        auto r = run_client({k_python, "-c", "import boto3, botocore; print(boto3.__version__)"});
        if (r.exit_code != 0) {
            return "boto3 is not importable by " + k_python + ": install Debian's python3-boto3 (" +
                   r.err + ")";
        }
        return "";
    }

    static Outcome invoke(const std::string& url, const fs::path&, const Invocation& inv) {
        std::vector<std::string> argv = {k_python, source_path("tests/e2e/clients/boto3_invoke.py"),
                                         url, inv.function_name};
        auto options = script_options(inv);
        argv.insert(argv.end(), options.begin(), options.end());
        return from_script(run_client(argv));
    }

    // boto3 raises the modelled exception class client.exceptions.ResourceNotFoundException.
    static void expect_not_found(const Outcome& o) {
        ASSERT_EQ(o.command.exit_code, 3) << "boto3 should have raised: " << o.describe();
        ASSERT_TRUE(o.error.is_object()) << o.describe();
        EXPECT_EQ(o.error.value("exception", ""), "ResourceNotFoundException") << o.error.dump();
        EXPECT_TRUE(o.error.value("isResourceNotFoundException", false))
            << "not client.exceptions.ResourceNotFoundException: " << o.error.dump();
        EXPECT_EQ(o.error.value("code", ""), "ResourceNotFoundException") << o.error.dump();
        EXPECT_EQ(o.error.value("httpStatus", 0), 404) << o.error.dump();
        EXPECT_NE(o.error.value("message", "").find("no-such-function"), std::string::npos)
            << o.error.dump();
    }
};

struct JsSdk {
    static constexpr const char* name = "JsSdkV3";

    static std::string missing() {
        std::string reason = LAMBDA_EMU_NODE_MISSING_REASON;
        if (!reason.empty()) {
            return "@aws-sdk/client-lambda is not installed: " + reason +
                   " (install Debian's nodejs and npm, then reconfigure)";
        }
        const std::string node = LAMBDA_EMU_NODE_BIN;
        if (node.empty() || ::access(node.c_str(), X_OK) != 0) {
            return "node is missing ('" + node + "'): install Debian's nodejs, then reconfigure";
        }
        fs::path package =
            fs::path(LAMBDA_EMU_NODE_MODULES) / "@aws-sdk" / "client-lambda" / "package.json";
        if (!fs::exists(package)) {
            return std::string("@aws-sdk/client-lambda@") + LAMBDA_EMU_JS_SDK_VERSION +
                   " is not installed at " + package.string() +
                   ": build the node_ric_install target (tests/e2e/node_ric.cmake)";
        }
        return "";
    }

    static Outcome invoke(const std::string& url, const fs::path&, const Invocation& inv) {
        std::vector<std::string> argv = {LAMBDA_EMU_NODE_BIN,
                                         source_path("tests/e2e/clients/js_sdk_invoke.mjs"),
                                         LAMBDA_EMU_NODE_MODULES, url, inv.function_name};
        auto options = script_options(inv);
        argv.insert(argv.end(), options.begin(), options.end());
        return from_script(run_client(argv));
    }

    // The SDK throws its modelled ResourceNotFoundException, whose name says so.
    static void expect_not_found(const Outcome& o) {
        ASSERT_EQ(o.command.exit_code, 3) << "the SDK should have thrown: " << o.describe();
        ASSERT_TRUE(o.error.is_object()) << o.describe();
        EXPECT_EQ(o.error.value("name", ""), "ResourceNotFoundException") << o.error.dump();
        EXPECT_TRUE(o.error.value("isResourceNotFoundException", false))
            << "not an instance of ResourceNotFoundException: " << o.error.dump();
        EXPECT_EQ(o.error.value("httpStatus", 0), 404) << o.error.dump();
        EXPECT_NE(o.error.value("message", "").find("no-such-function"), std::string::npos)
            << o.error.dump();
    }
};

// --- Shared checks -----------------------------------------------------------------------

std::string decoded_log(const Outcome& o) {
    if (!o.response.contains("LogResult") || !o.response["LogResult"].is_string()) return "";
    auto text = util::base64_decode(o.response["LogResult"].get<std::string>());
    return text ? *text : "<LogResult is not base64>";
}

int count_lines_starting(const std::string& text, const std::string& prefix) {
    return static_cast<int>(lines_starting(text, prefix).size());
}

// A payload that says which test sent it, so an echo cannot be mistaken for another one.
std::string marked_payload(const std::string& marker) {
    return json{{"action", "echo"}, {"marker", marker}}.dump();
}

// --- The suites --------------------------------------------------------------------------
//
// ClientSuite<Client> holds one test body per behaviour; LAMBDA_EMU_CLIENT_TESTS instantiates
// them as plain TEST_Fs, so each client is its own suite (ClientsAwsCli, ClientsBoto3,
// ClientsJsSdk) with readable test names, and its own server.

template <typename Client>
class ClientSuite : public ::testing::Test {
  public:
    static void SetUpTestSuite() {
        s_missing = Client::missing();
        if (!s_missing.empty()) return;
        s_dir = make_temp_dir();
        s_server = std::make_unique<Server>(start_serve({build_path("examples/cpp/bootstrap")}));
    }

    static void TearDownTestSuite() {
        if (s_server && s_server->process) {
            int code = s_server->process->stop(SIGINT);
            EXPECT_EQ(code, 0) << "lambda-emu serve did not stop cleanly on SIGINT; its stderr:\n"
                               << s_server->process->err();
        }
        s_server.reset();
        if (!s_dir.empty()) {
            std::error_code ec;
            fs::remove_all(s_dir, ec);
        }
        s_dir.clear();
    }

  protected:
    void SetUp() override {
        ASSERT_TRUE(s_missing.empty()) << Client::name << ": " << s_missing;
        ASSERT_TRUE(s_server && s_server->port > 0)
            << "lambda-emu serve did not start; its stderr:\n"
            << (s_server && s_server->process ? s_server->process->err() : std::string());
    }

    Outcome invoke(const Invocation& inv) { return Client::invoke(s_server->url(), s_dir, inv); }
    BackgroundProcess& server() { return *s_server->process; }
    int reports_in_server_log() {
        return count_lines_starting(server().err(), "REPORT RequestId: ");
    }

    // A RequestResponse call that returned 200 with the marked payload echoed.
    void expect_echo(const Invocation& inv, const std::string& marker) {
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << inv.function_name << " (qualifier '" << inv.qualifier
                                << "'): " << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 200) << o.describe();
        EXPECT_FALSE(o.response.contains("FunctionError")) << o.describe();
        EXPECT_EQ(o.response.value("ExecutedVersion", ""), "$LATEST") << o.describe();
        EXPECT_EQ(json::parse(o.payload, nullptr, false), json::parse(marked_payload(marker)))
            << inv.function_name << " (qualifier '" << inv.qualifier << "'): " << o.payload;
    }

    void success_echoes_the_payload() {
        Invocation inv;
        inv.payload = marked_payload("success");
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 200) << o.describe();
        EXPECT_FALSE(o.response.contains("FunctionError")) << o.describe();
        EXPECT_EQ(o.response.value("ExecutedVersion", ""), "$LATEST") << o.describe();
        EXPECT_FALSE(o.response.contains("LogResult")) << "no LogType Tail: " << o.describe();
        EXPECT_EQ(json::parse(o.payload, nullptr, false), json::parse(*inv.payload)) << o.payload;
    }

    void empty_payload_is_an_empty_object() {
        Invocation inv;  // no payload at all: an empty body, which the runtime sees as {}
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 200) << o.describe();
        EXPECT_EQ(json::parse(o.payload, nullptr, false), json::object()) << o.payload;
    }

    void function_error_is_unhandled() {
        Invocation inv;
        inv.payload = R"({"action":"error"})";
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << "a function error is a successful Invoke call (the CLI exits "
                                   "0, the SDKs do not throw): "
                                << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 200) << o.describe();
        EXPECT_EQ(o.response.value("FunctionError", ""), "Unhandled") << o.describe();
        EXPECT_EQ(o.response.value("ExecutedVersion", ""), "$LATEST") << o.describe();
        json error = json::parse(o.payload, nullptr, false);
        ASSERT_TRUE(error.is_object()) << o.payload;
        EXPECT_EQ(error.value("errorType", ""), "HandlerError") << o.payload;
        EXPECT_EQ(error.value("errorMessage", ""), "deliberate failure") << o.payload;
    }

    void log_result_tail() {
        Invocation inv;
        inv.payload = marked_payload("tail");
        inv.tail = true;
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 200) << o.describe();
        EXPECT_EQ(json::parse(o.payload, nullptr, false), json::parse(*inv.payload)) << o.payload;
        ASSERT_TRUE(o.response.contains("LogResult")) << "no LogResult: " << o.describe();
        std::string log = decoded_log(o);
        EXPECT_LE(log.size(), 4096u);
        std::smatch m;
        ASSERT_TRUE(std::regex_search(log, m, std::regex(R"(START RequestId: ([0-9a-f-]{36}) )")))
            << log;
        const std::string id = m[1].str();
        if (!o.request_id.empty()) {
            EXPECT_EQ(id, o.request_id) << "the tail is of the response's own RequestId";
        }
        auto starts = lines_starting(log, "START RequestId: " + id);
        ASSERT_EQ(starts.size(), 1u) << log;
        EXPECT_NE(starts[0].find("Version: $LATEST"), std::string::npos) << starts[0];
        EXPECT_EQ(count_lines_starting(log, "END RequestId: " + id), 1) << log;
        EXPECT_EQ(count_lines_starting(log, "REPORT RequestId: " + id + "\tDuration: "), 1) << log;
        EXPECT_EQ(count_lines_starting(log, "START RequestId: "), 1)
            << "the tail holds only this invocation's lines:\n"
            << log;
        // The same invocation in the server's own log.
        EXPECT_EQ(count_lines_starting(server().err(), "REPORT RequestId: " + id), 1)
            << server().err();
    }

    void function_error_with_tail() {
        Invocation inv;
        inv.payload = R"({"action":"error"})";
        inv.tail = true;
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << o.describe();
        EXPECT_EQ(o.response.value("FunctionError", ""), "Unhandled") << o.describe();
        std::string log = decoded_log(o);
        EXPECT_EQ(count_lines_starting(log, "START RequestId: "), 1) << log;
        EXPECT_EQ(count_lines_starting(log, "END RequestId: "), 1) << log;
        EXPECT_EQ(count_lines_starting(log, "REPORT RequestId: "), 1) << log;
    }

    void unknown_function() {
        Invocation inv;
        inv.function_name = "no-such-function";
        inv.payload = "{}";
        Client::expect_not_found(invoke(inv));
    }

    void event_runs() {
        const int reports_before = reports_in_server_log();
        Invocation inv;
        inv.payload = marked_payload("event");
        inv.invocation_type = "Event";
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 202) << o.describe();
        EXPECT_FALSE(o.response.contains("FunctionError")) << o.describe();
        EXPECT_EQ(o.payload, "") << "an Event invocation answers with an empty body";
        if (!o.request_id.empty()) {
            // The SDKs show the request id: that very invocation must run.
            auto found = server().wait_for(std::regex("^REPORT RequestId: " + o.request_id + "\t"),
                                           std::chrono::seconds(5));
            EXPECT_TRUE(found) << "no REPORT for " << o.request_id << " within 5 s:\n"
                               << server().err();
        } else {
            // The CLI does not print the request id: a new REPORT line must appear.
            auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
            while (reports_in_server_log() == reports_before &&
                   std::chrono::steady_clock::now() < deadline) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
            EXPECT_EQ(reports_in_server_log(), reports_before + 1)
                << "the Event invocation did not run within 5 s:\n"
                << server().err();
        }
    }

    void dry_run() {
        const int reports_before = reports_in_server_log();
        Invocation inv;
        inv.payload = "{}";
        inv.invocation_type = "DryRun";
        Outcome o = invoke(inv);
        ASSERT_TRUE(o.returned) << o.describe();
        EXPECT_EQ(o.response.value("StatusCode", 0), 204) << o.describe();
        EXPECT_FALSE(o.response.contains("FunctionError")) << o.describe();
        EXPECT_EQ(reports_in_server_log(), reports_before)
            << "a DryRun must not run the function:\n"
            << server().err();
    }

    void name_with_alias() {
        Invocation inv;
        inv.function_name = "cpp:live";
        inv.payload = marked_payload("name-alias");
        expect_echo(inv, "name-alias");
    }

    void full_arn() {
        Invocation inv;
        inv.function_name = k_arn;
        inv.payload = marked_payload("full-arn");
        expect_echo(inv, "full-arn");
        inv.function_name = k_arn + ":live";
        inv.payload = marked_payload("full-arn-alias");
        expect_echo(inv, "full-arn-alias");
    }

    void partial_arn() {
        Invocation inv;
        inv.function_name = k_partial_arn;
        inv.payload = marked_payload("partial-arn");
        expect_echo(inv, "partial-arn");
        inv.function_name = k_partial_arn + ":live";
        inv.payload = marked_payload("partial-arn-alias");
        expect_echo(inv, "partial-arn-alias");
    }

    void qualifier_parameter() {
        Invocation inv;
        inv.qualifier = "live";
        inv.payload = marked_payload("qualifier-alias");
        expect_echo(inv, "qualifier-alias");
        inv.qualifier = "$LATEST";
        inv.payload = marked_payload("qualifier-latest");
        expect_echo(inv, "qualifier-latest");
        inv.function_name = k_arn;
        inv.qualifier = "live";
        inv.payload = marked_payload("arn-qualifier");
        expect_echo(inv, "arn-qualifier");
    }

    static inline std::unique_ptr<Server> s_server;
    static inline fs::path s_dir;
    static inline std::string s_missing;
};

#define LAMBDA_EMU_CLIENT_TESTS(Suite)                                                         \
    TEST_F(Suite, SuccessEchoesThePayloadWith200AndLatest) { success_echoes_the_payload(); }   \
    TEST_F(Suite, EmptyPayloadReachesTheFunctionAsEmptyObject) {                               \
        empty_payload_is_an_empty_object();                                                    \
    }                                                                                          \
    TEST_F(Suite, FunctionErrorIsUnhandledWithTheErrorAsPayload) {                             \
        function_error_is_unhandled();                                                         \
    }                                                                                          \
    TEST_F(Suite, LogResultHoldsStartEndAndReport) { log_result_tail(); }                      \
    TEST_F(Suite, FunctionErrorWithTailHoldsStartEndAndReport) { function_error_with_tail(); } \
    TEST_F(Suite, UnknownFunctionIsResourceNotFoundException) { unknown_function(); }          \
    TEST_F(Suite, EventIsAcceptedWith202AndRuns) { event_runs(); }                             \
    TEST_F(Suite, DryRunIsAnswered204WithoutRunning) { dry_run(); }                            \
    TEST_F(Suite, NameWithAliasReachesTheFunction) { name_with_alias(); }                      \
    TEST_F(Suite, FullArnReachesTheFunction) { full_arn(); }                                   \
    TEST_F(Suite, PartialArnReachesTheFunction) { partial_arn(); }                             \
    TEST_F(Suite, QualifierParameterReachesTheFunction) { qualifier_parameter(); }

class ClientsAwsCli : public ClientSuite<AwsCli> {};
LAMBDA_EMU_CLIENT_TESTS(ClientsAwsCli)

class ClientsBoto3 : public ClientSuite<Boto3> {};
LAMBDA_EMU_CLIENT_TESTS(ClientsBoto3)

class ClientsJsSdk : public ClientSuite<JsSdk> {};
LAMBDA_EMU_CLIENT_TESTS(ClientsJsSdk)

}  // namespace

}  // namespace lambda_emu::testing
