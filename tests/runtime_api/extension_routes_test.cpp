#include "runtime_api/extension_routes.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "util/clock.h"
#include "util/random_id.h"

namespace lambda_emu::runtime_api {

namespace {

using namespace std::chrono_literals;

constexpr auto k_ext_routes_generous = 10s;

const std::string k_ext_base = "/2020-01-01/extension";
const std::string k_ext_accepted = R"({"status":"OK"})";

HttpRequest ext_request(std::string method, std::string target, std::string body = {},
                        HeaderList headers = {}) {
    HttpRequest r;
    r.method = std::move(method);
    r.target = std::move(target);
    r.body = std::move(body);
    r.body_bytes = r.body.size();
    r.headers = std::move(headers);
    return r;
}

std::string ext_error(const std::string& type, const std::string& message) {
    return R"({"errorMessage":")" + message + R"(","errorType":")" + type + R"("})";
}

// One call of the subscribe function.
struct SubscribeCall {
    std::string api_version;
    std::string name;
    std::string body;
};

class ExtensionRoutesTest : public ::testing::Test {
  protected:
    ExtensionRoutesTest() {
        context.function_name = "my-fn";
        context.function_version = "$LATEST";
        context.handler = "index.handler";
        context.account_id = "123456789012";
        subscribe = [this](std::string_view api, const std::string& name, const std::string& body) {
            calls.push_back({std::string(api), name, body});
            HttpResponse r;
            r.status = 200;
            r.body = "OK";
            return r;
        };
    }

    void TearDown() override {
        registry.close();
        for (auto& f : m_pending) {
            if (f.valid()) f.wait();
        }
    }

    HttpResponse handle(const HttpRequest& r) {
        return handle_extension_request(r, registry, context, subscribe);
    }

    HttpResponse register_as(const std::string& name, const std::string& body,
                             HeaderList extra = {}) {
        HeaderList headers = {{"Lambda-Extension-Name", name}};
        for (auto& h : extra) headers.push_back(std::move(h));
        return handle(ext_request("POST", k_ext_base + "/register", body, std::move(headers)));
    }

    // A launched external extension registered through the route; its identifier.
    std::string registered(const std::string& name,
                           const std::string& body = R"({"events":["INVOKE","SHUTDOWN"]})") {
        registry.launched(name);
        HttpResponse r = register_as(name, body);
        EXPECT_EQ(r.status, 200) << r.body;
        const std::string* id = find_header(r.headers, "Lambda-Extension-Identifier");
        return id ? *id : std::string();
    }

    // GET event/next on its own thread.
    std::future<HttpResponse>& next_async(const std::string& id) {
        m_pending.push_back(std::async(std::launch::async, [this, id] {
            return handle(ext_request("GET", k_ext_base + "/event/next", {},
                                      {{"Lambda-Extension-Identifier", id}}));
        }));
        return m_pending.back();
    }

    HttpResponse post_error(const std::string& action, HeaderList headers,
                            std::string body = "{}") {
        return handle(
            ext_request("POST", k_ext_base + "/" + action, std::move(body), std::move(headers)));
    }

    util::ManualClock clock;
    core::ExtensionRegistry registry{clock};
    ExtensionApiContext context;
    TelemetrySubscribe subscribe;
    std::vector<SubscribeCall> calls;

