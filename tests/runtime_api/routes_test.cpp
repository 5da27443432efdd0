#include "runtime_api/routes.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "util/base64.h"
#include "util/clock.h"

namespace lambda_emu::runtime_api {

namespace {

using namespace std::chrono_literals;

constexpr auto k_generous = 10s;
constexpr auto k_quick = 5s;

const std::string k_base = "/2018-06-01";
const std::string k_accepted = R"({"status":"OK"})";
const std::string k_invalid_request_id =
    R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})";
const std::string k_too_large =
    R"({"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"})";

HttpRequest request(std::string method, std::string target, std::string body = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.body_bytes = r.body.size();
    return r;
}

HttpRequest post_response(const std::string& id, std::string body) {
    return request("POST", k_base + "/runtime/invocation/" + id + "/response", std::move(body));
}

HttpRequest post_error(const std::string& id, std::string body) {
    return request("POST", k_base + "/runtime/invocation/" + id + "/error", std::move(body));
}

// The header names of a response, in order, exactly as written.
std::vector<std::string> header_names(const HttpResponse& r) {
    std::vector<std::string> out;
    for (const auto& [k, v] : r.headers) out.push_back(k);
    return out;
}

class RoutesTest : public ::testing::Test {
  protected:
    void TearDown() override {
        exchange.close();
        for (auto& f : m_pending) {
            if (f.valid()) f.wait();
        }
    }

    HttpResponse handle(const HttpRequest& r) { return handle_runtime_request(r, exchange); }

    // GET /next on its own thread.
    std::future<HttpResponse>& get_next() {
        m_pending.push_back(std::async(std::launch::async, [this] {
            return handle_runtime_request(request("GET", k_base + "/runtime/invocation/next"),
                                          exchange);
        }));
        return m_pending.back();
    }

    void wait_for_poller() {
        ASSERT_EQ(exchange.wait_back(clock.steady_now() + k_generous), core::WaitResult::ready);
    }

    // A blocked GET /next receives `inv`; returns its response.
    HttpResponse deliver(const model::Invocation& inv) {
        auto& next = get_next();
        wait_for_poller();
        exchange.submit(inv);
        if (next.wait_for(k_quick) != std::future_status::ready) {
            ADD_FAILURE() << "GET /next did not return";
            return {};
        }
        return next.get();
    }

    HttpResponse deliver(const std::string& id) {
        model::Invocation inv;
        inv.request_id = id;
        inv.payload = R"({"hello":"world"})";
        inv.deadline = util::SystemTime{std::chrono::milliseconds(1542409706888)};
        inv.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f";
        return deliver(inv);
    }

    core::RuntimeAnswer answer_taken() {
        EXPECT_EQ(exchange.wait_answer(clock.steady_now()), core::WaitResult::answered);
        return exchange.take_answer();
    }

    util::ManualClock clock;
    core::RuntimeExchange exchange{clock};

  private:
    std::deque<std::future<HttpResponse>> m_pending;
};

}  // namespace

TEST_F(RoutesTest, NextBlocksThenReturnsTheInvocationWithItsHeaders) {
    auto& next = get_next();
    wait_for_poller();
    EXPECT_NE(next.wait_for(0ms), std::future_status::ready);

    model::Invocation inv;
    inv.request_id = "8476a536-e9f4-11e8-9739-2dfe598c3fcd";
    inv.payload = R"({"key1":"value1"})";
    inv.deadline = util::SystemTime{std::chrono::milliseconds(1542409706888)};
    inv.invoked_function_arn = "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime";
    inv.trace_id = "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1";
    exchange.submit(inv);
    ASSERT_EQ(next.wait_for(k_quick), std::future_status::ready);
    HttpResponse r = next.get();

    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"key1":"value1"})");
    EXPECT_FALSE(r.close_connection);
    ASSERT_NE(find_header(r.headers, "Content-Type"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Content-Type"), "application/json");
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Aws-Request-Id"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Aws-Request-Id"),
              "8476a536-e9f4-11e8-9739-2dfe598c3fcd");
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Deadline-Ms"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Deadline-Ms"), "1542409706888");
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Invoked-Function-Arn"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Invoked-Function-Arn"),
              "arn:aws:lambda:us-east-2:123456789012:function:custom-runtime");
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Trace-Id"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Trace-Id"), inv.trace_id);
    // Only when given.
    EXPECT_EQ(find_header(r.headers, "Lambda-Runtime-Client-Context"), nullptr);
    EXPECT_EQ(find_header(r.headers, "Lambda-Runtime-Cognito-Identity"), nullptr);
    EXPECT_EQ(find_header(r.headers, "Lambda-Runtime-Aws-Tenant-Id"), nullptr);
    // Exact header names, as clients look them up case-sensitively in some languages.
    auto names = header_names(r);
    EXPECT_EQ(names,
              (std::vector<std::string>{
                  "Content-Type", "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms",
                  "Lambda-Runtime-Invoked-Function-Arn", "Lambda-Runtime-Trace-Id"}));
}

