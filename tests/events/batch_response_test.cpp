#include "events/batch_response.h"

#include <gtest/gtest.h>

namespace lambda_emu::events {

namespace {

const std::string k_sqs = R"({"Records":[
  {"messageId":"m1","body":"a","eventSource":"aws:sqs"},
  {"messageId":"m2","body":"b","eventSource":"aws:sqs"},
  {"messageId":"m3","body":"c","eventSource":"aws:sqs"}]})";

const std::string k_kinesis = R"({"Records":[
  {"kinesis":{"sequenceNumber":"100"},"eventSource":"aws:kinesis"},
  {"kinesis":{"sequenceNumber":"200"},"eventSource":"aws:kinesis"},
  {"kinesis":{"sequenceNumber":"300"},"eventSource":"aws:kinesis"}]})";

const std::string k_dynamodb = R"({"Records":[
  {"dynamodb":{"SequenceNumber":"11"},"eventSource":"aws:dynamodb"},
  {"dynamodb":{"SequenceNumber":"22"},"eventSource":"aws:dynamodb"}]})";

BatchVerdict verdict(const std::string& event, const std::string& response, bool failed = false) {
    auto v = interpret_batch(event, response, failed);
    EXPECT_TRUE(v.has_value());
    return v.value_or(BatchVerdict{});
}

}  // namespace

TEST(BatchResponse, OnlyTheFailedSqsMessagesAreRetried) {
    auto v = verdict(k_sqs, R"({"batchItemFailures":[{"itemIdentifier":"m2"}]})");
    EXPECT_FALSE(v.whole_batch_retried);
    EXPECT_EQ(v.retried, std::vector<std::string>{"m2"});
    EXPECT_EQ(v.describe(), "BATCH aws:sqs: 3 records, 1 would be retried: m2");
}

TEST(BatchResponse, StreamsRetryFromTheEarliestFailedRecord) {
    auto v = verdict(k_kinesis, R"({"batchItemFailures":[{"itemIdentifier":"200"}]})");
    EXPECT_EQ(v.retried, (std::vector<std::string>{"200", "300"}));
    auto d = verdict(k_dynamodb, R"({"batchItemFailures":[{"itemIdentifier":"22"}]})");
    EXPECT_EQ(d.retried, std::vector<std::string>{"22"});
}

TEST(BatchResponse, SuccessShapes) {
    for (const char* response : {"", "null", "{}", R"({"batchItemFailures":[]})",
                                 R"({"batchItemFailures":null})", R"({"other":1})"}) {
        auto v = verdict(k_sqs, response);
        EXPECT_FALSE(v.whole_batch_retried) << response;
        EXPECT_TRUE(v.retried.empty()) << response;
        EXPECT_EQ(v.describe(), "BATCH aws:sqs: 3 records, all succeeded") << response;
    }
}

TEST(BatchResponse, UnusableResponsesRetryTheWholeBatch) {
    struct Case {
        std::string response, reason;
    };
    for (const Case& c : std::vector<Case>{
             {"not json", "the response is not JSON"},
             {"[1]", "the response is not an object with batchItemFailures"},
             {R"({"batchItemFailures":"m1"})", "batchItemFailures is not a list"},
             {R"({"batchItemFailures":[{"id":"m1"}]})",
              "a batchItemFailures entry has no itemIdentifier"},
             {R"({"batchItemFailures":[{"itemIdentifier":""}]})",
              "an itemIdentifier is null, empty or not a string"},
             {R"({"batchItemFailures":[{"itemIdentifier":null}]})",
              "an itemIdentifier is null, empty or not a string"},
             {R"({"batchItemFailures":[{"itemIdentifier":"m9"}]})",
              "itemIdentifier 'm9' is not in the batch"},
         }) {
        auto v = verdict(k_sqs, c.response);
        EXPECT_TRUE(v.whole_batch_retried) << c.response;
        EXPECT_EQ(v.describe(),
                  "BATCH aws:sqs: 3 records, the whole batch would be retried: " + c.reason);
    }
    EXPECT_EQ(verdict(k_sqs, "{}", true).reason, "the function failed");
}

TEST(BatchResponse, OtherEventsAreNotBatches) {
    EXPECT_FALSE(interpret_batch(R"({"Records":[{"eventSource":"aws:s3"}]})", "{}", false));
    EXPECT_FALSE(interpret_batch(R"({"httpMethod":"GET"})", "{}", false));
    EXPECT_FALSE(interpret_batch("not json", "{}", false));
    EXPECT_FALSE(interpret_batch(R"({"Records":[]})", "{}", false));
}

}  // namespace lambda_emu::events