  private:
    std::deque<std::future<HttpResponse>> m_pending;
};

TEST(ExtensionRoutesPaths, IsExtensionRequest) {
    EXPECT_TRUE(is_extension_request("/2020-01-01/extension/register"));
    EXPECT_TRUE(is_extension_request("/2020-01-01/extension/event/next"));
    EXPECT_TRUE(is_extension_request("/2020-01-01/extension/anything"));
    EXPECT_TRUE(is_extension_request("/2020-01-01/extension/register?x=1"));
    EXPECT_TRUE(is_extension_request("/2022-07-01/telemetry"));
    EXPECT_TRUE(is_extension_request("/2020-08-15/logs"));
    EXPECT_TRUE(is_extension_request("/2020-08-15/logs?x"));
    EXPECT_FALSE(is_extension_request("/2018-06-01/runtime/invocation/next"));
    EXPECT_FALSE(is_extension_request("/2020-01-01/extension"));
    EXPECT_FALSE(is_extension_request("/2020-01-01/extensions/register"));
    EXPECT_FALSE(is_extension_request("/2022-07-01/telemetry/x"));
    EXPECT_FALSE(is_extension_request("/2020-08-15/logsx"));
    EXPECT_FALSE(is_extension_request(""));
}

TEST_F(ExtensionRoutesTest, RegisterAnswersWithTheIdentifierAndTheFunction) {
    registry.launched("ext");
    HttpResponse r = register_as("ext", R"({"events":["INVOKE","SHUTDOWN"]})");
    EXPECT_EQ(r.status, 200);
    const std::string* id = find_header(r.headers, "Lambda-Extension-Identifier");
    ASSERT_TRUE(id);
    EXPECT_TRUE(util::is_uuid(*id)) << *id;
    const std::string* type = find_header(r.headers, "Content-Type");
    ASSERT_TRUE(type);
    EXPECT_EQ(*type, "application/json");
    EXPECT_EQ(r.body,
              R"({"functionName":"my-fn","functionVersion":"$LATEST","handler":"index.handler"})");
    EXPECT_EQ(registry.name_of(*id), "ext");
}

TEST_F(ExtensionRoutesTest, RegisterPutsAccountIdFirstWhenAsked) {
    registry.launched("ext");
    HttpResponse r = register_as("ext", R"({"events":["INVOKE"]})",
                                 {{"Lambda-Extension-Accept-Feature", "accountId"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body,
              R"({"accountId":"123456789012","functionName":"my-fn","functionVersion":"$LATEST",)"
              R"("handler":"index.handler"})");
}

TEST_F(ExtensionRoutesTest, RegisterAcceptsAFeatureList) {
    registry.launched("ext");
    HttpResponse r = register_as("ext", R"({"events":["INVOKE"]})",
                                 {{"Lambda-Extension-Accept-Feature", "foo, accountId"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body.rfind(R"({"accountId":"123456789012",)", 0), 0u) << r.body;
}

TEST_F(ExtensionRoutesTest, RegisterQuotesTheContext) {
    context.handler = "a\"b";
    registry.launched("ext");
    HttpResponse r = register_as("ext", "");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find(R"("handler":"a\"b")"), std::string::npos) << r.body;
}

TEST_F(ExtensionRoutesTest, RegisterWithoutABodySubscribesToNothing) {
    std::string id = registered("ext", "");
    auto reg = registry.registered();
    ASSERT_EQ(reg.size(), 1u);
    EXPECT_TRUE(reg[0].events.empty());
}

TEST_F(ExtensionRoutesTest, RegisterWithoutANameIsRefused) {
    HttpResponse r = handle(ext_request("POST", k_ext_base + "/register", R"({"events":[]})"));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, ext_error("Extension.InvalidExtensionName", "Empty extension name"));
    HttpResponse empty = register_as("", R"({"events":[]})");
    EXPECT_EQ(empty.status, 403);
    EXPECT_EQ(empty.body, ext_error("Extension.InvalidExtensionName", "Empty extension name"));
}

TEST_F(ExtensionRoutesTest, RegisterWithABodyThatIsNotAnEventListIsRefused) {
    registry.launched("ext");
    for (const char* body : {"not json", R"({"events":"INVOKE"})", R"({"events":[1]})", "[]"}) {
        HttpResponse r = register_as("ext", body);
        EXPECT_EQ(r.status, 403) << body;
        EXPECT_NE(r.body.find(R"("errorType":"InvalidRequestFormat")"), std::string::npos)
            << body << " -> " << r.body;
    }
    EXPECT_FALSE(registry.has_registered());
}

TEST_F(ExtensionRoutesTest, RegisterWithAnObjectWithoutEventsSubscribesToNothing) {
    std::string id = registered("ext", "{}");
    EXPECT_TRUE(util::is_uuid(id));
    EXPECT_TRUE(registry.registered()[0].events.empty());
}

// RIE decodes the body with Go's encoding/json into a struct whose `events` is a slice, so
// `{"events":null}` registers an extension with no events.
TEST_F(ExtensionRoutesTest, RegisterWithNullEventsSubscribesToNothing) {
    registry.launched("ext");
    HttpResponse r = register_as("ext", R"({"events":null})");
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ExtensionRoutesTest, RegisterErrorsCarryTheRegistrysWords) {
    registered("ext");
    HttpResponse twice = register_as("ext", R"({"events":["INVOKE"]})");
    EXPECT_EQ(twice.status, 403);
    EXPECT_EQ(twice.body, ext_error("Extension.InvalidExtensionState",
                                    "State transition from Registered to Registered failed for "
                                    "extension ext. Error: State transition is not allowed"));
    EXPECT_FALSE(find_header(twice.headers, "Lambda-Extension-Identifier"));

    registry.close_registration();
    HttpResponse closed = register_as("internal", R"({"events":["INVOKE"]})");
    EXPECT_EQ(closed.status, 403);
    EXPECT_EQ(closed.body,
              ext_error("Extension.RegistrationClosed", "Extension registration closed already"));
}

TEST_F(ExtensionRoutesTest, NextDeliversTheInvokeEvent) {
    std::string id = registered("ext");
    auto& next = next_async(id);
    ASSERT_EQ(registry.wait_ready(clock.steady_now() + k_ext_routes_generous),
              core::ExtensionsWait::ready);
    const std::string event =
        R"({"eventType":"INVOKE","deadlineMs":1700000003000,"requestId":"r1",)"
        R"("invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:my-fn",)"
        R"("tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-abc"}})";
    registry.dispatch(core::ExtensionEvent::invoke, event);
    ASSERT_EQ(next.wait_for(k_ext_routes_generous), std::future_status::ready);
    HttpResponse r = next.get();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, event);
    const std::string* event_id = find_header(r.headers, "Lambda-Extension-Event-Identifier");
    ASSERT_TRUE(event_id);
    EXPECT_TRUE(util::is_uuid(*event_id)) << *event_id;
    const std::string* type = find_header(r.headers, "Content-Type");
    ASSERT_TRUE(type);
    EXPECT_EQ(*type, "application/json");
}

TEST_F(ExtensionRoutesTest, NextChecksTheIdentifierHeader) {
    HttpResponse missing = handle(ext_request("GET", k_ext_base + "/event/next"));
    EXPECT_EQ(missing.status, 403);
    EXPECT_EQ(missing.body, ext_error("Extension.MissingExtensionIdentifier",
                                      "Missing Lambda-Extension-Identifier header"));
    HttpResponse bad = handle(ext_request("GET", k_ext_base + "/event/next", {},
                                          {{"Lambda-Extension-Identifier", "nope"}}));
    EXPECT_EQ(bad.status, 403);
    EXPECT_EQ(bad.body, ext_error("Extension.InvalidExtensionIdentifier",
                                  "Invalid Lambda-Extension-Identifier"));
    std::string unknown_id = util::new_uuid();
    HttpResponse unknown = handle(ext_request("GET", k_ext_base + "/event/next", {},
                                              {{"Lambda-Extension-Identifier", unknown_id}}));
    EXPECT_EQ(unknown.status, 403);
    EXPECT_EQ(unknown.body,
              ext_error("Extension.UnknownExtensionIdentifier", "Unknown extension " + unknown_id));
}

TEST_F(ExtensionRoutesTest, NextAfterCloseEndsTheConnection) {
    std::string id = registered("ext");
    auto& next = next_async(id);
    ASSERT_EQ(registry.wait_ready(clock.steady_now() + k_ext_routes_generous),
              core::ExtensionsWait::ready);
    registry.close();
    ASSERT_EQ(next.wait_for(k_ext_routes_generous), std::future_status::ready);
    HttpResponse r = next.get();
    EXPECT_GE(r.status, 500);
    EXPECT_TRUE(r.close_connection);
}

TEST_F(ExtensionRoutesTest, InitErrorIsAccepted) {
    std::string id = registered("ext");
    HttpResponse r = post_error(
        "init/error", {{"Lambda-Extension-Identifier", id},
                       {"Lambda-Extension-Function-Error-Type", "Extension.ConfigInvalid"}});
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, k_ext_accepted);
    ASSERT_TRUE(registry.failure());
    EXPECT_EQ(registry.failure()->error_type, "Extension.InitError");
    EXPECT_EQ(registry.registered()[0].error_type, "Extension.ConfigInvalid");
}

TEST_F(ExtensionRoutesTest, ExitErrorIsAccepted) {
    std::string id = registered("ext");
    HttpResponse r = post_error("exit/error", {{"Lambda-Extension-Identifier", id},
                                               {"Lambda-Extension-Function-Error-Type", "X.Y"}});
    EXPECT_EQ(r.status, 202);
    EXPECT_EQ(r.body, k_ext_accepted);
    ASSERT_TRUE(registry.failure());
    EXPECT_EQ(registry.failure()->error_type, "Extension.ExitError");
}

TEST_F(ExtensionRoutesTest, ErrorWithoutItsTypeHeaderIsMissingHeader) {
    std::string id = registered("ext");
    for (const char* action : {"init/error", "exit/error"}) {
        HttpResponse r = post_error(action, {{"Lambda-Extension-Identifier", id}});
        EXPECT_EQ(r.status, 403) << action;
        EXPECT_EQ(r.body, ext_error("Extension.MissingHeader",
                                    "Lambda-Extension-Function-Error-Type not found"))
            << action;
        // RIE checks the header before looking the identifier up.
        HttpResponse unknown =
            post_error(action, {{"Lambda-Extension-Identifier", util::new_uuid()}});
        EXPECT_EQ(unknown.body, ext_error("Extension.MissingHeader",
                                          "Lambda-Extension-Function-Error-Type not found"))
            << action;
    }
    EXPECT_FALSE(registry.failure());
}

TEST_F(ExtensionRoutesTest, ErrorChecksTheIdentifier) {
    for (const char* action : {"init/error", "exit/error"}) {
        HttpResponse missing = post_error(action, {{"Lambda-Extension-Function-Error-Type", "T"}});
        EXPECT_EQ(missing.status, 403);
        EXPECT_EQ(missing.body, ext_error("Extension.MissingExtensionIdentifier",
                                          "Missing Lambda-Extension-Identifier header"));
        HttpResponse bad = post_error(action, {{"Lambda-Extension-Identifier", "bad"},
                                               {"Lambda-Extension-Function-Error-Type", "T"}});
        EXPECT_EQ(bad.body, ext_error("Extension.InvalidExtensionIdentifier",
                                      "Invalid Lambda-Extension-Identifier"));
        HttpResponse unknown =
            post_error(action, {{"Lambda-Extension-Identifier", util::new_uuid()},
                                {"Lambda-Extension-Function-Error-Type", "T"}});
        EXPECT_EQ(unknown.status, 403);
        EXPECT_EQ(unknown.body, ext_error("Extension.UnknownExtensionIdentifier",
                                          "Unknown Lambda-Extension-Identifier"));
    }
}

TEST_F(ExtensionRoutesTest, InitErrorAfterNextIsAStateTransitionError) {
    std::string id = registered("ext");
    next_async(id);
    ASSERT_EQ(registry.wait_ready(clock.steady_now() + k_ext_routes_generous),
              core::ExtensionsWait::ready);
    HttpResponse r = post_error("init/error", {{"Lambda-Extension-Identifier", id},
                                               {"Lambda-Extension-Function-Error-Type", "T"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, ext_error("Extension.InvalidExtensionState",
                                "State transition from Ready to InitError failed for extension " +
                                    id + ". Error: State transition is not allowed"));
}

TEST_F(ExtensionRoutesTest, TelemetryPutCallsSubscribeWithTheNameAndApiVersion) {
    std::string id = registered("ext");
    const std::string body = R"({"schemaVersion":"2022-12-13","types":["platform"]})";
    HttpResponse r = handle(
        ext_request("PUT", "/2022-07-01/telemetry", body, {{"Lambda-Extension-Identifier", id}}));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "OK");
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].api_version, "2022-07-01");
    EXPECT_EQ(calls[0].name, "ext");
    EXPECT_EQ(calls[0].body, body);
}

TEST_F(ExtensionRoutesTest, LogsPutCallsSubscribeWithTheLogsApiVersion) {
    std::string id = registered("ext");
    HttpResponse r = handle(ext_request("PUT", "/2020-08-15/logs", R"({"types":["platform"]})",
                                        {{"Lambda-Extension-Identifier", id}}));
    EXPECT_EQ(r.status, 200);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].api_version, "2020-08-15");
    EXPECT_EQ(calls[0].name, "ext");
}

