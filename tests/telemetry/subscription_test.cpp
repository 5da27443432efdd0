#include "telemetry/subscription.h"

#include <gtest/gtest.h>

#include <string>

namespace lambda_emu::telemetry {

namespace {

// A Telemetry API body with `extra` spliced in after the destination.
std::string telemetry_body(const std::string& destination, const std::string& extra = {}) {
    return R"({"schemaVersion":"2022-12-13","types":["platform","function"],"destination":)" +
           destination + extra + "}";
}

std::string logs_body(const std::string& destination, const std::string& extra = {}) {
    return R"({"types":["platform"],"destination":)" + destination + extra + "}";
}

const std::string k_http_dest = R"({"protocol":"HTTP","URI":"http://sandbox.localdomain:8080"})";

// The parse error's message, or "" when the body parsed.
std::string sub_error(Api api, const std::string& body) {
    auto r = parse_subscription(api, body);
    return r ? std::string() : r.error().message;
}

Subscription sub_ok(Api api, const std::string& body) {
    auto r = parse_subscription(api, body);
    EXPECT_TRUE(r) << body << ": " << (r ? "" : r.error().message);
    return r ? r.value() : Subscription{};
}

std::string http_uri(const std::string& uri) {
    return R"({"protocol":"HTTP","URI":")" + uri + R"("})";
}

TEST(SubscriptionDefaults, EachApiHasItsDocumentedDefaults) {
    Buffering t = default_buffering(Api::telemetry);
    EXPECT_EQ(t.max_items, 1000);
    EXPECT_EQ(t.max_bytes, 262144);
    EXPECT_EQ(t.timeout_ms, 100);
    Buffering l = default_buffering(Api::logs);
    EXPECT_EQ(l.max_items, 10000);
    EXPECT_EQ(l.max_bytes, 262144);
    EXPECT_EQ(l.timeout_ms, 1000);
}

TEST(SubscriptionParse, TelemetryWithoutBufferingTakesTheTelemetryDefaults) {
    Subscription s = sub_ok(Api::telemetry, telemetry_body(k_http_dest));
    EXPECT_EQ(s.api, Api::telemetry);
    EXPECT_EQ(s.types, (std::vector<std::string>{"platform", "function"}));
    EXPECT_EQ(s.buffering.max_items, 1000);
    EXPECT_EQ(s.buffering.max_bytes, 262144);
    EXPECT_EQ(s.buffering.timeout_ms, 100);
}

TEST(SubscriptionParse, LogsWithoutBufferingTakesTheLogsDefaults) {
    Subscription s = sub_ok(Api::logs, logs_body(k_http_dest));
    EXPECT_EQ(s.api, Api::logs);
    EXPECT_EQ(s.buffering.max_items, 10000);
    EXPECT_EQ(s.buffering.max_bytes, 262144);
    EXPECT_EQ(s.buffering.timeout_ms, 1000);
}

TEST(SubscriptionParse, PartialBufferingKeepsTheOtherDefaults) {
    Subscription t =
        sub_ok(Api::telemetry, telemetry_body(k_http_dest, R"(,"buffering":{"timeoutMs":25})"));
    EXPECT_EQ(t.buffering.max_items, 1000);
    EXPECT_EQ(t.buffering.max_bytes, 262144);
    EXPECT_EQ(t.buffering.timeout_ms, 25);
    Subscription l = sub_ok(Api::logs, logs_body(k_http_dest, R"(,"buffering":{"maxItems":2000})"));
    EXPECT_EQ(l.buffering.max_items, 2000);
    EXPECT_EQ(l.buffering.max_bytes, 262144);
    EXPECT_EQ(l.buffering.timeout_ms, 1000);
}

TEST(SubscriptionParse, BufferingBoundsAreInclusive) {
    Subscription low = sub_ok(
        Api::telemetry,
        telemetry_body(k_http_dest,
                       R"(,"buffering":{"maxItems":1000,"maxBytes":262144,"timeoutMs":25})"));
    EXPECT_EQ(low.buffering.max_items, 1000);
    EXPECT_EQ(low.buffering.max_bytes, 262144);
    EXPECT_EQ(low.buffering.timeout_ms, 25);
    Subscription high = sub_ok(
        Api::logs,
        logs_body(k_http_dest,
                  R"(,"buffering":{"maxItems":10000,"maxBytes":1048576,"timeoutMs":30000})"));
    EXPECT_EQ(high.buffering.max_items, 10000);
    EXPECT_EQ(high.buffering.max_bytes, 1048576);
    EXPECT_EQ(high.buffering.timeout_ms, 30000);
}

TEST(SubscriptionParse, BufferingOutsideItsRangeIsRefusedNamingTheField) {
    struct Case {
        const char* buffering;
        const char* message;
    };
    const Case cases[] = {
        {R"({"maxItems":999})", "buffering.maxItems must be between 1000 and 10000, got 999"},
        {R"({"maxItems":10001})", "buffering.maxItems must be between 1000 and 10000, got 10001"},
        {R"({"maxBytes":262143})",
         "buffering.maxBytes must be between 262144 and 1048576, got 262143"},
        {R"({"maxBytes":1048577})",
         "buffering.maxBytes must be between 262144 and 1048576, got 1048577"},
        {R"({"timeoutMs":24})", "buffering.timeoutMs must be between 25 and 30000, got 24"},
        {R"({"timeoutMs":30001})", "buffering.timeoutMs must be between 25 and 30000, got 30001"},
        {R"({"timeoutMs":-1})", "buffering.timeoutMs must be between 25 and 30000, got -1"},
        {R"({"maxItems":"1000"})", "buffering.maxItems must be an integer"},
        {R"({"timeoutMs":100.5})", "buffering.timeoutMs must be an integer"},
    };
    for (const auto& c : cases) {
        std::string extra = std::string(R"(,"buffering":)") + c.buffering;
        EXPECT_EQ(sub_error(Api::telemetry, telemetry_body(k_http_dest, extra)), c.message)
            << c.buffering;
        EXPECT_EQ(sub_error(Api::logs, logs_body(k_http_dest, extra)), c.message) << c.buffering;
    }
    EXPECT_EQ(sub_error(Api::logs, logs_body(k_http_dest, R"(,"buffering":[])")),
              "buffering must be an object");
}

TEST(SubscriptionParse, TelemetryApiRequiresASupportedSchemaVersion) {
    const std::string no_version = R"({"types":["platform"],"destination":)" + k_http_dest + "}";
    EXPECT_EQ(sub_error(Api::telemetry, no_version),
              "schemaVersion is required (\"2022-07-01\", \"2022-12-13\" or \"2025-01-29\")");
    // The Logs API has no schemaVersion.
    EXPECT_EQ(sub_error(Api::logs, no_version), "");
    for (const char* v : {"2022-07-01", "2022-12-13", "2025-01-29"}) {
        std::string body = std::string(R"({"schemaVersion":")") + v +
                           R"(","types":["platform"],"destination":)" + k_http_dest + "}";
        EXPECT_EQ(sub_error(Api::telemetry, body), "") << v;
    }
    std::string old =
        R"({"schemaVersion":"2021-01-01","types":["platform"],"destination":)" + k_http_dest + "}";
    EXPECT_EQ(sub_error(Api::telemetry, old), "schemaVersion 2021-01-01 is not supported");
    std::string number =
        R"({"schemaVersion":20220701,"types":["platform"],"destination":)" + k_http_dest + "}";
    EXPECT_NE(sub_error(Api::telemetry, number), "");
}

