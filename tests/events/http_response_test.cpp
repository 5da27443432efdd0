#include "events/http_response.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

namespace lambda_emu::events {

namespace {

std::string fixture_text(const std::string& name) {
    std::ifstream in(std::string(LAMBDA_EMU_SOURCE_DIR) + "/fixtures/" + name + ".json");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST(HttpResponse, KindFollowsTheEventsShape) {
    EXPECT_EQ(http_event_kind(fixture_text("apigw")), HttpEventKind::apigw_v1);
    EXPECT_EQ(http_event_kind(fixture_text("apigw-v2")), HttpEventKind::apigw_v2);
    EXPECT_EQ(http_event_kind(fixture_text("function-url")), HttpEventKind::apigw_v2);
    EXPECT_EQ(http_event_kind(fixture_text("alb")), HttpEventKind::alb);
    EXPECT_EQ(http_event_kind(fixture_text("sqs")), HttpEventKind::none);
    EXPECT_EQ(http_event_kind("not json"), HttpEventKind::none);
}

TEST(HttpResponse, RestApiProxyResponse) {
    auto r = http_reply(
        HttpEventKind::apigw_v1,
        R"({"statusCode":201,"headers":{"x-a":"1"},"multiValueHeaders":{"x-b":["2","3"]},"body":"made"})",
        false);
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body, "made");
    EXPECT_TRUE(r.problem.empty());
    EXPECT_EQ(
        r.describe(),
        "HTTP/1.1 201 Created\nx-a: 1\nx-b: 2\nx-b: 3\ncontent-type: application/json\n\nmade");
}

TEST(HttpResponse, RestApiMalformedOrFailedIs502) {
    auto failed = http_reply(HttpEventKind::apigw_v1, R"({"errorType":"X"})", true);
    EXPECT_EQ(failed.status, 502);
    EXPECT_EQ(failed.body, R"({"message": "Internal server error"})");
    EXPECT_EQ(failed.problem, "the function failed");
    EXPECT_EQ(http_reply(HttpEventKind::apigw_v1, R"({"statusCode":200,"extra":1})", false).problem,
              "unexpected key 'extra' in the response");
    EXPECT_EQ(http_reply(HttpEventKind::apigw_v1, R"({"body":"x"})", false).status, 502);
    EXPECT_EQ(http_reply(HttpEventKind::apigw_v1, R"({"statusCode":200,"body":{}})", false).problem,
              "body is not a string");
    EXPECT_EQ(http_reply(HttpEventKind::apigw_v1, "oops", false).problem,
              "the response is not JSON");
}

TEST(HttpResponse, HttpApiInfersA200FromPlainJson) {
    auto r = http_reply(HttpEventKind::apigw_v2, R"("Hello, world!")", false);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.size(), 15u);
    EXPECT_EQ(r.headers.front(),
              (std::pair<std::string, std::string>{"content-type", "application/json"}));
    auto object = http_reply(HttpEventKind::apigw_v2, R"({"message":"hi"})", false);
    EXPECT_EQ(object.body, R"({"message":"hi"})");
}

TEST(HttpResponse, HttpApiCookiesAndBinaryBodies) {
    auto r = http_reply(
        HttpEventKind::apigw_v2,
        R"({"statusCode":200,"cookies":["a=1","b=2; Secure"],"body":"AAEC","isBase64Encoded":true,"headers":{"content-type":"application/octet-stream"}})",
        false);
    EXPECT_EQ(r.body, std::string("\x00\x01\x02", 3));
    EXPECT_NE(r.describe().find("set-cookie: a=1\nset-cookie: b=2; Secure"), std::string::npos);
    EXPECT_NE(r.describe().find("<3 bytes of binary data>"), std::string::npos);
}

TEST(HttpResponse, LoadBalancerFailureIsItsOwn502Page) {
    auto r = http_reply(HttpEventKind::alb, "{}", true);
    EXPECT_EQ(r.status, 502);
    EXPECT_NE(r.body.find("<h1>502 Bad Gateway</h1>"), std::string::npos);
    auto ok = http_reply(HttpEventKind::alb,
                         R"({"statusCode":200,"statusDescription":"200 OK","body":"up"})", false);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "up");
}

// What a handler may send that does not fit the fields' types: the front end's 502, never an
// exception, and never a status that wraps into range.
TEST(HttpResponse, FieldsOfTheWrongTypeAre502) {
    for (HttpEventKind kind :
         {HttpEventKind::apigw_v1, HttpEventKind::apigw_v2, HttpEventKind::alb}) {
        auto text =
            http_reply(kind, R"({"statusCode":200,"body":"x","isBase64Encoded":"true"})", false);
        EXPECT_EQ(text.status, 502);
        EXPECT_EQ(text.problem, "isBase64Encoded is not true or false");
        auto wrapped = http_reply(kind, R"({"statusCode":4294967496})", false);
        EXPECT_EQ(wrapped.status, 502);
        EXPECT_EQ(wrapped.problem, "statusCode is out of range");
        auto huge = http_reply(kind, R"({"statusCode":18446744073709551615})", false);
        EXPECT_EQ(huge.status, 502);
    }
    auto null_flag = http_reply(HttpEventKind::apigw_v2,
                                R"({"statusCode":200,"body":"x","isBase64Encoded":null})", false);
    EXPECT_EQ(null_flag.status, 200);
    EXPECT_EQ(null_flag.body, "x");
}

TEST(HttpResponse, KindOfAnEventWhoseVersionIsNotAString) {
    EXPECT_EQ(http_event_kind(R"({"version":2,"rawPath":"/"})"), HttpEventKind::none);
    EXPECT_EQ(http_event_kind(R"({"version":null,"rawPath":"/"})"), HttpEventKind::none);
}

}  // namespace lambda_emu::events