TEST_F(RoutesTest, NextCarriesClientContextCognitoIdentityAndContentTypeWhenGiven) {
    model::Invocation inv;
    inv.request_id = "id-1";
    inv.payload = "raw bytes";
    inv.content_type = "application/octet-stream";
    inv.deadline = util::SystemTime{std::chrono::milliseconds(1700000003000)};
    inv.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:f:prod";
    inv.client_context = R"({"custom":{"k":"v"},"env":{},"client":{}})";
    inv.cognito_identity = R"({"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"})";
    inv.tenant_id = "tenant-7";
    HttpResponse r = deliver(inv);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "raw bytes");
    ASSERT_NE(find_header(r.headers, "Content-Type"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Content-Type"), "application/octet-stream");
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Client-Context"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Client-Context"), inv.client_context);
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Cognito-Identity"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Cognito-Identity"), inv.cognito_identity);
    ASSERT_NE(find_header(r.headers, "Lambda-Runtime-Aws-Tenant-Id"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Aws-Tenant-Id"), "tenant-7");
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Deadline-Ms"), "1700000003000");
    EXPECT_EQ(*find_header(r.headers, "Lambda-Runtime-Invoked-Function-Arn"),
              "arn:aws:lambda:us-east-1:000000000000:function:f:prod");
    // No trace id given: no header.
    EXPECT_EQ(find_header(r.headers, "Lambda-Runtime-Trace-Id"), nullptr);
}

TEST_F(RoutesTest, NextAfterCloseIs500AndClosesTheConnection) {
    exchange.close();
    HttpResponse r = handle(request("GET", k_base + "/runtime/invocation/next"));
    EXPECT_EQ(r.status, 500);
    EXPECT_EQ(r.body,
              R"({"errorMessage":"Internal Server Error","errorType":"InternalServerError"})");
    EXPECT_TRUE(r.close_connection);
}

TEST_F(RoutesTest, ResponseIsAccepted) {
    deliver("id-1");
    HttpRequest post = post_response("id-1", R"({"result":42})");
    post.headers.emplace_back("Content-Type", "application/json");
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, k_accepted);
    ASSERT_NE(find_header(r.headers, "Content-Type"), nullptr);
    EXPECT_EQ(*find_header(r.headers, "Content-Type"), "application/json");

    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::response);
    EXPECT_EQ(a.body, R"({"result":42})");
    EXPECT_EQ(a.content_type, "application/json");
    EXPECT_EQ(a.body_bytes, 13u);
    EXPECT_FALSE(a.streamed);
}

