// The generator's catalogue and argument handling: what is listed, what is accepted, and the
// one-line errors for what is not.
#include "events/generator.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace lambda_emu::events {

namespace {

// The error of parsing and generating args, or "" when both succeed.
std::string error_of(const std::vector<std::string>& args) {
    auto request = parse_event_args(args);
    if (!request) return request.error().message;
    auto event = generate_event(*request, util::system_clock());
    return event ? "" : event.error().message;
}

util::Result<EventRequest> parsed(const std::vector<std::string>& args) {
    return parse_event_args(args);
}

}  // namespace

TEST(EventKinds, ListEverySourceAndType) {
    std::vector<std::string> labels;
    for (const EventKind& k : event_kinds()) labels.push_back(k.label());
    EXPECT_EQ(labels, (std::vector<std::string>{"s3 put", "s3 delete", "sqs", "apigw", "apigw-v2",
                                                "function-url", "alb", "sns", "eventbridge",
                                                "scheduled", "dynamodb insert", "dynamodb modify",
                                                "dynamodb remove", "kinesis", "cloudwatch-logs"}));
    for (const EventKind& k : event_kinds()) {
        EXPECT_FALSE(k.description.empty()) << k.label();
        ASSERT_GE(k.fields.size(), 2u);
        EXPECT_EQ(k.fields[k.fields.size() - 2].name, "region") << k.label();
        EXPECT_EQ(k.fields.back().name, "account") << k.label();
    }
}

TEST(EventKinds, EveryKindGeneratesPrettyJsonWithDefaults) {
    for (const EventKind& k : event_kinds()) {
        EventRequest request{&k, {}};
        auto text = generate_event(request, util::system_clock());
        ASSERT_TRUE(text.ok()) << k.label() << ": " << text.error().message;
        EXPECT_EQ(text->rfind("{\n  \"", 0), 0u) << k.label() << ": not 2-space pretty JSON";
        EXPECT_NE(text->back(), '\n');
        EXPECT_TRUE(nlohmann::json::accept(*text)) << k.label();
    }
}

TEST(EventKinds, HelpNamesEveryField) {
    for (const EventKind& k : event_kinds()) {
        std::string help = describe_fields(k);
        EXPECT_EQ(help.rfind(k.label() + ": ", 0), 0u);
        for (const FieldSpec& f : k.fields) {
            EXPECT_NE(help.find("--" + f.name + " "), std::string::npos) << k.label() << f.name;
        }
    }
}

