// `lambda-emu event generate`, end to end, for every source and type that `event list` prints
// (and a few variants with fields):
//
// - the output passes the matching event schema of Powertools for AWS Lambda (TypeScript),
//   @aws-lambda-powertools/parser: an independent check, written by others, that the events
//   lambda-emu generates are the shapes AWS delivers;
// - the output, piped into `lambda-emu invoke --event -`, reaches the C++ example handler
//   exactly as generated (the handler echoes it back) and the invocation ends with a REPORT.
//
// A listed source or type missing from the tables below fails too, so a new one cannot go
// unchecked. Without node or the parser the schema tests FAIL and say what to install.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "e2e/event_schema.h"
#include "e2e/report_lines.h"
#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

using nlohmann::json;

// The export of @aws-lambda-powertools/parser/schemas for each source `event list` prints.
const std::map<std::string, std::string>& schema_of_source() {
    static const std::map<std::string, std::string> table = {
        {"s3", "S3Schema"},
        {"sqs", "SqsSchema"},
        {"apigw", "APIGatewayProxyEventSchema"},
        {"apigw-v2", "APIGatewayProxyEventV2Schema"},
        {"function-url", "LambdaFunctionUrlSchema"},
        {"alb", "AlbSchema"},
        {"sns", "SnsSchema"},
        {"eventbridge", "EventBridgeSchema"},
        {"scheduled", "EventBridgeSchema"},
        {"dynamodb", "DynamoDBStreamSchema"},
        {"kinesis", "KinesisDataStreamSchema"},
        {"cloudwatch-logs", "CloudWatchLogsSchema"},
    };
    return table;
}

// The front end whose HTTP response `invoke` shows for a source's events (cli/cmd_invoke.cpp,
// events::front_end_name); absent for sources that are not HTTP requests.
const std::map<std::string, std::string>& http_front_end_of_source() {
    static const std::map<std::string, std::string> table = {
        {"apigw", "API Gateway REST API"},
        {"apigw-v2", "HTTP API / Function URL"},
        {"function-url", "HTTP API / Function URL"},
        {"alb", "Application Load Balancer"},
    };
    return table;
}

struct GeneratorCase {
    std::string name;               // for the test's name
    std::vector<std::string> args;  // after `event generate`: SOURCE [TYPE] [--FIELD VALUE]...

    const std::string& source() const { return args.front(); }
    // "SOURCE [TYPE]" as `event list` prints it: the arguments before the first field.
    std::string label() const {
        std::string out;
        for (const auto& a : args) {
            if (a.rfind("--", 0) == 0) break;
            out += (out.empty() ? "" : " ") + a;
        }
        return out;
    }
    // True for the case that generates SOURCE [TYPE] with every field at its default.
    bool uses_defaults() const {
        return std::none_of(args.begin(), args.end(),
                            [](const std::string& a) { return a.rfind("--", 0) == 0; });
    }
};

// For gtest's (and so ctest's) description of each case, instead of the struct's bytes.
void PrintTo(const GeneratorCase& c, std::ostream* os) {
    *os << "event generate";
    for (const auto& a : c.args) {
        bool plain = !a.empty() && a.find_first_of(" '\"{}&?;$") == std::string::npos;
        *os << ' ' << (plain ? a : "'" + a + "'");
    }
}