TEST_F(ExtensionRoutesTest, SubscribeAnswerIsPassedThrough) {
    subscribe = [](std::string_view, const std::string&, const std::string&) {
        return api_error(403, "Telemetry.SubscriptionClosed",
                         "Telemetry API subscription is closed already");
    };
    std::string id = registered("ext");
    HttpResponse r = handle(
        ext_request("PUT", "/2022-07-01/telemetry", "{}", {{"Lambda-Extension-Identifier", id}}));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(r.body, ext_error("Telemetry.SubscriptionClosed",
                                "Telemetry API subscription is closed already"));
}

TEST_F(ExtensionRoutesTest, SubscribeChecksTheIdentifier) {
    HttpResponse missing = handle(ext_request("PUT", "/2022-07-01/telemetry", "{}"));
    EXPECT_EQ(missing.status, 403);
    EXPECT_EQ(missing.body, ext_error("Extension.MissingExtensionIdentifier",
                                      "Missing Lambda-Extension-Identifier header"));
    std::string unknown_id = util::new_uuid();
    HttpResponse unknown = handle(ext_request("PUT", "/2020-08-15/logs", "{}",
                                              {{"Lambda-Extension-Identifier", unknown_id}}));
    EXPECT_EQ(unknown.status, 403);
    EXPECT_EQ(unknown.body,
              ext_error("Extension.UnknownExtensionIdentifier", "Unknown extension " + unknown_id));
    EXPECT_TRUE(calls.empty());
}