TEST_F(RoutesTest, SecondResponseIs403InvalidStateTransition) {
    deliver("id-1");
    ASSERT_EQ(handle(post_response("id-1", "first")).status, 202);
    HttpResponse r = handle(post_response("id-1", "second"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(
        r.body,
        R"({"errorMessage":"State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})");
    EXPECT_EQ(answer_taken().body, "first");
}

TEST_F(RoutesTest, ErrorAfterResponseIs403) {
    deliver("id-1");
    ASSERT_EQ(handle(post_response("id-1", "first")).status, 202);
    HttpResponse r = handle(post_error("id-1", "{}"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(
        r.body,
        R"({"errorMessage":"State transition from RuntimeResponseSentState to InvocationErrorResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})");
}

TEST_F(RoutesTest, UnknownIdIs400InvalidRequestId) {
    deliver("id-1");
    HttpResponse r = handle(post_response("not-the-id", "x"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, k_invalid_request_id);
    HttpResponse e = handle(post_error("not-the-id", "x"));
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.body, k_invalid_request_id);
    // The invocation is still open.
    EXPECT_EQ(handle(post_response("id-1", "ok")).status, 202);
}

TEST_F(RoutesTest, EmptyIdIs400InvalidRequestId) {
    deliver("id-1");
    HttpResponse r = handle(request("POST", k_base + "/runtime/invocation//response", "x"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, k_invalid_request_id);
    HttpResponse e = handle(request("POST", k_base + "/runtime/invocation//error", "x"));
    EXPECT_EQ(e.status, 400);
    EXPECT_EQ(e.body, k_invalid_request_id);
}

TEST_F(RoutesTest, ResponseBeforeAnyInvocationIs400) {
    HttpResponse r = handle(post_response("id-1", "x"));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.body, k_invalid_request_id);
}

// A POST for the previous invocation's id while the next invocation runs is a stale id:
// 400 InvalidRequestID as in RIE (lambda-facts section 1), not 403.
TEST_F(RoutesTest, StaleIdOfThePreviousInvocationIs400) {
    deliver("id-1");
    ASSERT_EQ(handle(post_response("id-1", "one")).status, 202);
    deliver("id-2");
    HttpResponse r = handle(post_response("id-1", "late"));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.body, k_invalid_request_id);
}

TEST_F(RoutesTest, BodyOverLimitIs413AndTheAnswerIsTooLarge) {
    deliver("id-1");
    HttpRequest post = post_response("id-1", std::string(100, 'x'));
    post.body_bytes = 6291557;
    post.body_over_limit = true;
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, k_too_large);

    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::too_large);
    EXPECT_EQ(a.body_bytes, 6291557u);
    // The invocation is over: a retry is refused.
    EXPECT_EQ(handle(post_response("id-1", "small")).status, 403);
}

TEST_F(RoutesTest, ErrorBodyOverLimitIs413) {
    deliver("id-1");
    HttpRequest post = post_error("id-1", "x");
    post.body_bytes = 7000000;
    post.body_over_limit = true;
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 413);
    EXPECT_EQ(r.body, k_too_large);
    EXPECT_EQ(answer_taken().kind, core::RuntimeAnswer::Kind::too_large);
}

TEST_F(RoutesTest, ErrorWithTypeHeader) {
    deliver("id-1");
    std::string body = R"({"errorMessage":"boom","errorType":"InBody","stackTrace":[]})";
    HttpRequest post = post_error("id-1", body);
    post.headers.emplace_back("Lambda-Runtime-Function-Error-Type", "Runtime.HandlerError");
    post.headers.emplace_back("Content-Type", "application/json");
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, k_accepted);

    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::error);
    EXPECT_EQ(a.error_type, "Runtime.HandlerError");  // the header wins over the body
    EXPECT_EQ(a.body, body);                          // passed to the caller unchanged
    EXPECT_EQ(a.content_type, "application/json");
}

TEST_F(RoutesTest, ErrorWithTypeOnlyInBody) {
    deliver("id-1");
    HttpResponse r = handle(post_error("id-1", R"({"errorMessage":"boom","errorType":"MyError"})"));
    EXPECT_EQ(r.status, 202);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::error);
    EXPECT_EQ(a.error_type, "MyError");
}

TEST_F(RoutesTest, ErrorWithNeitherIsUnhandled) {
    deliver("id-1");
    HttpResponse r = handle(post_error("id-1", "something went wrong"));
    EXPECT_EQ(r.status, 202);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::error);
    EXPECT_EQ(a.error_type, "Unhandled");
    EXPECT_EQ(a.body, "something went wrong");
}