const std::vector<GeneratorCase>& generator_cases() {
    static const std::vector<GeneratorCase> table = {
        // Every source and type of `event list`, with the defaults.
        {"s3_put", {"s3", "put"}},
        {"s3_delete", {"s3", "delete"}},
        {"sqs", {"sqs"}},
        {"apigw", {"apigw"}},
        {"apigw_v2", {"apigw-v2"}},
        {"function_url", {"function-url"}},
        {"alb", {"alb"}},
        {"sns", {"sns"}},
        {"eventbridge", {"eventbridge"}},
        {"scheduled", {"scheduled"}},
        {"dynamodb_insert", {"dynamodb", "insert"}},
        {"dynamodb_modify", {"dynamodb", "modify"}},
        {"dynamodb_remove", {"dynamodb", "remove"}},
        {"kinesis", {"kinesis"}},
        {"cloudwatch_logs", {"cloudwatch-logs"}},
        // Variants with fields.
        {"s3_put_key_with_a_space", {"s3", "put", "--bucket", "photos", "--key", "a b.jpg"}},
        {"s3_delete_non_ascii_key",
         {"s3", "delete", "--key", "dir/\xc3\xbc +&?.txt", "--region", "eu-west-1"}},
        {"sqs_batch_of_ten", {"sqs", "--body", R"({"id":1})", "--count", "10"}},
        {"apigw_post_with_body",
         {"apigw", "--method", "POST", "--path", "/orders", "--body", "{}"}},
        {"apigw_repeated_query_and_headers",
         {"apigw", "--path", "/a/b?x=1&x=2&y=%20z", "--header", "Cookie: a=1; b=2", "--header",
          "Content-Type: text/plain", "--resource", "/a/{p+}", "--stage", "dev"}},
        {"apigw_v2_route_and_repeated_query",
         {"apigw-v2", "--route", "GET /items/{id}", "--path", "/items/42?tag=a&tag=b", "--header",
          "X-Trace: 1"}},
        {"apigw_v2_post_with_cookies",
         {"apigw-v2", "--method", "POST", "--path", "/items/7", "--route", "/items/{id}",
          "--header", "Cookie: a=1; b=2", "--body", "\xc3\xbcn\xc3\xaf"}},
        {"function_url_post_with_repeated_query",
         {"function-url", "--method", "POST", "--query", "a=1&a=2", "--body", "hello"}},
        {"alb_put_with_repeated_query",
         {"alb", "--method", "PUT", "--path", "/x?k=v&k=w", "--body", "b", "--target-group", "tg"}},
        {"sns_with_subject", {"sns", "--subject", "Hi", "--message", "x", "--topic", "orders"}},
        {"eventbridge_resources_and_detail",
         {"eventbridge", "--source", "com.example.orders", "--detail-type", "Order Placed",
          "--detail", R"({"n":1})", "--resource", "arn:aws:s3:::a", "--resource",
          "arn:aws:s3:::b"}},
        {"scheduled_named_rule", {"scheduled", "--rule", "nightly", "--region", "eu-west-1"}},
        {"dynamodb_modify_with_images",
         {"dynamodb", "modify", "--keys", R"({"pk":"a","sk":2})", "--new-image",
          R"({"n":1,"tags":["a"]})", "--old-image", R"({"n":0})"}},
        {"dynamodb_remove_keys_only", {"dynamodb", "remove", "--stream-view-type", "KEYS_ONLY"}},
        {"kinesis_batch_of_three",
         {"kinesis", "--count", "3", "--data", R"({"n":1})", "--partition-key", "k"}},
        {"cloudwatch_logs_two_messages",
         {"cloudwatch-logs", "--message", "hi", "--message", "there", "--log-group", "/g"}},
    };
    return table;
}

CommandResult generate(const GeneratorCase& c) {
    std::vector<std::string> argv = {lambda_emu_bin(), "event", "generate"};
    argv.insert(argv.end(), c.args.begin(), c.args.end());
    return run_command(argv);
}

// The C++ example's answer to an HTTP event without an "action" (examples/cpp/README.md).
const json k_example_http_answer = json::parse(
    R"({"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"status\":\"ok\"}","isBase64Encoded":false})");

// Exactly one invocation, cold, with START before END before its REPORT.
void expect_one_report(const std::string& err) {
    auto rs = reports(err);
    ASSERT_EQ(rs.size(), 1u) << err;
    EXPECT_TRUE(rs[0].has_init) << err;
    EXPECT_EQ(rs[0].status, "") << err;
    const std::string& id = rs[0].request_id;
    auto start = err.find("START RequestId: " + id + " Version: $LATEST\n");
    auto end = err.find("END RequestId: " + id + "\n");
    auto report = err.find("REPORT RequestId: " + id + "\t");
    ASSERT_NE(start, std::string::npos) << err;
    ASSERT_NE(end, std::string::npos) << err;
    EXPECT_LT(start, end) << err;
    EXPECT_LT(end, report) << err;
}

class GeneratedEvent : public ::testing::TestWithParam<GeneratorCase> {};

TEST_P(GeneratedEvent, PassesPowertoolsSchema) {
    const GeneratorCase& c = GetParam();
    auto schema = schema_of_source().find(c.source());
    ASSERT_NE(schema, schema_of_source().end()) << c.source() << " has no schema in the table";
    auto g = generate(c);
    ASSERT_EQ(g.exit_code, 0) << g.err;
    EXPECT_EQ(g.err, "");
    ASSERT_TRUE(json::accept(g.out)) << g.out;
    EXPECT_EQ(event_schema_problems(schema->second, g.out), "")
        << ::testing::PrintToString(c) << " does not pass @aws-lambda-powertools/parser's "
        << schema->second << ":\n"
        << g.out;
}