TEST_F(ExtensionRoutesTest, SubscribeRefusesAMalformedIdentifierAsInvalid) {
    HttpResponse bad = handle(ext_request("PUT", "/2022-07-01/telemetry", "{}",
                                          {{"Lambda-Extension-Identifier", "nope"}}));
    EXPECT_EQ(bad.status, 403);
    EXPECT_EQ(bad.body, ext_error("Extension.InvalidExtensionIdentifier",
                                  "Invalid Lambda-Extension-Identifier"));
}

TEST_F(ExtensionRoutesTest, SubscribeWithoutATelemetryServiceIs500) {
    subscribe = nullptr;
    std::string id = registered("ext");
    HttpResponse r = handle(
        ext_request("PUT", "/2022-07-01/telemetry", "{}", {{"Lambda-Extension-Identifier", id}}));
    EXPECT_EQ(r.status, 500);
}

TEST_F(ExtensionRoutesTest, WrongMethodIs405) {
    const std::string method_not_allowed = ext_error("MethodNotAllowed", "Method Not Allowed");
    struct Case {
        const char* method;
        std::string target;
    };
    const Case cases[] = {
        {"GET", k_ext_base + "/register"},   {"POST", k_ext_base + "/event/next"},
        {"GET", k_ext_base + "/init/error"}, {"PUT", k_ext_base + "/exit/error"},
        {"POST", "/2022-07-01/telemetry"},   {"GET", "/2020-08-15/logs"},
    };
    for (const auto& c : cases) {
        HttpResponse r = handle(ext_request(c.method, c.target));
        EXPECT_EQ(r.status, 405) << c.method << " " << c.target;
        EXPECT_EQ(r.body, method_not_allowed) << c.method << " " << c.target;
    }
    EXPECT_FALSE(registry.has_registered());
    EXPECT_TRUE(calls.empty());
}

TEST_F(ExtensionRoutesTest, UnknownActionIs404) {
    for (const char* action : {"/nope", "/event", "/event/next/x", "/register/"}) {
        HttpResponse r = handle(ext_request("POST", k_ext_base + action));
        EXPECT_EQ(r.status, 404) << action;
        EXPECT_EQ(r.body, ext_error("NotFound", "Not Found")) << action;
    }
}

TEST_F(ExtensionRoutesTest, QueryStringIsIgnored) {
    registry.launched("ext");
    HttpResponse r = handle(
        ext_request("POST", k_ext_base + "/register?x=1", "", {{"Lambda-Extension-Name", "ext"}}));
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(ExtensionRoutesTest, TruncatedRequestIs400) {
    HttpRequest req =
        ext_request("POST", k_ext_base + "/register", "{\"ev", {{"Lambda-Extension-Name", "ext"}});
    req.truncated = true;
    HttpResponse r = handle(req);
    EXPECT_EQ(r.status, 400);
    EXPECT_FALSE(registry.has_registered());
}

}  // namespace

}  // namespace lambda_emu::runtime_api
