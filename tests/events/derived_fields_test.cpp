// The fields a generator derives from what it is given, each checked by recomputing it here:
// digests, encodings, compressed payloads, time pairs, ARNs and fresh ids.
#include <gtest/gtest.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

#include "events/generator.h"
#include "events/gzip.h"
#include "events/md5.h"
#include "events/url_encoding.h"
#include "util/base64.h"

namespace lambda_emu::events {

namespace {

using nlohmann::json;

// 2024-06-11T14:23:05.318Z, the time of fixtures/apigw.json.
constexpr std::int64_t k_epoch_ms = 1718115785318;

util::SystemTime epoch_time() { return util::SystemTime{std::chrono::milliseconds(k_epoch_ms)}; }

json generate_with_clock(const std::vector<std::string>& args,
                         const util::Clock& clock = util::system_clock()) {
    auto request = parse_event_args(args);
    EXPECT_TRUE(request.ok()) << request.error().message;
    if (!request) return nullptr;
    auto text = generate_event(*request, clock);
    EXPECT_TRUE(text.ok()) << text.error().message;
    if (!text) return nullptr;
    return json::parse(*text);
}

json at_fixed_time(const std::vector<std::string>& args) {
    util::ManualClock clock(epoch_time());
    return generate_with_clock(args, clock);
}

std::string base64_text(const json& value) {
    auto bytes = util::base64_decode(value.get<std::string>());
    EXPECT_TRUE(bytes.has_value()) << value;
    return bytes.value_or("");
}

// Digit strings compared as numbers.
bool less_number(const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

}  // namespace

TEST(DerivedFields, SqsMd5OfBodyIsTheBodysMd5) {
    json event = generate_with_clock({"sqs", "--body", R"({"id":1})", "--count", "10"});
    ASSERT_EQ(event["Records"].size(), 10u);
    std::set<std::string> ids;
    for (const json& r : event["Records"]) {
        EXPECT_EQ(r["body"], R"({"id":1})");
        EXPECT_EQ(r["md5OfBody"], "d2ce28b9a7fd7e4407e2b0fd499b7fe4");  // Python's hashlib
        EXPECT_EQ(r["md5OfBody"], md5_hex(r["body"].get<std::string>()));
        ids.insert(r["messageId"].get<std::string>());
        std::int64_t sent = std::stoll(r["attributes"]["SentTimestamp"].get<std::string>());
        std::int64_t received =
            std::stoll(r["attributes"]["ApproximateFirstReceiveTimestamp"].get<std::string>());
        EXPECT_LE(sent, received);
        EXPECT_EQ(r["eventSourceARN"], "arn:aws:sqs:us-east-1:123456789012:example-queue");
        EXPECT_EQ(r["receiptHandle"].get<std::string>().rfind("AQEB", 0), 0u);
    }
    EXPECT_EQ(ids.size(), 10u);
    json other = generate_with_clock({"sqs", "--body", "plain text"});
    EXPECT_EQ(other["Records"][0]["md5OfBody"], md5_hex("plain text"));
}

TEST(DerivedFields, S3KeyIsUrlEncodedAsS3DoesAndDecodesToTheGivenKey) {
    for (std::string key : {"a b.jpg", "photos/2024/Happy Face (1).jpg",
                            "d\xc3\xa9j\xc3\xa0 vu/100% + more&more=yes?.txt"}) {
        json event = generate_with_clock({"s3", "put", "--bucket", "photos", "--key", key});
        std::string encoded = event["Records"][0]["s3"]["object"]["key"];
        EXPECT_EQ(encoded.find(' '), std::string::npos) << encoded;
        EXPECT_EQ(url_decode(encoded, true), key) << encoded;
    }
    json event = generate_with_clock({"s3", "put", "--bucket", "photos", "--key", "a b.jpg"});
    EXPECT_EQ(event["Records"][0]["s3"]["object"]["key"], "a+b.jpg");
    EXPECT_EQ(event["Records"][0]["s3"]["bucket"]["arn"], "arn:aws:s3:::photos");
    EXPECT_EQ(event["Records"][0]["s3"]["bucket"]["name"], "photos");
}

TEST(DerivedFields, S3TimeAndSequencerAgree) {
    json put = at_fixed_time({"s3", "put", "--size", "248731", "--etag", "abc"});
    const json& r = put["Records"][0];
    EXPECT_EQ(r["eventTime"], "2024-06-11T14:23:05.318Z");
    EXPECT_EQ(r["eventName"], "ObjectCreated:Put");
    EXPECT_EQ(r["s3"]["object"]["size"], 248731);
    EXPECT_EQ(r["s3"]["object"]["eTag"], "abc");
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08llX", static_cast<unsigned long long>(k_epoch_ms / 1000));
    std::string sequencer = r["s3"]["object"]["sequencer"];
    EXPECT_EQ(sequencer.size(), 18u);
    EXPECT_EQ(sequencer.substr(0, 10), "00" + std::string(hex));

    json del = at_fixed_time({"s3", "delete"});
    const json& object = del["Records"][0]["s3"]["object"];
    EXPECT_EQ(del["Records"][0]["eventName"], "ObjectRemoved:Delete");
    EXPECT_FALSE(object.contains("size"));
    EXPECT_FALSE(object.contains("eTag"));
}

TEST(DerivedFields, CloudWatchLogsDataIsBase64OfGzippedJson) {
    util::ManualClock clock(epoch_time());
    json event = generate_with_clock(
        {"cloudwatch-logs", "--message", "first line", "--message", "second\tline", "--log-group",
         "/aws/lambda/orders", "--filter", "errs", "--account", "111122223333"},
        clock);
    std::string packed = base64_text(event["awslogs"]["data"]);
    ASSERT_GE(packed.size(), 2u);
    EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
    EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
    auto text = gzip_decompress(packed);
    ASSERT_TRUE(text.ok()) << text.error().message;
    json data = json::parse(*text);
    EXPECT_EQ(data["messageType"], "DATA_MESSAGE");
    EXPECT_EQ(data["owner"], "111122223333");
    EXPECT_EQ(data["logGroup"], "/aws/lambda/orders");
    EXPECT_EQ(data["logStream"].get<std::string>().rfind("2024/06/11/[$LATEST]", 0), 0u);
    EXPECT_EQ(data["subscriptionFilters"], json::array({"errs"}));
    ASSERT_EQ(data["logEvents"].size(), 2u);
    EXPECT_EQ(data["logEvents"][0]["message"], "first line");
    EXPECT_EQ(data["logEvents"][1]["message"], "second\tline");
    EXPECT_EQ(data["logEvents"][0]["timestamp"], k_epoch_ms);
    std::string id0 = data["logEvents"][0]["id"];
    std::string id1 = data["logEvents"][1]["id"];
    EXPECT_EQ(id0.size(), 56u);
    EXPECT_TRUE(less_number(id0, id1));
}

TEST(DerivedFields, KinesisDataIsBase64OfTheGivenData) {
    std::string data = "h\xc3\xa9llo, {\"n\":1}";
    json event = at_fixed_time({"kinesis", "--data", data, "--count", "3", "--stream", "clicks",
                                "--partition-key", "s-1"});
    ASSERT_EQ(event["Records"].size(), 3u);
    std::string previous;
    for (const json& r : event["Records"]) {
        EXPECT_EQ(base64_text(r["kinesis"]["data"]), data);
        std::string sequence = r["kinesis"]["sequenceNumber"];
        EXPECT_EQ(r["eventID"], "shardId-000000000000:" + sequence);
        if (!previous.empty()) {
            EXPECT_TRUE(less_number(previous, sequence));
        }
        previous = sequence;
        double arrival = r["kinesis"]["approximateArrivalTimestamp"];
        EXPECT_NEAR(arrival, static_cast<double>(k_epoch_ms) / 1000.0, 0.01);
        EXPECT_EQ(r["kinesis"]["partitionKey"], "s-1");
        EXPECT_EQ(r["eventSourceARN"], "arn:aws:kinesis:us-east-1:123456789012:stream/clicks");
    }
}

TEST(DerivedFields, ApiGatewayRestTimesQueryAndPathParametersAgree) {
    json e = at_fixed_time({"apigw", "--method", "post", "--path", "/orders/ord-7", "--resource",
                            "/orders/{orderId}", "--query", "fields=items&fields=totals&q=a%20b",
                            "--body", R"({"n":1})", "--header", "X-Source: ios", "--header",
                            "X-Source: web", "--stage", "dev"});
    EXPECT_EQ(e["httpMethod"], "POST");
    EXPECT_EQ(e["requestContext"]["requestTime"], "11/Jun/2024:14:23:05 +0000");
    EXPECT_EQ(e["requestContext"]["requestTimeEpoch"], k_epoch_ms);
    EXPECT_EQ(e["requestContext"]["path"], "/dev/orders/ord-7");
    EXPECT_EQ(e["requestContext"]["resourcePath"], "/orders/{orderId}");
    EXPECT_EQ(e["pathParameters"], (json{{"orderId", "ord-7"}}));
    EXPECT_EQ(e["queryStringParameters"], (json{{"fields", "totals"}, {"q", "a b"}}));
    EXPECT_EQ(e["multiValueQueryStringParameters"]["fields"], (json{"items", "totals"}));
    EXPECT_EQ(e["headers"]["X-Source"], "web");
    EXPECT_EQ(e["multiValueHeaders"]["X-Source"], (json{"ios", "web"}));
    EXPECT_EQ(e["headers"]["Content-Type"], "application/json");
    EXPECT_EQ(e["headers"]["Content-Length"], "7");
    // The trace id's root carries the request time (as in fixtures/apigw.json at this time).
    EXPECT_EQ(e["headers"]["X-Amzn-Trace-Id"].get<std::string>().rfind("Root=1-66685dc9-", 0), 0u);
    std::string api = e["requestContext"]["apiId"];
    EXPECT_EQ(e["requestContext"]["domainName"], api + ".execute-api.us-east-1.amazonaws.com");
    EXPECT_EQ(e["headers"]["Host"], e["requestContext"]["domainName"]);
    EXPECT_EQ(e["requestContext"]["identity"]["sourceIp"], e["headers"]["X-Forwarded-For"]);
    EXPECT_EQ(e["body"], R"({"n":1})");

    json root = generate_with_clock({"apigw"});
    EXPECT_EQ(root["resource"], "/");
    EXPECT_TRUE(root["pathParameters"].is_null());
    EXPECT_TRUE(root["queryStringParameters"].is_null());
    EXPECT_TRUE(root["body"].is_null());
    json proxy = generate_with_clock({"apigw", "--path", "/a/b/c"});
    EXPECT_EQ(proxy["pathParameters"], (json{{"proxy", "a/b/c"}}));
}

TEST(DerivedFields, HttpApiTimesRouteQueryAndCookiesAgree) {
    json e = at_fixed_time({"apigw-v2", "--method", "POST", "--path", "/carts/c-1/items", "--route",
                            "/carts/{cartId}/items", "--query", "tag=promo&tag=summer%20sale",
                            "--header", "Cookie: a=1; b=2", "--header", "X-Custom: yes", "--body",
                            "hello"});
    EXPECT_EQ(e["version"], "2.0");
    EXPECT_EQ(e["routeKey"], "POST /carts/{cartId}/items");
    EXPECT_EQ(e["requestContext"]["routeKey"], e["routeKey"]);
    EXPECT_EQ(e["pathParameters"], (json{{"cartId", "c-1"}}));
    EXPECT_EQ(e["rawPath"], "/carts/c-1/items");
    EXPECT_EQ(e["rawQueryString"], "tag=promo&tag=summer%20sale");
    EXPECT_EQ(e["queryStringParameters"], (json{{"tag", "promo,summer sale"}}));
    EXPECT_EQ(e["cookies"], (json{"a=1", "b=2"}));
    EXPECT_FALSE(e["headers"].contains("cookie"));
    EXPECT_EQ(e["headers"]["x-custom"], "yes");
    EXPECT_EQ(e["headers"]["content-length"], "5");
    EXPECT_EQ(e["headers"]["content-type"], "text/plain");
    EXPECT_EQ(e["requestContext"]["time"], "11/Jun/2024:14:23:05 +0000");
    EXPECT_EQ(e["requestContext"]["timeEpoch"], k_epoch_ms);
    EXPECT_EQ(e["requestContext"]["http"]["method"], "POST");
    EXPECT_EQ(e["requestContext"]["http"]["sourceIp"], e["headers"]["x-forwarded-for"]);
    EXPECT_EQ(e["requestContext"]["stage"], "$default");
    EXPECT_EQ(e["body"], "hello");

    json plain = generate_with_clock({"apigw-v2"});
    EXPECT_EQ(plain["routeKey"], "$default");
    EXPECT_FALSE(plain.contains("pathParameters"));
    EXPECT_FALSE(plain.contains("body"));
    EXPECT_FALSE(plain.contains("cookies"));
}

TEST(DerivedFields, FunctionUrlDomainCarriesItsIdAndRegion) {
    json e = generate_with_clock(
        {"function-url", "--path", "/jobs?dryRun=false", "--region", "eu-west-1"});
    std::string id = e["requestContext"]["apiId"];
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(e["requestContext"]["domainName"], id + ".lambda-url.eu-west-1.on.aws");
    EXPECT_EQ(e["requestContext"]["domainPrefix"], id);
    EXPECT_EQ(e["headers"]["host"], e["requestContext"]["domainName"]);
    EXPECT_EQ(e["rawPath"], "/jobs");
    EXPECT_EQ(e["rawQueryString"], "dryRun=false");
    EXPECT_EQ(e["routeKey"], "$default");
    EXPECT_TRUE(e["pathParameters"].is_null());
    EXPECT_TRUE(e["stageVariables"].is_null());
}

TEST(DerivedFields, AlbLeavesQueryValuesEncoded) {
    json e = generate_with_clock({"alb", "--path", "/health", "--query",
                                  "verbose=true&checks=db%2Ccache", "--target-group", "status-tg",
                                  "--account", "111122223333"});
    EXPECT_EQ(e["queryStringParameters"], (json{{"verbose", "true"}, {"checks", "db%2Ccache"}}));
    std::string arn = e["requestContext"]["elb"]["targetGroupArn"];
    std::string prefix =
        "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/status-tg/";
    EXPECT_EQ(arn.rfind(prefix, 0), 0u) << arn;
    EXPECT_EQ(arn.size(), prefix.size() + 16);
    EXPECT_EQ(e["body"], "");
    EXPECT_EQ(e["headers"]["x-forwarded-proto"], "http");
}

TEST(DerivedFields, SnsFieldsAgree) {
    json e = at_fixed_time({"sns", "--message", R"({"a":1})", "--subject", "Hi", "--topic", "t1"});
    const json& sns = e["Records"][0]["Sns"];
    EXPECT_EQ(sns["Message"], R"({"a":1})");
    EXPECT_EQ(sns["Subject"], "Hi");
    EXPECT_EQ(sns["TopicArn"], "arn:aws:sns:us-east-1:123456789012:t1");
    EXPECT_EQ(sns["Timestamp"], "2024-06-11T14:23:05.318Z");
    EXPECT_EQ(base64_text(sns["Signature"]).size(), 256u);
    std::string subscription = e["Records"][0]["EventSubscriptionArn"];
    EXPECT_EQ(subscription.rfind("arn:aws:sns:us-east-1:123456789012:t1:", 0), 0u);
    EXPECT_NE(sns["UnsubscribeUrl"].get<std::string>().find(subscription), std::string::npos);
    EXPECT_TRUE(generate_with_clock({"sns"})["Records"][0]["Sns"]["Subject"].is_null());
}

TEST(DerivedFields, EventBridgeAndScheduledTimesAndArns) {
    json e =
        at_fixed_time({"eventbridge", "--source", "com.shop", "--detail-type", "Order", "--detail",
                       R"({"id":7})", "--resource", "arn:a", "--resource", "arn:b"});
    EXPECT_EQ(e["time"], "2024-06-11T14:23:05Z");
    EXPECT_EQ(e["source"], "com.shop");
    EXPECT_EQ(e["detail-type"], "Order");
    EXPECT_EQ(e["detail"], (json{{"id", 7}}));
    EXPECT_EQ(e["resources"], (json{"arn:a", "arn:b"}));
    EXPECT_EQ(e["account"], "123456789012");
    EXPECT_EQ(e["region"], "us-east-1");

    json s = at_fixed_time({"scheduled", "--rule", "nightly", "--region", "ap-southeast-2"});
    EXPECT_EQ(s["time"], "2024-06-11T14:23:00Z");  // on the minute, as schedules fire
    EXPECT_EQ(s["detail-type"], "Scheduled Event");
    EXPECT_EQ(s["source"], "aws.events");
    EXPECT_EQ(s["resources"], (json{"arn:aws:events:ap-southeast-2:123456789012:rule/nightly"}));
    EXPECT_EQ(s["detail"], json::object());
}

TEST(DerivedFields, DynamoDbImagesFollowTheTypeAndView) {
    json insert =
        at_fixed_time({"dynamodb", "insert", "--table", "Carts", "--keys", R"({"cartId":"c-1"})",
                       "--new-image", R"({"n":2,"ok":true,"none":null,"l":["x"],"m":{"k":"v"}})"});
    const json& d = insert["Records"][0]["dynamodb"];
    EXPECT_EQ(insert["Records"][0]["eventName"], "INSERT");
    EXPECT_EQ(d["ApproximateCreationDateTime"], k_epoch_ms / 1000);
    EXPECT_EQ(d["Keys"], (json{{"cartId", {{"S", "c-1"}}}}));
    EXPECT_EQ(d["NewImage"]["cartId"], (json{{"S", "c-1"}}));
    EXPECT_EQ(d["NewImage"]["n"], (json{{"N", "2"}}));
    EXPECT_EQ(d["NewImage"]["ok"], (json{{"BOOL", true}}));
    EXPECT_EQ(d["NewImage"]["none"], (json{{"NULL", true}}));
    EXPECT_EQ(d["NewImage"]["l"], (json{{"L", json::array({{{"S", "x"}}})}}));
    EXPECT_EQ(d["NewImage"]["m"], (json{{"M", {{"k", {{"S", "v"}}}}}}));
    EXPECT_FALSE(d.contains("OldImage"));
    EXPECT_GT(d["SizeBytes"].get<int>(), 0);
    EXPECT_EQ(insert["Records"][0]["eventSourceARN"].get<std::string>().rfind(
                  "arn:aws:dynamodb:us-east-1:123456789012:table/Carts/stream/", 0),
              0u);

    json modify =
        generate_with_clock({"dynamodb", "modify", "--keys", R"({"pk":{"S":"a"},"sk":{"N":"1"}})"});
    const json& m = modify["Records"][0]["dynamodb"];
    EXPECT_EQ(modify["Records"][0]["eventName"], "MODIFY");
    EXPECT_EQ(m["Keys"], (json{{"pk", {{"S", "a"}}}, {"sk", {{"N", "1"}}}}));
    EXPECT_TRUE(m.contains("NewImage"));
    EXPECT_TRUE(m.contains("OldImage"));
    EXPECT_EQ(m["OldImage"]["sk"], (json{{"N", "1"}}));

    json remove = generate_with_clock({"dynamodb", "remove"});
    EXPECT_EQ(remove["Records"][0]["eventName"], "REMOVE");
    EXPECT_FALSE(remove["Records"][0]["dynamodb"].contains("NewImage"));
    EXPECT_TRUE(remove["Records"][0]["dynamodb"].contains("OldImage"));

    json keys_only = generate_with_clock({"dynamodb", "modify", "--stream-view-type", "KEYS_ONLY"});
    EXPECT_FALSE(keys_only["Records"][0]["dynamodb"].contains("NewImage"));
    EXPECT_FALSE(keys_only["Records"][0]["dynamodb"].contains("OldImage"));
    EXPECT_EQ(keys_only["Records"][0]["dynamodb"]["StreamViewType"], "KEYS_ONLY");

    // A bigger item is a bigger record.
    json small = generate_with_clock({"dynamodb", "--new-image", R"({"a":"x"})"});
    json big = generate_with_clock(
        {"dynamodb", "--new-image", R"({"a":")" + std::string(500, 'x') + "\"}"});
    EXPECT_GT(big["Records"][0]["dynamodb"]["SizeBytes"].get<int>(),
              small["Records"][0]["dynamodb"]["SizeBytes"].get<int>() + 490);
}

TEST(DerivedFields, RegionAndAccountReplaceTheDefaultsEverywhere) {
    for (const EventKind& kind : event_kinds()) {
        FieldValues fields = {{"region", {"eu-west-3"}}, {"account", {"111122223333"}}};
        auto text = generate_event(EventRequest{&kind, fields}, util::system_clock());
        ASSERT_TRUE(text.ok()) << kind.label() << ": " << text.error().message;
        EXPECT_EQ(text->find("us-east-1"), std::string::npos) << kind.label() << "\n" << *text;
        EXPECT_EQ(text->find("123456789012"), std::string::npos) << kind.label() << "\n" << *text;
    }
}

TEST(DerivedFields, EveryRunHasFreshIds) {
    auto ids = [](const std::vector<std::string>& args, const std::vector<std::string>& path) {
        json value = generate_with_clock(args);
        for (const std::string& step : path) {
            value = step == "0" ? json(value[0]) : json(value[step]);
        }
        return value.get<std::string>();
    };
    struct Case {
        std::vector<std::string> args;
        std::vector<std::string> path;
    };
    std::vector<Case> cases = {
        {{"sqs"}, {"Records", "0", "messageId"}},
        {{"sns"}, {"Records", "0", "Sns", "MessageId"}},
        {{"s3"}, {"Records", "0", "responseElements", "x-amz-request-id"}},
        {{"apigw"}, {"requestContext", "requestId"}},
        {{"apigw-v2"}, {"requestContext", "requestId"}},
        {{"function-url"}, {"requestContext", "requestId"}},
        {{"alb"}, {"headers", "x-amzn-trace-id"}},
        {{"eventbridge"}, {"id"}},
        {{"scheduled"}, {"id"}},
        {{"dynamodb"}, {"Records", "0", "eventID"}},
        {{"kinesis"}, {"Records", "0", "eventID"}},
        {{"cloudwatch-logs"}, {"awslogs", "data"}},
    };
    for (const Case& c : cases) {
        EXPECT_NE(ids(c.args, c.path), ids(c.args, c.path)) << c.args[0];
    }
}

}  // namespace lambda_emu::events