TEST(SubscriptionParse, TypesAreCheckedAndDeduplicatedInOrder) {
    Subscription s =
        sub_ok(Api::logs, R"({"types":["extension","platform","extension"],"destination":)" +
                              k_http_dest + "}");
    EXPECT_EQ(s.types, (std::vector<std::string>{"extension", "platform"}));

    const std::string types_msg =
        "types must be a non-empty array of \"platform\", \"function\", \"extension\"";
    EXPECT_EQ(sub_error(Api::logs, R"({"destination":)" + k_http_dest + "}"), types_msg);
    EXPECT_EQ(sub_error(Api::logs, R"({"types":[],"destination":)" + k_http_dest + "}"), types_msg);
    EXPECT_EQ(sub_error(Api::logs, R"({"types":"platform","destination":)" + k_http_dest + "}"),
              types_msg);
    EXPECT_EQ(sub_error(Api::logs, R"({"types":["Platform"],"destination":)" + k_http_dest + "}"),
              "types may hold only \"platform\", \"function\" and \"extension\", got \"Platform\"");
    EXPECT_EQ(sub_error(Api::logs, R"({"types":[1],"destination":)" + k_http_dest + "}"),
              "types may hold only \"platform\", \"function\" and \"extension\", got 1");
}

TEST(SubscriptionParse, BodyMustBeAJsonObjectWithADestination) {
    EXPECT_EQ(sub_error(Api::logs, ""), "the request body must be a JSON object");
    EXPECT_EQ(sub_error(Api::logs, "not json"), "the request body must be a JSON object");
    EXPECT_EQ(sub_error(Api::logs, "[]"), "the request body must be a JSON object");
    EXPECT_EQ(sub_error(Api::logs, R"({"types":["platform"]})"), "destination is required");
    EXPECT_EQ(sub_error(Api::logs, R"({"types":["platform"],"destination":"x"})"),
              "destination must be an object");
}