TEST_F(RoutesTest, ErrorCauseContentTypeStripsErrorCause) {
    deliver("id-1");
    HttpRequest post = post_error(
        "id-1",
        R"({"errorMessage":"m","errorType":"T","stackTrace":["a"],"errorCause":{"paths":[],"working_directory":"","exceptions":[]}})");
    post.headers.emplace_back("Content-Type", "application/vnd.aws.lambda.error.cause+json");
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 202);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.body, R"({"errorMessage":"m","errorType":"T","stackTrace":["a"]})");
    EXPECT_EQ(a.error_type, "T");
}

TEST_F(RoutesTest, ErrorCauseIsKeptForOtherContentTypes) {
    deliver("id-1");
    std::string body = R"({"errorMessage":"m","errorType":"T","errorCause":{"paths":[]}})";
    HttpRequest post = post_error("id-1", body);
    post.headers.emplace_back("Content-Type", "application/json");
    ASSERT_EQ(handle(post).status, 202);
    EXPECT_EQ(answer_taken().body, body);
}

TEST_F(RoutesTest, InitErrorWhileStartingIsAccepted) {
    HttpRequest post = request(
        "POST", k_base + "/runtime/init/error",
        R"({"errorMessage":"No module named 'app'","errorType":"Runtime.ImportModuleError"})");
    post.headers.emplace_back("Lambda-Runtime-Function-Error-Type", "Runtime.ImportModuleError");
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, k_accepted);
    EXPECT_EQ(exchange.wait_init(clock.steady_now()), core::WaitResult::init_error);
    EXPECT_EQ(exchange.init_error_type(), "Runtime.ImportModuleError");
    EXPECT_EQ(
        exchange.init_error_body(),
        R"({"errorMessage":"No module named 'app'","errorType":"Runtime.ImportModuleError"})");
}

TEST_F(RoutesTest, InitErrorTypeFromBodyOrUnhandled) {
    HttpResponse r = handle(request("POST", k_base + "/runtime/init/error", "not json"));
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(exchange.init_error_type(), "Unhandled");
}

TEST_F(RoutesTest, InitErrorAfterInitIs403) {
    get_next();
    wait_for_poller();
    HttpRequest post = request("POST", k_base + "/runtime/init/error", "{}");
    post.headers.emplace_back("Lambda-Runtime-Function-Error-Type", "Runtime.Late");
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(
        r.body,
        R"({"errorMessage":"State transition from RuntimeReadyState to InitError failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})");
}

TEST_F(RoutesTest, BadResponseModeIs400AndFailsTheInvocation) {
    deliver("id-1");
    HttpRequest post = post_response("id-1", "body");
    post.headers.emplace_back("Lambda-Runtime-Function-Response-Mode", "buffered");
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(
        r.body,
        R"({"errorMessage":"Invalid function response mode","errorType":"InvalidFunctionResponseMode"})");
    EXPECT_EQ(answer_taken().kind, core::RuntimeAnswer::Kind::bad_response_mode);
}

TEST_F(RoutesTest, EmptyResponseModeIsBuffered) {
    deliver("id-1");
    HttpRequest post = post_response("id-1", "body");
    post.headers.emplace_back("Lambda-Runtime-Function-Response-Mode", "");
    EXPECT_EQ(handle(post).status, 202);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::response);
    EXPECT_FALSE(a.streamed);
}

TEST_F(RoutesTest, StreamedResponseIsAccepted) {
    deliver("id-1");
    HttpRequest post = post_response("id-1", "chunk one, chunk two");
    post.chunked = true;
    post.headers.emplace_back("Lambda-Runtime-Function-Response-Mode", "streaming");
    post.headers.emplace_back("Content-Type", "text/plain");
    post.headers.emplace_back(
        "Trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body");
    EXPECT_EQ(handle(post).status, 202);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::response);
    EXPECT_TRUE(a.streamed);
    EXPECT_EQ(a.body, "chunk one, chunk two");
    EXPECT_EQ(a.content_type, "text/plain");
}

