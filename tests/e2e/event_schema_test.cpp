// Every event fixture (fixtures/*.json) against the matching event schema of Powertools for
// AWS Lambda (TypeScript), @aws-lambda-powertools/parser from npm: an independent check,
// written by others, that the shapes lambda-emu ships are the shapes AWS delivers. A fixture
// missing from the table below fails too, so a new fixture cannot go unchecked. Without node
// or the parser the tests FAIL and say what to install; they never skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/event_schema.h"
#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct FixtureSchema {
    std::string fixture;  // file name under fixtures/
    std::string schema;   // export of @aws-lambda-powertools/parser/schemas
};

// For gtest's (and so ctest's) name of each case, instead of the struct's bytes.
void PrintTo(const FixtureSchema& entry, std::ostream* os) {
    *os << entry.fixture << " with " << entry.schema;
}

const std::vector<FixtureSchema>& fixture_schemas() {
    static const std::vector<FixtureSchema> table = {
        {"apigw.json", "APIGatewayProxyEventSchema"},
        {"apigw-v2.json", "APIGatewayProxyEventV2Schema"},
        {"function-url.json", "LambdaFunctionUrlSchema"},
        {"alb.json", "AlbSchema"},
        {"sqs.json", "SqsSchema"},
        {"s3-put.json", "S3Schema"},
        {"s3-delete.json", "S3Schema"},
        {"sns.json", "SnsSchema"},
        {"eventbridge.json", "EventBridgeSchema"},
        {"scheduled.json", "EventBridgeSchema"},
        {"dynamodb.json", "DynamoDBStreamSchema"},
        {"kinesis.json", "KinesisDataStreamSchema"},
        {"cloudwatch-logs.json", "CloudWatchLogsSchema"},
    };
    return table;
}

class EventSchema : public ::testing::TestWithParam<FixtureSchema> {};

TEST_P(EventSchema, FixtureMatchesPowertoolsSchema) {
    const auto& [fixture, schema] = GetParam();
    const fs::path path = source_path("fixtures/" + fixture);
    ASSERT_TRUE(fs::is_regular_file(path)) << path << " is in the table but does not exist";
    EXPECT_EQ(event_schema_problems(schema, read_file(path)), "")
        << "fixtures/" << fixture << " does not pass @aws-lambda-powertools/parser's " << schema;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EventSchema, ::testing::ValuesIn(fixture_schemas()),
                         [](const ::testing::TestParamInfo<FixtureSchema>& info) {
                             std::string name = fs::path(info.param.fixture).stem().string();
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

// A fixture with no entry in the table would go unchecked.
TEST(EventSchemaTable, CoversEveryFixture) {
    std::set<std::string> listed;
    for (const auto& entry : fixture_schemas()) listed.insert(entry.fixture);
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(source_path("fixtures"))) {
        if (entry.path().extension() == ".json") found.push_back(entry.path().filename().string());
    }
    EXPECT_FALSE(found.empty()) << "no fixtures/*.json found under " << source_path("fixtures");
    for (const auto& name : found) {
        EXPECT_TRUE(listed.count(name))
            << "fixtures/" << name << " has no schema in tests/e2e/event_schema_test.cpp's table";
    }
}

// The validator really rejects: a checker that always said "ok" would pass every fixture.
TEST(EventSchemaValidator, RejectsAnEventMissingARequiredField) {
    json event = json::parse(read_file(source_path("fixtures/sqs.json")));
    event["Records"][1].erase("body");
    event["Records"][0]["attributes"]["SentTimestamp"] = 1700000000000;
    std::string problems = event_schema_problems("SqsSchema", event.dump());
    EXPECT_NE(problems.find("Records[1].body: "), std::string::npos) << problems;
    EXPECT_NE(problems.find("Records[0].attributes.SentTimestamp: "), std::string::npos)
        << problems;
    EXPECT_EQ(lines_of(problems).size(), 2u) << problems;
}

TEST(EventSchemaValidator, RejectsTextThatIsNotJson) {
    std::string problems = event_schema_problems("SqsSchema", "{not json");
    EXPECT_NE(problems.find("not JSON"), std::string::npos) << problems;
}

// A schema transform that cannot decode its field (CloudWatch Logs' base64 gzip) is a problem.
TEST(EventSchemaValidator, RejectsCloudWatchLogsDataThatIsNotGzip) {
    json event = {{"awslogs", {{"data", "aGVsbG8="}}}};  // base64 of "hello"
    std::string problems = event_schema_problems("CloudWatchLogsSchema", event.dump());
    EXPECT_NE(problems.find("awslogs.data: "), std::string::npos) << problems;
}

TEST(EventSchemaValidator, UnknownSchemaNameListsTheValidOnes) {
    std::string problems = event_schema_problems("NoSuchSchema", "{}");
    EXPECT_NE(problems.find("unknown schema 'NoSuchSchema'"), std::string::npos) << problems;
    EXPECT_NE(problems.find("SqsSchema"), std::string::npos) << problems;
}

}  // namespace

}  // namespace lambda_emu::testing
