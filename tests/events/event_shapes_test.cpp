// Each generated event has the shape of the matching real-shaped fixture in fixtures/: the same
// keys at every level (object keys that are data, such as header names, excepted) and the same
// kinds of values.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "events/generator.h"
#include "events/gzip.h"
#include "util/base64.h"

namespace lambda_emu::events {

namespace {

using nlohmann::json;

json generate(const std::vector<std::string>& args) {
    auto request = parse_event_args(args);
    EXPECT_TRUE(request.ok()) << request.error().message;
    if (!request) return nullptr;
    auto text = generate_event(*request, util::system_clock());
    EXPECT_TRUE(text.ok()) << text.error().message;
    if (!text) return nullptr;
    return json::parse(*text);
}

json fixture(const std::string& name) {
    std::ifstream in(std::string(LAMBDA_EMU_SOURCE_DIR) + "/fixtures/" + name);
    return json::parse(in);
}

// Objects whose keys are data (names of headers, attributes, parameters), not schema.
const std::set<std::string> k_data_maps = {"headers",
                                           "multiValueHeaders",
                                           "queryStringParameters",
                                           "multiValueQueryStringParameters",
                                           "pathParameters",
                                           "stageVariables",
                                           "messageAttributes",
                                           "MessageAttributes",
                                           "detail",
                                           "Keys",
                                           "NewImage",
                                           "OldImage"};

bool same_kind(const json& a, const json& b) {
    if (a.is_number() && b.is_number()) return true;
    return a.type() == b.type();
}

std::string last_key(const std::string& path) {
    std::size_t dot = path.rfind('.');
    std::string key = dot == std::string::npos ? path : path.substr(dot + 1);
    return key;
}

// Differences between a generated value and a fixture value; `optional` lists paths the fixture
// has but a generated event may leave out (such as an authorizer the generator does not add).
void shape_diffs(const json& got, const json& want, const std::string& path,
                 const std::set<std::string>& optional, std::vector<std::string>& out) {
    if (got.is_null() || want.is_null()) return;  // nullable fields: null or a value
    if (!same_kind(got, want)) {
        out.push_back(path + ": " + got.type_name() + " instead of " + want.type_name());
        return;
    }
    if (got.is_object()) {
        if (k_data_maps.count(last_key(path)) != 0) return;
        for (const auto& [key, value] : want.items()) {
            std::string at = path.empty() ? key : path + "." + key;
            if (!got.contains(key)) {
                if (optional.count(at) == 0) out.push_back(at + ": missing");
                continue;
            }
            shape_diffs(got[key], value, at, optional, out);
        }
        for (const auto& [key, value] : got.items()) {
            if (!want.contains(key))
                out.push_back((path.empty() ? key : path + "." + key) + ": not in the fixture");
        }
    } else if (got.is_array() && !want.empty()) {
        // Each element against the fixture element it resembles most.
        for (const json& element : got) {
            std::vector<std::string> best;
            bool first = true;
            for (const json& candidate : want) {
                std::vector<std::string> diffs;
                shape_diffs(element, candidate, path + "[]", optional, diffs);
                if (first || diffs.size() < best.size()) best = diffs;
                first = false;
            }
            out.insert(out.end(), best.begin(), best.end());
        }
    }
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) out += line + "\n";
    return out;
}

struct ShapeCase {
    std::string fixture;
    std::vector<std::string> args;
    std::set<std::string> optional;
    friend void PrintTo(const ShapeCase& c, std::ostream* os) {
        *os << c.fixture << " " << c.args[0];
    }
};

class EventShapes : public ::testing::TestWithParam<ShapeCase> {};

TEST_P(EventShapes, MatchTheFixture) {
    const ShapeCase& c = GetParam();
    json got = generate(c.args);
    json want = fixture(c.fixture);
    ASSERT_TRUE(got.is_object());
    std::set<std::string> got_top;
    std::set<std::string> want_top;
    for (const auto& [key, value] : got.items()) got_top.insert(key);
    for (const auto& [key, value] : want.items()) {
        if (c.optional.count(key) == 0) want_top.insert(key);
    }
    EXPECT_EQ(got_top, want_top);
    std::vector<std::string> diffs;
    shape_diffs(got, want, "", c.optional, diffs);
    EXPECT_TRUE(diffs.empty()) << joined(diffs) << got.dump(2);
}

// The authorizer blocks in the fixtures come from an authorizer the API has; a generated request
// has none, as an API without an authorizer delivers.
INSTANTIATE_TEST_SUITE_P(
    Fixtures, EventShapes,
    ::testing::Values(
        ShapeCase{"apigw.json",
                  {"apigw", "--path", "/orders/ord-1", "--resource", "/orders/{orderId}", "--query",
                   "fields=items&fields=totals&currency=USD"},
                  {"requestContext.authorizer"}},
        ShapeCase{"apigw-v2.json",
                  {"apigw-v2", "--method", "POST", "--path", "/carts/c-1/items", "--route",
                   "POST /carts/{cartId}/items", "--query", "source=web&tag=promo", "--header",
                   "Cookie: theme=dark; consent=yes", "--body", R"({"sku":"X"})"},
                  {"requestContext.authorizer"}},
        ShapeCase{"function-url.json",
                  {"function-url", "--method", "POST", "--path", "/jobs", "--query", "dryRun=false",
                   "--body", "{}"},
                  {"requestContext.authorizer"}},
        ShapeCase{"alb.json", {"alb", "--path", "/health", "--query", "verbose=true"}, {}},
        ShapeCase{"sqs.json", {"sqs", "--count", "3"}, {}},
        ShapeCase{"s3-put.json", {"s3", "put", "--key", "a b.jpg"}, {}},
        ShapeCase{"s3-delete.json", {"s3", "delete"}, {}},
        ShapeCase{"sns.json", {"sns", "--subject", "Order shipped"}, {}},
        ShapeCase{"eventbridge.json", {"eventbridge", "--resource", "arn:aws:ec2:x"}, {}},
        ShapeCase{"scheduled.json", {"scheduled"}, {}},
        ShapeCase{"dynamodb.json", {"dynamodb", "insert"}, {}},
        ShapeCase{"dynamodb.json", {"dynamodb", "modify"}, {}},
        ShapeCase{"dynamodb.json", {"dynamodb", "remove"}, {}},
        ShapeCase{"kinesis.json", {"kinesis", "--count", "2"}, {}},
        ShapeCase{"cloudwatch-logs.json", {"cloudwatch-logs"}, {}}));

TEST(EventShapes, TheCheckSeesMissingExtraAndRetypedKeys) {
    json want = fixture("sqs.json");
    json got = want;
    got["Records"][0]["extra"] = 1;
    got["Records"][1].erase("md5OfBody");
    got["Records"][2]["attributes"] = "text";
    got["Records"][2]["messageAttributes"] = json::object({{"any", "name"}});  // data: allowed
    std::vector<std::string> diffs;
    shape_diffs(got, want, "", {}, diffs);
    EXPECT_EQ(diffs, (std::vector<std::string>{"Records[].extra: not in the fixture",
                                               "Records[].md5OfBody: missing",
                                               "Records[].attributes: string instead of object"}));
}

json awslogs_data(const json& event) {
    auto packed = util::base64_decode(event["awslogs"]["data"].get<std::string>());
    EXPECT_TRUE(packed.has_value());
    if (!packed) return nullptr;
    auto text = gzip_decompress(*packed);
    EXPECT_TRUE(text.ok());
    return text ? json::parse(*text) : json(nullptr);
}

TEST(EventShapes, CloudWatchLogsDataMatchesTheFixturesOnceDecoded) {
    json got = awslogs_data(generate({"cloudwatch-logs", "--message", "a", "--message", "b"}));
    json want = awslogs_data(fixture("cloudwatch-logs.json"));
    std::vector<std::string> diffs;
    shape_diffs(got, want, "", {}, diffs);
    EXPECT_TRUE(diffs.empty()) << joined(diffs) << got.dump(2);
}

}  // namespace

}  // namespace lambda_emu::events