TEST_F(RoutesTest, StreamedResponseWithErrorTrailersIsAnError) {
    deliver("id-1");
    std::string error_json = R"({"errorMessage":"stream broke","errorType":"Runtime.StreamError"})";
    HttpRequest post = post_response("id-1", "partial output");
    post.chunked = true;
    post.headers.emplace_back("Lambda-Runtime-Function-Response-Mode", "streaming");
    post.headers.emplace_back(
        "Trailer", "Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body");
    post.trailers.emplace_back("Lambda-Runtime-Function-Error-Type", "Runtime.StreamError");
    post.trailers.emplace_back("Lambda-Runtime-Function-Error-Body",
                               util::base64_encode(error_json));
    HttpResponse r = handle(post);
    EXPECT_EQ(r.status, 202);  // the service still answers Accepted
    EXPECT_EQ(r.body, k_accepted);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::error);
    EXPECT_EQ(a.error_type, "Runtime.StreamError");
    EXPECT_EQ(a.body, error_json);
    EXPECT_TRUE(a.streamed);
}

TEST_F(RoutesTest, ErrorTrailerWithUndecodableBodyGetsAGeneratedBody) {
    deliver("id-1");
    HttpRequest post = post_response("id-1", "partial");
    post.chunked = true;
    post.headers.emplace_back("Lambda-Runtime-Function-Response-Mode", "streaming");
    post.trailers.emplace_back("Lambda-Runtime-Function-Error-Type", "Runtime.StreamError");
    post.trailers.emplace_back("Lambda-Runtime-Function-Error-Body", "!!not base64!!");
    EXPECT_EQ(handle(post).status, 202);
    core::RuntimeAnswer a = answer_taken();
    EXPECT_EQ(a.kind, core::RuntimeAnswer::Kind::error);
    EXPECT_EQ(a.body, R"({"errorType":"Runtime.StreamError","errorMessage":""})");
}

TEST_F(RoutesTest, UnknownPathsAre404) {
    for (const std::string& target :
         {std::string("/"), std::string("/2018-06-01"), k_base + "/runtime/invocation",
          k_base + "/runtime/invocation/id-1/other", k_base + "/runtime/unknown",
          std::string("/2020-01-01/extension/register"), std::string("/runtime/invocation/next")}) {
        HttpResponse r = handle(request("GET", target));
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_EQ(r.body, R"({"errorMessage":"Not Found","errorType":"NotFound"})") << target;
    }
}

TEST_F(RoutesTest, WrongMethodsAre405) {
    const std::string k_405 =
        R"({"errorMessage":"Method Not Allowed","errorType":"MethodNotAllowed"})";
    HttpResponse post_next = handle(request("POST", k_base + "/runtime/invocation/next", "x"));
    EXPECT_EQ(post_next.status, 405);
    EXPECT_EQ(post_next.body, k_405);
    EXPECT_EQ(handle(request("GET", k_base + "/runtime/invocation/id-1/response")).status, 405);
    EXPECT_EQ(handle(request("PUT", k_base + "/runtime/invocation/id-1/error")).status, 405);
    EXPECT_EQ(handle(request("GET", k_base + "/runtime/init/error")).status, 405);
    // Nothing changed state.
    EXPECT_EQ(exchange.state(), core::EnvState::started);
}

TEST_F(RoutesTest, QueryStringIsIgnored) {
    deliver("id-1");
    EXPECT_EQ(
        handle(request("POST", k_base + "/runtime/invocation/id-1/response?x=1", "ok")).status,
        202);
}

TEST_F(RoutesTest, Ping) {
    HttpResponse r = handle(request("GET", k_base + "/ping"));
    EXPECT_EQ(r.status, 200);
}

TEST(BodyLimitFor, BufferedResponsesAre6291556Bytes) {
    HttpRequest head;
    head.method = "POST";
    head.target = "/2018-06-01/runtime/invocation/id/response";
    EXPECT_EQ(body_limit_for(head), 6291556u);
    head.headers.emplace_back("Lambda-Runtime-Function-Response-Mode", "buffered");
    EXPECT_EQ(body_limit_for(head), 6291556u);
}

TEST(BodyLimitFor, StreamedResponsesAre200MiB) {
    HttpRequest head;
    head.method = "POST";
    head.target = "/2018-06-01/runtime/invocation/id/response";
    head.headers.emplace_back("lambda-runtime-function-response-mode", "streaming");
    EXPECT_EQ(body_limit_for(head), 200u * 1024 * 1024);
}

}  // namespace lambda_emu::runtime_api
