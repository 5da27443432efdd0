#include "model/json_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace lambda_emu::model {

namespace {

// The "line L, column C" prefix of a validate_json error.
std::string position_of_error(const std::string& text) {
    auto status = validate_json(text);
    if (status.ok()) return "ok";
    const std::string& m = status.error().message;
    auto colon = m.find(": ");
    return colon == std::string::npos ? m : m.substr(0, colon);
}

}  // namespace

TEST(ValidateJson, AcceptsValidDocuments) {
    EXPECT_TRUE(validate_json(R"({"a":1})").ok());
    EXPECT_TRUE(validate_json("  [1, 2, {\"b\": null}]\n").ok());
    EXPECT_TRUE(validate_json("\"just a string\"").ok());
    EXPECT_TRUE(validate_json("42").ok());
    EXPECT_TRUE(validate_json("{}").ok());
}

TEST(ValidateJson, ReportsLineAndColumnOfTheError) {
    // Line 3 is `  "b": }`; the offending '}' is its 8th character.
    std::string text = "{\n  \"a\": 1,\n  \"b\": }\n";
    auto status = validate_json(text);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message.rfind("line 3, column 8: ", 0), 0u) << status.error().message;
    // The reason follows the position and is not empty.
    EXPECT_GT(status.error().message.size(), std::string("line 3, column 8: ").size());
}

TEST(ValidateJson, ColumnCountsFromOneOnTheFirstLine) {
    EXPECT_EQ(position_of_error("x"), "line 1, column 1");
    EXPECT_EQ(position_of_error("{\"a\" 1}"), "line 1, column 6");
    EXPECT_EQ(position_of_error("[1,\n2,\n3,,]"), "line 3, column 3");
}

TEST(ValidateJson, TrailingGarbageIsAnError) {
    auto status = validate_json("{\"a\":1}\n}");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message.rfind("line 2, column 1: ", 0), 0u) << status.error().message;
}

TEST(ValidateJson, EmptyAndTruncatedInputsAreErrors) {
    EXPECT_FALSE(validate_json("").ok());
    EXPECT_FALSE(validate_json("{\"a\":").ok());
    auto status = validate_json("{\"a\":");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message.rfind("line 1, column ", 0), 0u) << status.error().message;
}

TEST(ValidateJson, ANumberTooLargeForADoubleIsAnErrorNotAnException) {
    auto status = validate_json(R"({"a":1e400})");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message, "number overflow parsing '1e400'");
}

TEST(ErrorBody, TypeComesBeforeMessage) {
    EXPECT_EQ(
        error_body("Sandbox.Timedout",
                   "RequestId: 52fdfc07 Error: Task timed out after 3.00 seconds"),
        R"({"errorType":"Sandbox.Timedout","errorMessage":"RequestId: 52fdfc07 Error: Task timed out after 3.00 seconds"})");
    EXPECT_EQ(error_body("Runtime.ExitError", ""),
              R"({"errorType":"Runtime.ExitError","errorMessage":""})");
}

TEST(ErrorBody, EscapesQuotesBackslashesAndControlCharacters) {
    EXPECT_EQ(error_body("T", "say \"hi\"\\\n\t"),
              R"({"errorType":"T","errorMessage":"say \"hi\"\\\n\t"})");
}

TEST(ErrorBody, InvalidUtf8IsReplacedNotThrown) {
    std::string body = error_body("T", std::string("a\xff"
                                                   "b"));
    EXPECT_EQ(body,
              "{\"errorType\":\"T\",\"errorMessage\":\"a\xEF\xBF\xBD"
              "b\"}");
}

TEST(ErrorTypeInBody, ReadsTheTopLevelErrorType) {
    EXPECT_EQ(error_type_in_body(R"({"errorMessage":"boom","errorType":"MyError"})"), "MyError");
    EXPECT_EQ(error_type_in_body(R"({"errorType":"Runtime.ImportModuleError","stackTrace":[]})"),
              "Runtime.ImportModuleError");
}