TEST_P(GeneratedEvent, ReachesTheExampleHandlerAsGenerated) {
    const GeneratorCase& c = GetParam();
    auto g = generate(c);
    ASSERT_EQ(g.exit_code, 0) << g.err;
    ASSERT_TRUE(json::accept(g.out)) << g.out;
    const json event = json::parse(g.out);
    ASSERT_TRUE(event.is_object()) << g.out;
    ASSERT_FALSE(event.contains("action")) << "the example would act on it instead of echoing";
    const std::string head = "HTTP response through the ";

    auto front_end = http_front_end_of_source().find(c.source());
    if (front_end == http_front_end_of_source().end()) {
        // Not an HTTP event: the example echoes the event bytes it received.
        auto r = invoke({"--event", "-", cpp_bootstrap()}, g.out);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        expect_one_report(r.err);
        ASSERT_TRUE(json::accept(r.out)) << r.out;
        EXPECT_EQ(json::parse(r.out), event);
        EXPECT_EQ(r.err.find(head), std::string::npos) << "not an HTTP event:\n" << r.err;
        return;
    }

    // An HTTP event as generated: the example sees an HTTP request ("httpMethod" or
    // "requestContext") and answers 200; invoke shows it through the source's front end.
    auto plain = invoke({"--event", "-", cpp_bootstrap()}, g.out);
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    expect_one_report(plain.err);
    ASSERT_TRUE(json::accept(plain.out)) << plain.out;
    EXPECT_EQ(json::parse(plain.out), k_example_http_answer);
    EXPECT_NE(plain.err.find(head + front_end->second +
                             ":\nHTTP/1.1 200 OK\ncontent-type: application/json\n\n"
                             "{\"status\":\"ok\"}\n"),
              std::string::npos)
        << plain.err;

    // The same event with "action":"echo" put before its first key, its bytes otherwise as
    // generated: the example echoes what it received, which must be that event.
    ASSERT_EQ(g.out.rfind('{', 0), 0u) << g.out;
    std::string with_echo = g.out;
    with_echo.insert(1, R"("action":"echo",)");
    json expected = event;
    expected["action"] = "echo";
    auto echoed = invoke({"--event", "-", cpp_bootstrap()}, with_echo);
    ASSERT_EQ(echoed.exit_code, 0) << echoed.err;
    expect_one_report(echoed.err);
    ASSERT_TRUE(json::accept(echoed.out)) << echoed.out;
    EXPECT_EQ(json::parse(echoed.out), expected);
    auto shown = echoed.err.find(head + front_end->second);
    ASSERT_NE(shown, std::string::npos) << echoed.err;
    if (c.source() == "apigw-v2" || c.source() == "function-url") {
        // Payload format 2.0 infers a 200 application/json answer from JSON without a
        // statusCode, so the HTTP response shown carries the echoed event as its body.
        const std::string ok = ":\nHTTP/1.1 200 OK\ncontent-type: application/json\n\n";
        ASSERT_EQ(echoed.err.compare(shown + head.size() + front_end->second.size(), ok.size(), ok),
                  0)
            << echoed.err;
        std::string body =
            echoed.err.substr(shown + head.size() + front_end->second.size() + ok.size());
        ASSERT_TRUE(json::accept(body)) << body;
        EXPECT_EQ(json::parse(body), expected);
    }
}

INSTANTIATE_TEST_SUITE_P(generator_schema, GeneratedEvent, ::testing::ValuesIn(generator_cases()),
                         [](const ::testing::TestParamInfo<GeneratorCase>& info) {
                             return info.param.name;
                         });

// `event list`'s labels ("s3 put", "sqs", ...): the text before the two-space gap on each line.
std::vector<std::string> listed_labels(const std::string& list) {
    std::vector<std::string> out;
    for (const auto& line : lines_of(list)) {
        if (line.empty()) continue;
        out.push_back(line.substr(0, line.find("  ")));
    }
    return out;
}

// A source or type that `event list` prints but the tables above do not check would go
// unchecked; a case for a source or type it no longer prints would test nothing real.
TEST(GeneratorSchemaTable, CoversEveryListedSourceAndType) {
    auto r = run_command({lambda_emu_bin(), "event", "list"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::vector<std::string> labels = listed_labels(r.out);
    ASSERT_GE(labels.size(), 15u) << r.out;
    const std::set<std::string> listed(labels.begin(), labels.end());
    EXPECT_EQ(listed.size(), labels.size()) << "a label is listed twice:\n" << r.out;

    std::set<std::string> with_defaults;
    for (const auto& c : generator_cases()) {
        EXPECT_TRUE(listed.count(c.label()))
            << c.name << ": '" << c.label() << "' is not printed by event list:\n"
            << r.out;
        if (c.uses_defaults()) with_defaults.insert(c.label());
    }
    for (const auto& label : labels) {
        const std::string source = label.substr(0, label.find(' '));
        EXPECT_TRUE(schema_of_source().count(source))
            << "event list prints source '" << source
            << "' but tests/e2e/generator_schema_test.cpp maps it to no Powertools schema";
        EXPECT_TRUE(with_defaults.count(label))
            << "event list prints '" << label
            << "' but tests/e2e/generator_schema_test.cpp has no case generating it";
    }
}

}  // namespace

}  // namespace lambda_emu::testing