TEST(SubscriptionDestination, SandboxHostsMapToLoopback) {
    for (const char* host :
         {"sandbox.localdomain", "sandbox", "localhost", "127.0.0.1", "127.0.0.2"}) {
        std::string uri = std::string("http://") + host + ":4243/logs/in";
        Subscription s = sub_ok(Api::logs, logs_body(http_uri(uri)));
        EXPECT_EQ(s.destination.protocol, Destination::Protocol::http) << host;
        EXPECT_EQ(s.destination.host, "127.0.0.1") << host;
        EXPECT_EQ(s.destination.port, 4243) << host;
        EXPECT_EQ(s.destination.path, "/logs/in") << host;
    }
}

TEST(SubscriptionDestination, UriWithoutPathOrPortDefaults) {
    Subscription no_path = sub_ok(Api::logs, logs_body(http_uri("http://sandbox:8080")));
    EXPECT_EQ(no_path.destination.path, "/");
    EXPECT_EQ(no_path.destination.port, 8080);
    Subscription no_port = sub_ok(Api::logs, logs_body(http_uri("http://sandbox.localdomain/x")));
    EXPECT_EQ(no_port.destination.port, 80);
    EXPECT_EQ(no_port.destination.path, "/x");
}

TEST(SubscriptionDestination, OtherHostsAreRefused) {
    for (const char* uri : {"http://example.com:8080", "http://10.0.0.1:8080",
                            "http://sandbox.localdomain.evil:8080", "http://:8080"}) {
        std::string msg = sub_error(Api::logs, logs_body(http_uri(uri)));
        EXPECT_EQ(msg, std::string("destination.URI must name sandbox.localdomain (or a loopback "
                                   "address), got ") +
                           uri)
            << uri;
    }
}

TEST(SubscriptionDestination, BadUrisAndPortsAreRefused) {
    EXPECT_EQ(sub_error(Api::logs, logs_body(http_uri("https://sandbox:8080"))),
              "destination.URI must start with http://");
    EXPECT_EQ(sub_error(Api::logs, logs_body(R"({"protocol":"HTTP"})")),
              "destination.URI is required for HTTP");
    for (const char* uri : {"http://sandbox:", "http://sandbox:0", "http://sandbox:65536",
                            "http://sandbox:123456", "http://sandbox:80a"}) {
        EXPECT_EQ(sub_error(Api::logs, logs_body(http_uri(uri))),
                  std::string("destination.URI has an invalid port: ") + uri)
            << uri;
    }
    EXPECT_EQ(sub_error(Api::logs, logs_body(http_uri("http://sandbox:9001"))),
              "destination port 9001 is reserved");
    EXPECT_EQ(sub_error(Api::logs, logs_body(http_uri("http://sandbox:65535"))), "");
}

TEST(SubscriptionDestination, ProtocolMustBeHttpOrTcp) {
    const std::string msg = "destination.protocol must be \"HTTP\" or \"TCP\"";
    EXPECT_EQ(sub_error(Api::logs, logs_body(R"({"protocol":"UDP","port":4243})")), msg);
    EXPECT_EQ(sub_error(Api::logs, logs_body(R"({"protocol":"http","URI":"http://sandbox:1"})")),
              msg);
    EXPECT_EQ(sub_error(Api::logs, logs_body(R"({"URI":"http://sandbox:1"})")), msg);
}

TEST(SubscriptionDestination, TcpTakesAPort) {
    Subscription s = sub_ok(Api::telemetry, telemetry_body(R"({"protocol":"TCP","port":4243})"));
    EXPECT_EQ(s.destination.protocol, Destination::Protocol::tcp);
    EXPECT_EQ(s.destination.host, "127.0.0.1");
    EXPECT_EQ(s.destination.port, 4243);
    const std::string port_msg = "destination.port must be a port number (1-65535)";
    for (const char* dest :
         {R"({"protocol":"TCP"})", R"({"protocol":"TCP","port":0})",
          R"({"protocol":"TCP","port":65536})", R"({"protocol":"TCP","port":"4243"})"}) {
        EXPECT_EQ(sub_error(Api::telemetry, telemetry_body(dest)), port_msg) << dest;
    }
    EXPECT_EQ(sub_error(Api::telemetry, telemetry_body(R"({"protocol":"TCP","port":9001})")),
              "destination port 9001 is reserved");
}

}  // namespace

}  // namespace lambda_emu::telemetry