TEST(ErrorTypeInBody, EmptyWhenAbsentOrNotAString) {
    EXPECT_EQ(error_type_in_body(R"({"errorMessage":"boom"})"), "");
    EXPECT_EQ(error_type_in_body(R"({"errorType":42})"), "");
    EXPECT_EQ(error_type_in_body(R"({"inner":{"errorType":"Nested"}})"), "");
    EXPECT_EQ(error_type_in_body(R"(["errorType"])"), "");
    EXPECT_EQ(error_type_in_body("not json"), "");
    EXPECT_EQ(error_type_in_body(""), "");
}

TEST(WithoutErrorCause, RemovesTopLevelErrorCauseKeepingKeyOrder) {
    std::string body =
        R"({"errorMessage":"m","errorType":"T","stackTrace":["a"],"errorCause":{"paths":[],"working_directory":"/"}})";
    EXPECT_EQ(without_error_cause(body),
              R"({"errorMessage":"m","errorType":"T","stackTrace":["a"]})");
}

TEST(WithoutErrorCause, ErrorCauseFirstOrInTheMiddle) {
    EXPECT_EQ(without_error_cause(R"({"errorCause":1,"errorType":"T","errorMessage":"m"})"),
              R"({"errorType":"T","errorMessage":"m"})");
    EXPECT_EQ(without_error_cause(R"({"z":1,"errorCause":null,"a":2})"), R"({"z":1,"a":2})");
}

TEST(WithoutErrorCause, LeavesOtherBodiesByteForByte) {
    // No errorCause: unchanged, whitespace included.
    std::string spaced = "{ \"errorMessage\" : \"m\",  \"errorType\":\"T\" }";
    EXPECT_EQ(without_error_cause(spaced), spaced);
    // Not JSON, or not an object: unchanged.
    EXPECT_EQ(without_error_cause("plain text"), "plain text");
    EXPECT_EQ(without_error_cause(R"(["errorCause"])"), R"(["errorCause"])");
    // A nested errorCause is not the top-level one.
    std::string nested = R"({"inner":{"errorCause":1}})";
    EXPECT_EQ(without_error_cause(nested), nested);
}

TEST(ReportedErrorType, KeepsWellFormedRuntimeAndFunctionTypes) {
    EXPECT_EQ(reported_error_type("Runtime.ImportModuleError"), "Runtime.ImportModuleError");
    EXPECT_EQ(reported_error_type("Runtime.MyCustomErrorTypeHere"),
              "Runtime.MyCustomErrorTypeHere");
    EXPECT_EQ(reported_error_type("Function.MyCustomErrorTypeHere"),
              "Function.MyCustomErrorTypeHere");
    EXPECT_EQ(reported_error_type("Runtime.ExitError"), "Runtime.ExitError");
    EXPECT_EQ(reported_error_type("Runtime.Ab"), "Runtime.Ab");  // the shortest the regex allows
}

TEST(ReportedErrorType, MalformedFunctionTypesBecomeFunctionUnknown) {
    EXPECT_EQ(reported_error_type("Function.bad type"), "Function.Unknown");
    EXPECT_EQ(reported_error_type("Function.lower"), "Function.Unknown");
    EXPECT_EQ(reported_error_type("Function.A"), "Function.Unknown");
    EXPECT_EQ(reported_error_type("Function."), "Function.Unknown");
    EXPECT_EQ(reported_error_type("Function.My1Error"), "Function.Unknown");
}

TEST(ReportedErrorType, EverythingElseBecomesRuntimeUnknown) {
    EXPECT_EQ(reported_error_type("Unhandled"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("HandlerError"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type(""), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("MyCustomError"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("MyCustomError.Error"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("Runtime.A"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("Runtime.bad"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("Runtime.Has Space"), "Runtime.Unknown");
    EXPECT_EQ(reported_error_type("Sandbox.Timedout"), "Runtime.Unknown");
}

TEST(IsJsonObject, OnlyObjects) {
    EXPECT_TRUE(is_json_object(R"({"level":"INFO","message":"x"})"));
    EXPECT_TRUE(is_json_object("{}"));
    EXPECT_FALSE(is_json_object("[1]"));
    EXPECT_FALSE(is_json_object("\"s\""));
    EXPECT_FALSE(is_json_object("{not json"));
    EXPECT_FALSE(is_json_object(""));
}

}  // namespace lambda_emu::model
