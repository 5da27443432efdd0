// Expectations against synthetic outcomes: no processes, just the checks and their messages.
#include "testrun/expectations.h"

#include <gtest/gtest.h>

namespace lambda_emu::testrun {

namespace {

TestCase with_expect(const std::string& expect_json, const std::string& payload = "{}") {
    Loaders l;
    l.bootstrap = [](const std::string& p) -> util::Result<model::FunctionConfig> {
        model::FunctionConfig c;
        c.bootstrap = p;
        return c;
    };
    l.event = [](const std::string&) -> util::Result<std::string> { return std::string("{}"); };
    std::string text = R"({"function":{"bootstrap":"/b"},"cases":[{"name":"c","event":)" + payload +
                       R"(,"expect":)" + expect_json + "}]}";
    auto file = parse_case_file(text, "/t/x.test.json", l);
    EXPECT_TRUE(file.ok()) << (file.ok() ? "" : file.error().message);
    return file.ok() ? file->cases[0] : TestCase{};
}

model::Outcome success(const std::string& body) {
    model::Outcome o;
    o.body = body;
    o.metrics.duration_ms = 12.5;
    o.metrics.billed_duration_ms = 13;
    o.metrics.max_memory_used_mb = 20;
    return o;
}

}  // namespace

TEST(JsonDiff, NamesEveryDifferenceByPointer) {
    std::vector<std::string> out;
    json_diff(Json::parse(R"({"a":1,"b":{"c":[1,2]},"d":"x"})"),
              Json::parse(R"({"a":2,"b":{"c":[1,3]},"e":true})"), false, "", out);
    EXPECT_EQ(out, (std::vector<std::string>{"/a: expected 1, got 2", "/b/c/1: expected 2, got 3",
                                             "/d: expected \"x\", missing",
                                             "/e: not expected, got true"}));
    std::vector<std::string> subset;
    json_diff(Json::parse(R"({"a":1})"), Json::parse(R"({"a":1,"z":0})"), true, "", subset);
    EXPECT_TRUE(subset.empty());
}

TEST(Mismatch, EqualsContainsRegexAndExists) {
    Json v = "hello world";
    EXPECT_EQ(mismatch({Matcher::Kind::contains, "world"}, &v), "");
    EXPECT_EQ(mismatch({Matcher::Kind::regex, "^hel+o"}, &v), "");
    EXPECT_EQ(mismatch({Matcher::Kind::equals, "hello"}, &v),
              "expected \"hello\", got \"hello world\"");
    EXPECT_EQ(mismatch({Matcher::Kind::exists, false}, &v),
              "expected to be absent, got \"hello world\"");
    EXPECT_EQ(mismatch({Matcher::Kind::equals, 1}, nullptr), "expected 1, missing");
}

TEST(CheckCase, AHappyInvocationMeetsItsExpectations) {
    TestCase t = with_expect(
        R"({"response":{"ok":true},"json":{"/ok":true},"max_duration_ms":50,"max_memory_mb":64,
            "logs":{"contain":"START","exclude":"ERROR","match":"^REPORT"}})");
    EXPECT_TRUE(check_case(t, success(R"({"ok":true})"), "START x\nREPORT y\n").empty());
}

TEST(CheckCase, BudgetsFailWithTheFigures) {
    TestCase t = with_expect(R"({"max_duration_ms":10,"max_billed_ms":10,"max_memory_mb":16,
                                 "max_init_ms":5})");
    auto failures = check_case(t, success("{}"), "");
    EXPECT_EQ(failures, (std::vector<std::string>{
                            "Init Duration: none, the invocation was warm (set \"cold\": true)",
                            "Duration: 12.50 ms, over the 10.00 ms budget",
                            "Billed Duration: 13 ms, over the 10.00 ms budget",
                            "Max Memory Used: 20 MB, over the 16.00 MB budget"}));
}

TEST(CheckCase, ErrorsAreMatchedByTypeAndMessage) {
    model::Outcome failed = success(
        R"({"errorMessage":"RequestId: x Error: Runtime exited with error: exit status 1","errorType":"Runtime.ExitError"})");
    failed.kind = model::OutcomeKind::runtime_exit;
    failed.error_type = "Runtime.ExitError";
    TestCase expect_exit = with_expect(
        R"({"error":{"type":"Runtime.ExitError","message":{"contains":"exit status 1"}}})");
    EXPECT_TRUE(check_case(expect_exit, failed, "").empty());
    TestCase expect_other = with_expect(R"({"error":"HandlerError"})");
    EXPECT_EQ(check_case(expect_other, failed, ""),
              (std::vector<std::string>{
                  "error type: expected HandlerError, got Runtime.ExitError (RequestId: x Error: "
                  "Runtime exited with error: exit status 1)"}));
    TestCase expect_nothing = with_expect("{}");
    EXPECT_EQ(check_case(expect_nothing, failed, "").size(), 1u);
}

TEST(CheckCase, HttpExpectationsReadTheFrontEndsView) {
    std::string apigw = R"({"httpMethod":"GET","resource":"/","requestContext":{}})";
    TestCase t = with_expect(
        R"({"http":{"status":201,"headers":{"X-Kind":{"contains":"rest"}},"json":{"/id":7}}})",
        apigw);
    model::Outcome o =
        success(R"({"statusCode":201,"headers":{"x-kind":"rest-api"},"body":"{\"id\":7}"})");
    EXPECT_TRUE(check_case(t, o, "").empty());
    model::Outcome malformed = success(R"({"statusCode":"x"})");
    auto failures = check_case(t, malformed, "");
    ASSERT_FALSE(failures.empty());
    EXPECT_EQ(failures[0],
              "http status: expected 201, got 502 (statusCode is missing or not an integer)");
}

}  // namespace lambda_emu::testrun
