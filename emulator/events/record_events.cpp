// S3, SQS, SNS and Kinesis events: a Records[] array of deliveries.
#include <cctype>

#include "events/builders.h"
#include "events/md5.h"
#include "events/url_encoding.h"
#include "util/base64.h"
#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

// The largest batch an SQS or Kinesis event source mapping delivers.
constexpr std::int64_t k_max_batch = 10000;

util::Status check_name(const std::string& field, const std::string& value, bool valid,
                        std::string_view rule) {
    if (valid) return util::Ok{};
    return util::make_error("--" + field + " " + value + ": " + std::string(rule));
}

bool valid_bucket(std::string_view name) {
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    return is_name(name, 3, 63, ".-", true) && alnum(name.front()) && alnum(name.back());
}

// Queue and topic names; a FIFO one ends in ".fifo" and has 5 fewer characters for the rest.
bool valid_queue_or_topic(std::string_view name, std::size_t max, std::size_t fifo_max) {
    constexpr std::string_view k_fifo = ".fifo";
    if (name.size() > k_fifo.size() && name.substr(name.size() - k_fifo.size()) == k_fifo) {
        return is_name(name.substr(0, name.size() - k_fifo.size()), 1, fifo_max, "_-");
    }
    return is_name(name, 1, max, "_-");
}

std::string iam_principal() { return "AIDA" + random_upper_alnum(17); }

}  // namespace

util::Result<Json> build_s3(const BuildContext& context) {
    std::string bucket = context.get("bucket", "example-bucket");
    if (auto ok = check_name("bucket", bucket, valid_bucket(bucket),
                             "a bucket name is 3-63 lower-case letters, digits, '.' and '-'");
        !ok) {
        return ok.error();
    }
    std::string key = context.get("key", "test/key.txt");
    if (key.empty() || key.size() > 1024) {
        return util::make_error("--key: an object key is 1 to 1024 bytes");
    }
    bool put = context.type() == "put";
    auto size = context.integer("size", 1024, 0, 5'000'000'000'000);
    if (!size) return size.error();

    Json object = {{"key", s3_key_encode(key)}};
    if (put) {
        object["size"] = *size;
        object["eTag"] = context.get("etag", util::random_hex(32));
    }
    // The sequencer's leading hex is the event time, so later events sort after earlier ones.
    std::string sequencer = "00" + hex_epoch_seconds(context.now()) + random_upper_hex(8);
    for (char& c : sequencer) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    object["sequencer"] = sequencer;

    Json record = {{"eventVersion", "2.1"},
                   {"eventSource", "aws:s3"},
                   {"awsRegion", context.region()},
                   {"eventTime", util::iso8601_ms(context.now())},
                   {"eventName", put ? "ObjectCreated:Put" : "ObjectRemoved:Delete"},
                   {"userIdentity", {{"principalId", "AWS:" + iam_principal()}}},
                   {"requestParameters", {{"sourceIPAddress", "198.51.100.23"}}},
                   {"responseElements",
                    {{"x-amz-request-id", random_upper_hex(16)},
                     {"x-amz-id-2", util::base64_encode(random_bytes(57))}}},
                   {"s3",
                    {{"s3SchemaVersion", "1.0"},
                     {"configurationId", "lambda-emu-notification"},
                     {"bucket",
                      {{"name", bucket},
                       {"ownerIdentity", {{"principalId", "A" + random_upper_alnum(13)}}},
                       {"arn", "arn:aws:s3:::" + bucket}}},
                     {"object", object}}}};
    return Json{{"Records", Json::array({record})}};
}