TEST(ParseEventArgs, TakesSourceTypeAndFields) {
    auto r = parsed({"s3", "delete", "--bucket", "photos", "--key=a b.jpg"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->kind->label(), "s3 delete");
    EXPECT_EQ(r->fields.at("bucket"), std::vector<std::string>{"photos"});
    EXPECT_EQ(r->fields.at("key"), std::vector<std::string>{"a b.jpg"});
}

TEST(ParseEventArgs, ASourceWithTypesDefaultsToItsFirst) {
    auto s3 = parsed({"s3", "--bucket", "b1x"});
    ASSERT_TRUE(s3.ok());
    EXPECT_EQ(s3->kind->label(), "s3 put");
    auto ddb = parsed({"dynamodb"});
    ASSERT_TRUE(ddb.ok());
    EXPECT_EQ(ddb->kind->label(), "dynamodb insert");
}

TEST(ParseEventArgs, RepeatableFieldsCollectEveryValue) {
    auto r = parsed({"apigw", "--header", "X-A: 1", "--header", "X-A: 2"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->fields.at("header"), (std::vector<std::string>{"X-A: 1", "X-A: 2"}));
}

TEST(ParseEventArgs, AValueMayLookLikeAnOption) {
    auto r = parsed({"sqs", "--body", "--count"});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->fields.at("body"), std::vector<std::string>{"--count"});
}

TEST(ParseEventArgsErrors, UnknownSourceListsTheValidOnes) {
    std::string e = error_of({"s4"});
    EXPECT_NE(e.find("'s4'"), std::string::npos) << e;
    EXPECT_NE(e.find("valid sources: s3, sqs, apigw, apigw-v2, function-url, alb, sns, "
                     "eventbridge, scheduled, dynamodb, kinesis, cloudwatch-logs"),
              std::string::npos)
        << e;
    EXPECT_NE(error_of({}).find("valid sources: s3,"), std::string::npos);
}

TEST(ParseEventArgsErrors, UnknownTypeListsTheValidOnes) {
    std::string e = error_of({"s3", "copy"});
    EXPECT_NE(e.find("'copy'"), std::string::npos) << e;
    EXPECT_NE(e.find("valid types: put, delete"), std::string::npos) << e;
    e = error_of({"dynamodb", "update"});
    EXPECT_NE(e.find("valid types: insert, modify, remove"), std::string::npos) << e;
}

TEST(ParseEventArgsErrors, ATypeForASourceWithoutTypesIsRefused) {
    std::string e = error_of({"sqs", "fifo"});
    EXPECT_NE(e.find("'fifo'"), std::string::npos) << e;
    EXPECT_NE(e.find("--body, --queue, --count, --region, --account"), std::string::npos) << e;
}

TEST(ParseEventArgsErrors, UnknownFieldListsTheValidOnes) {
    std::string e = error_of({"s3", "put", "--colour", "red"});
    EXPECT_NE(e.find("s3 put has no field --colour"), std::string::npos) << e;
    EXPECT_NE(e.find("valid fields: --bucket, --key, --size, --etag, --region, --account"),
              std::string::npos)
        << e;
    // A field of another type of the same source is still unknown here.
    e = error_of({"dynamodb", "insert", "--old-image", "{}"});
    EXPECT_NE(e.find("dynamodb insert has no field --old-image"), std::string::npos) << e;
    e = error_of({"s3", "delete", "--size", "3"});
    EXPECT_NE(e.find("has no field --size"), std::string::npos) << e;
}

TEST(ParseEventArgsErrors, MalformedArgumentsSayWhat) {
    EXPECT_NE(error_of({"sqs", "--body"}).find("--body needs a value"), std::string::npos);
    EXPECT_NE(error_of({"sqs", "--queue", "a", "--queue", "b"}).find("--queue given twice"),
              std::string::npos);
    EXPECT_NE(error_of({"sqs", "--body", "x", "stray"}).find("unexpected 'stray'"),
              std::string::npos);
    EXPECT_NE(error_of({"sqs", "--body", "\xff\xfe"}).find("not valid UTF-8"), std::string::npos);
}

TEST(GenerateEventErrors, BadValuesNameTheFieldAndTheRule) {
    struct Case {
        std::vector<std::string> args;
        std::string expected;
    };
    std::vector<Case> cases = {
        {{"sqs", "--count", "0"}, "--count 0: must be from 1 to 10000"},
        {{"sqs", "--count", "ten"}, "--count ten: not a whole number"},
        {{"kinesis", "--count", "3x"}, "--count 3x: not a whole number"},
        {{"sqs", "--queue", "bad queue"}, "--queue bad queue: a queue name"},
        {{"s3", "--bucket", "Bad_Bucket"}, "--bucket Bad_Bucket: a bucket name"},
        {{"s3", "--key", ""}, "--key: an object key is 1 to 1024 bytes"},
        {{"eventbridge", "--detail", "[1]"}, "--detail: expected a JSON object"},
        {{"eventbridge", "--detail", "{nope"}, "--detail: not valid JSON"},
        {{"sqs", "--region", "mars"}, "--region mars: not a region name"},
        {{"sqs", "--account", "1234"}, "--account 1234: must be 12 digits"},
        {{"apigw", "--path", "orders"}, "--path orders: must start with '/'"},
        {{"apigw", "--method", "G3T"}, "--method G3T: not an HTTP method"},
        {{"apigw", "--path", "/a?x=1", "--query", "y=2"}, "either in --path or in --query"},
        {{"apigw", "--query", "a=%zz"}, "--query a=%zz: malformed %-escape"},
        {{"apigw", "--header", "no colon"}, "--header no colon: expected \"Name: value\""},
        {{"apigw", "--path", "/a/b", "--resource", "/x/{id}"},
         "--resource /x/{id}: does not match"},
        {{"apigw-v2", "--method", "GET", "--route", "POST /a"}, "does not match --method GET"},
        {{"dynamodb", "--keys", R"({"id":{"N":"abc"}})"}, "--keys.id: \"abc\" is not a valid N"},
        {{"dynamodb", "--keys", "{}"}, "--keys: give at least the partition key"},
        {{"dynamodb", "--keys", R"({"id":1})", "--new-image", R"({"id":2})"},
         "--new-image: attribute id differs from its value in --keys"},
        {{"dynamodb", "--stream-view-type", "ALL"}, "--stream-view-type ALL: one of"},
    };
    for (const Case& c : cases) {
        std::string e = error_of(c.args);
        EXPECT_NE(e.find(c.expected), std::string::npos)
            << "got: " << e << "\nwant: " << c.expected;
        EXPECT_EQ(e.find('\n'), std::string::npos) << e;
    }
}

}  // namespace lambda_emu::events