util::Result<Json> build_sqs(const BuildContext& context) {
    std::string queue = context.get("queue", "example-queue");
    if (auto ok = check_name("queue", queue, valid_queue_or_topic(queue, 80, 75),
                             "a queue name is 1-80 letters, digits, '-' and '_' (and '.fifo')");
        !ok) {
        return ok.error();
    }
    auto count = context.integer("count", 1, 1, k_max_batch);
    if (!count) return count.error();
    std::string body = context.get("body", R"({"message":"Hello from SQS!"})");
    std::string sender = iam_principal();
    std::int64_t now_ms = util::epoch_ms(context.now());

    Json records = Json::array();
    for (std::int64_t i = 0; i < *count; ++i) {
        std::int64_t sent = now_ms - 20 + i;
        Json attributes = {{"ApproximateReceiveCount", "1"},
                           {"SentTimestamp", std::to_string(sent)},
                           {"SenderId", sender},
                           {"ApproximateFirstReceiveTimestamp", std::to_string(sent + 7)}};
        records.push_back({{"messageId", util::new_uuid()},
                           {"receiptHandle", "AQEB" + util::base64_encode(random_bytes(252))},
                           {"body", body},
                           {"attributes", attributes},
                           {"messageAttributes", Json::object()},
                           {"md5OfBody", md5_hex(body)},
                           {"eventSource", "aws:sqs"},
                           {"eventSourceARN", context.arn("sqs", queue)},
                           {"awsRegion", context.region()}});
    }
    return Json{{"Records", records}};
}

util::Result<Json> build_sns(const BuildContext& context) {
    std::string topic = context.get("topic", "example-topic");
    if (auto ok = check_name("topic", topic, valid_queue_or_topic(topic, 256, 251),
                             "a topic name is 1-256 letters, digits, '-' and '_'");
        !ok) {
        return ok.error();
    }
    std::string topic_arn = context.arn("sns", topic);
    std::string subscription_arn = topic_arn + ":" + util::new_uuid();
    std::string endpoint = "https://sns." + context.region() + ".amazonaws.com/";
    Json sns = {
        {"Type", "Notification"},
        {"MessageId", util::new_uuid()},
        {"TopicArn", topic_arn},
        {"Subject", context.has("subject") ? Json(context.get("subject", "")) : Json(nullptr)},
        {"Message", context.get("message", "Hello from SNS!")},
        {"Timestamp", util::iso8601_ms(context.now())},
        {"SignatureVersion", "1"},
        {"Signature", util::base64_encode(random_bytes(256))},
        {"SigningCertUrl", endpoint + "SimpleNotificationService-" + util::random_hex(32) + ".pem"},
        {"UnsubscribeUrl", endpoint + "?Action=Unsubscribe&SubscriptionArn=" + subscription_arn},
        {"MessageAttributes", Json::object()}};
    Json record = {{"EventSource", "aws:sns"},
                   {"EventVersion", "1.0"},
                   {"EventSubscriptionArn", subscription_arn},
                   {"Sns", sns}};
    return Json{{"Records", Json::array({record})}};
}

util::Result<Json> build_kinesis(const BuildContext& context) {
    std::string stream = context.get("stream", "example-stream");
    if (auto ok = check_name("stream", stream, is_name(stream, 1, 128, "_.-"),
                             "a stream name is 1-128 letters, digits, '.', '-' and '_'");
        !ok) {
        return ok.error();
    }
    auto count = context.integer("count", 1, 1, k_max_batch);
    if (!count) return count.error();
    std::string data = context.get("data", "Hello from Kinesis!");
    std::string partition_key = context.get("partition-key", "partition-key-1");
    if (partition_key.empty() || partition_key.size() > 256) {
        return util::make_error("--partition-key: a partition key is 1 to 256 characters");
    }
    std::string role = "arn:aws:iam::" + context.account() + ":role/lambda-kinesis-role";
    std::string shard = "shardId-000000000000";
    std::string sequence = "496" + random_digits(53);
    std::int64_t now_ms = util::epoch_ms(context.now());

    Json records = Json::array();
    for (std::int64_t i = 0; i < *count; ++i) {
        if (i > 0)
            sequence = decimal_add(sequence, 1'000'000'000'000 + std::stoull(random_digits(12)));
        Json kinesis = {
            {"kinesisSchemaVersion", "1.0"},
            {"partitionKey", partition_key},
            {"sequenceNumber", sequence},
            {"data", util::base64_encode(data)},
            {"approximateArrivalTimestamp", static_cast<double>(now_ms - *count + i) / 1000.0}};
        records.push_back({{"kinesis", kinesis},
                           {"eventSource", "aws:kinesis"},
                           {"eventVersion", "1.0"},
                           {"eventID", shard + ":" + sequence},
                           {"eventName", "aws:kinesis:record"},
                           {"invokeIdentityArn", role},
                           {"awsRegion", context.region()},
                           {"eventSourceARN", context.arn("kinesis", "stream/" + stream)}});
    }
    return Json{{"Records", records}};
}

}  // namespace lambda_emu::events
