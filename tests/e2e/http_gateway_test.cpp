// The HTTP front ends of `serve --http-port` for the APIs of lambda-emu.json: API Gateway REST
// APIs, HTTP APIs and ALBs, driven by real HTTP clients (curl, Python urllib and raw sockets),
// with every event the front ends build checked against Powertools' schemas.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>

#include "e2e/background_process.h"
#include "e2e/event_schema.h"
#include "e2e/run_command.h"

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A stdlib-only Python runtime that answers in the shape of the event's front end, by path:
// /error fails, /bad returns a malformed response, /plain a JSON value without statusCode,
// /binary echoes the body, anything else echoes the event as the body.
const char* k_handler = R"PY(#!/usr/bin/python3
import http.client, json, os
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
conn = http.client.HTTPConnection(host, int(port))
base = "/2018-06-01/runtime/invocation/"
while True:
    conn.request("GET", base + "next")
    res = conn.getresponse()
    event = json.loads(res.read())
    rid = res.getheader("Lambda-Runtime-Aws-Request-Id")
    ctx = event.get("requestContext", {})
    kind = "alb" if "elb" in ctx else "v2" if event.get("version") == "2.0" else "v1"
    path = event.get("rawPath") or event.get("path") or ""
    verb = "response"
    if path.endswith("/error"):
        verb, out = "error", {"errorMessage": "nope", "errorType": "HandlerError"}
    elif path.endswith("/bad"):
        out = {"statusCode": "teapot"}
    elif path.endswith("/plain"):
        out = {"hello": "world"}
    elif path.endswith("/binary"):
        out = {"statusCode": 200, "headers": {"content-type": "application/octet-stream"},
               "multiValueHeaders": {"content-type": ["application/octet-stream"]},
               "body": event.get("body") or "", "isBase64Encoded": event["isBase64Encoded"]}
    else:
        out = {"statusCode": 201, "headers": {"content-type": "application/json", "x-kind": kind,
                                              "x-single": "s"},
               "body": json.dumps(event)}
        if kind == "v2":
            out["cookies"] = ["a=1; Path=/", "b=2"]
        else:
            out["multiValueHeaders"] = {"x-multi": ["m1", "m2"],
                                        "content-type": ["application/json"]}
    conn.request("POST", base + rid + "/" + verb, json.dumps(out))
    conn.getresponse().read()
)PY";

const char* k_config = R"({
  "functions": [{"name": "web", "bootstrap": "bootstrap"}],
  "apis": [
    {"type": "rest", "name": "shop", "stage": "prod", "stage_variables": {"env": "local"},
     "routes": {"GET /orders/{id}": "web", "ANY /{proxy+}": "web"}},
    {"type": "http", "name": "site", "base_path": "/v2",
     "routes": {"GET /orders/{id}": "web", "$default": "web"}},
    {"type": "alb", "name": "lb", "base_path": "/alb", "routes": {"/orders/*": "web"}},
    {"type": "alb", "name": "lbmv", "base_path": "/albmv", "multi_value_headers": true,
     "routes": {"GET /orders/*": "web", "$default": "web"}}
  ]
})";

class Gateway : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        s_dir = fs::temp_directory_path() / ("lambda-emu-gateway-" + std::to_string(::getpid()));
        fs::create_directories(s_dir);
        std::ofstream(s_dir / "bootstrap") << k_handler;
        ::chmod((s_dir / "bootstrap").c_str(), 0755);
        std::ofstream(s_dir / "lambda-emu.json") << k_config;
        s_server = new Server(
            start_serve({"--http-port", "0", "--config", (s_dir / "lambda-emu.json").string()}));
        auto port = s_server->process->wait_for(
            std::regex(R"(Function URLs on http://127\.0\.0\.1:(\d+))"));
        if (port) s_base = "http://127.0.0.1:" + *port;
    }
    static void TearDownTestSuite() {
        if (s_server) s_server->process->stop(SIGINT);
        delete s_server;
        s_server = nullptr;
        std::error_code ec;
        fs::remove_all(s_dir, ec);
    }
    void SetUp() override { ASSERT_FALSE(s_base.empty()) << s_server->process->err(); }

    struct Response {
        int status = 0;
        std::string head;
        std::string body;
    };
    // curl -i with extra arguments; the status line and headers, and the body.
    static Response curl(const std::string& path, std::vector<std::string> args = {}) {
        std::vector<std::string> argv = {"curl", "-sS", "-i"};
        argv.insert(argv.end(), args.begin(), args.end());
        argv.push_back(s_base + path);
        auto r = run_command(argv);
        Response out;
        std::string_view k_continue = "HTTP/1.1 100 Continue\r\n\r\n";
        if (r.out.rfind(k_continue, 0) == 0) r.out.erase(0, k_continue.size());
        std::size_t split = r.out.find("\r\n\r\n");
        out.head = r.out.substr(0, split);
        out.body = split == std::string::npos ? "" : r.out.substr(split + 4);
        std::smatch m;
        if (std::regex_search(out.head, m, std::regex(R"(HTTP/1\.1 (\d{3}))")))
            out.status = std::stoi(m[1]);
        return out;
    }
    static std::string log() { return s_server->process->err(); }

    static inline fs::path s_dir;
    static inline Server* s_server = nullptr;
    static inline std::string s_base;
};

TEST_F(Gateway, StartupListsEveryRouteOfEveryApi) {
    std::string err = log();
    EXPECT_NE(err.find("REST API 'shop' (stage prod) on /prod: GET /orders/{id} -> web"),
              std::string::npos)
        << err;
    EXPECT_NE(err.find("HTTP API 'site' on /v2: $default -> web"), std::string::npos);
    EXPECT_NE(err.find("ALB 'lbmv' on /albmv: GET /orders/* -> web"), std::string::npos);
}

TEST_F(Gateway, RestApiBuildsTheProxyEventWithPathParametersStageVariablesAndMultiValues) {
    auto r = curl("/prod/orders/42?a=1&a=2&b=x%20y",
                  {"-H", "X-Multi: one", "-H", "X-Multi: two", "-H", "Cookie: c=1"});
    ASSERT_EQ(r.status, 201) << r.head << r.body;
    EXPECT_NE(r.head.find("x-multi: m1\r\nx-multi: m2"), std::string::npos) << r.head;
    EXPECT_NE(r.head.find("x-single: s"), std::string::npos) << r.head;
    json e = json::parse(r.body);
    EXPECT_EQ(event_schema_problems("APIGatewayProxyEventSchema", r.body), "");
    EXPECT_EQ(e["resource"], "/orders/{id}");
    EXPECT_EQ(e["path"], "/orders/42");
    EXPECT_EQ(e["httpMethod"], "GET");
    EXPECT_EQ(e["pathParameters"], json({{"id", "42"}}));
    EXPECT_EQ(e["stageVariables"], json({{"env", "local"}}));
    EXPECT_EQ(e["queryStringParameters"], json({{"a", "2"}, {"b", "x y"}}));
    EXPECT_EQ(e["multiValueQueryStringParameters"]["a"], json({"1", "2"}));
    EXPECT_EQ(e["headers"]["X-Multi"], "two");
    EXPECT_EQ(e["multiValueHeaders"]["X-Multi"], json({"one", "two"}));
    EXPECT_EQ(e["headers"]["Cookie"], "c=1");
    EXPECT_EQ(e["body"], nullptr);
    EXPECT_EQ(e["requestContext"]["stage"], "prod");
    EXPECT_EQ(e["requestContext"]["path"], "/prod/orders/42");
    EXPECT_EQ(e["requestContext"]["resourcePath"], "/orders/{id}");
    EXPECT_EQ(e["requestContext"]["identity"]["sourceIp"], "127.0.0.1");

    // A greedy resource takes the rest of the path, for any method.
    auto greedy = curl("/prod/files/a/b.txt", {"-X", "POST", "--data-binary", "{\"n\":1}", "-H",
                                               "Content-Type: application/json"});
    ASSERT_EQ(greedy.status, 201) << greedy.body;
    json g = json::parse(greedy.body);
    EXPECT_EQ(event_schema_problems("APIGatewayProxyEventSchema", greedy.body), "");
    EXPECT_EQ(g["resource"], "/{proxy+}");
    EXPECT_EQ(g["pathParameters"], json({{"proxy", "files/a/b.txt"}}));
    EXPECT_EQ(g["body"], "{\"n\":1}");
    EXPECT_EQ(g["isBase64Encoded"], false);
    EXPECT_EQ(g["queryStringParameters"], nullptr);
}

TEST_F(Gateway, RestApiAnswersAsApiGatewayDoes) {
    // No resource matches the stage root: API Gateway's 403.
    auto none = curl("/prod/");
    EXPECT_EQ(none.status, 403);
    EXPECT_EQ(none.body, R"({"message":"Missing Authentication Token"})");
    EXPECT_NE(none.head.find("x-amzn-ErrorType: MissingAuthenticationTokenException"),
              std::string::npos);
    // A failed function, a malformed response and one without statusCode: 502.
    for (const char* path : {"/prod/x/error", "/prod/x/bad", "/prod/x/plain"}) {
        auto r = curl(path);
        EXPECT_EQ(r.status, 502) << path;
        EXPECT_EQ(r.body, R"({"message": "Internal server error"})") << path;
    }
    EXPECT_NE(log().find("REST API 'shop' answered 502: the function failed"), std::string::npos)
        << log();
    EXPECT_NE(log().find("REST API 'shop' answered 502: statusCode is missing or not an integer"),
              std::string::npos);
}

TEST_F(Gateway, HttpApiChoosesTheMostSpecificRouteThenDefault) {
    auto r = curl("/v2/orders/7?x=1&x=2", {"-H", "Cookie: a=1; b=2"});
    ASSERT_EQ(r.status, 201) << r.head << r.body;
    EXPECT_NE(r.head.find("set-cookie: a=1; Path=/\r\nset-cookie: b=2"), std::string::npos)
        << r.head;
    EXPECT_NE(r.head.find("apigw-requestid: "), std::string::npos);
    EXPECT_EQ(event_schema_problems("APIGatewayProxyEventV2Schema", r.body), "");
    json e = json::parse(r.body);
    EXPECT_EQ(e["routeKey"], "GET /orders/{id}");
    EXPECT_EQ(e["requestContext"]["routeKey"], "GET /orders/{id}");
    EXPECT_EQ(e["rawPath"], "/orders/7");
    EXPECT_EQ(e["pathParameters"], json({{"id", "7"}}));
    EXPECT_EQ(e["queryStringParameters"]["x"], "1,2");
    EXPECT_EQ(e["cookies"], json({"a=1", "b=2"}));

    auto other = curl("/v2/something/else", {"-X", "DELETE"});
    ASSERT_EQ(other.status, 201) << other.body;
    json d = json::parse(other.body);
    EXPECT_EQ(event_schema_problems("APIGatewayProxyEventV2Schema", other.body), "");
    EXPECT_EQ(d["routeKey"], "$default");
    EXPECT_FALSE(d.contains("pathParameters"));
    EXPECT_EQ(d["requestContext"]["http"]["method"], "DELETE");

    // The inference rule, and the 502s.
    auto plain = curl("/v2/plain");
    EXPECT_EQ(plain.status, 200);
    EXPECT_EQ(plain.body, R"({"hello": "world"})") << "the raw JSON text, as the handler sent it";
    EXPECT_NE(plain.head.find("Content-Type: application/json"), std::string::npos);
    for (const char* path : {"/v2/error", "/v2/bad"}) {
        auto bad = curl(path);
        EXPECT_EQ(bad.status, 502) << path;
        EXPECT_EQ(bad.body, R"({"message":"Internal Server Error"})");
    }
}

TEST_F(Gateway, AlbWithAndWithoutMultiValueHeaders) {
    auto single = curl("/alb/orders/1?q=a%20b&q=c", {"-H", "X-Multi: one", "-H", "X-Multi: two"});
    ASSERT_EQ(single.status, 201) << single.head << single.body;
    EXPECT_EQ(event_schema_problems("AlbSchema", single.body), "");
    json s = json::parse(single.body);
    EXPECT_EQ(s["path"], "/orders/1");
    EXPECT_EQ(s["queryStringParameters"], json({{"q", "c"}}));
    EXPECT_EQ(s["headers"]["x-multi"], "two");
    EXPECT_FALSE(s.contains("multiValueHeaders"));
    EXPECT_TRUE(s["requestContext"]["elb"]["targetGroupArn"].get<std::string>().rfind(
                    "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lb/", 0) == 0);
    // Without multi-value headers the ALB sends the response's headers, not multiValueHeaders.
    EXPECT_NE(single.head.find("x-single: s"), std::string::npos) << single.head;
    EXPECT_EQ(single.head.find("x-multi:"), std::string::npos) << single.head;

    auto multi = curl("/albmv/orders/1?q=a%20b&q=c", {"-H", "X-Multi: one", "-H", "X-Multi: two"});
    ASSERT_EQ(multi.status, 201) << multi.head << multi.body;
    EXPECT_EQ(event_schema_problems("AlbMultiValueHeadersSchema", multi.body), "");
    json m = json::parse(multi.body);
    EXPECT_EQ(m["multiValueQueryStringParameters"]["q"], json({"a%20b", "c"}));
    EXPECT_EQ(m["multiValueHeaders"]["x-multi"], json({"one", "two"}));
    EXPECT_FALSE(m.contains("headers"));
    EXPECT_NE(multi.head.find("x-multi: m1\r\nx-multi: m2"), std::string::npos) << multi.head;
    EXPECT_EQ(multi.head.find("x-single:"), std::string::npos) << multi.head;

    // No rule matches on the first ALB: its 404; a failed function: its 502 page.
    EXPECT_EQ(curl("/alb/elsewhere").status, 404);
    auto failed = curl("/albmv/x/error");
    EXPECT_EQ(failed.status, 502);
    EXPECT_NE(failed.body.find("502 Bad Gateway"), std::string::npos);
}

TEST_F(Gateway, BinaryBodiesTravelAsBase64BothWaysOnEveryFrontEnd) {
    std::string script = R"PY(
import sys, urllib.request
data = bytes(range(256)) * 4
req = urllib.request.Request(sys.argv[1], data=data,
                             headers={"Content-Type": "application/octet-stream"})
with urllib.request.urlopen(req) as res:
    print(res.status, res.headers["Content-Type"], res.read() == data)
)PY";
    for (const char* path :
         {"/prod/up/binary", "/v2/up/binary", "/albmv/up/binary", "/lambda-url/web/binary"}) {
        auto py = run_command({"/usr/bin/python3", "-c", script, s_base + path});
        EXPECT_EQ(py.out, "200 application/octet-stream True\n") << path << ": " << py.err;
    }
}

TEST_F(Gateway, FunctionUrlEventsPassTheSchema) {
    auto r = curl("/lambda-url/web/orders/7?x=1", {"-X", "POST", "-H", "Cookie: a=1", "-H",
                                                   "Content-Type: text/plain", "--data", "hi"});
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(event_schema_problems("LambdaFunctionUrlSchema", r.body), "");
    EXPECT_EQ(json::parse(r.body)["body"], "hi");
}

TEST_F(Gateway, OversizedAndMalformedRequestsGetTheFrontEndsStatus) {
    auto big = fs::path(s_dir) / "big.bin";
    {
        std::ofstream out(big, std::ios::binary);
        std::string chunk(1024 * 1024, 'x');
        for (int i = 0; i < 11; ++i) out << chunk;
    }
    std::vector<std::string> upload = {
        "-X", "POST", "-H", "Content-Type: text/plain", "--data-binary", "@" + big.string()};
    // Over API Gateway's 10 MB: 413 before any invocation.
    auto rest = curl("/prod/upload", upload);
    EXPECT_EQ(rest.status, 413);
    EXPECT_EQ(rest.body, R"({"message":"Request Too Long"})");
    // Over an ALB's 1 MB for Lambda targets.
    EXPECT_EQ(curl("/albmv/upload", upload).status, 413);
    // Within API Gateway's limit but over Lambda's 6 MB invoke limit: the invoke is refused and
    // API Gateway answers 500.
    fs::resize_file(big, 7 * 1024 * 1024);
    auto over_invoke = curl("/v2/upload", upload);
    EXPECT_EQ(over_invoke.status, 500);
    EXPECT_EQ(over_invoke.body, R"({"message":"Internal Server Error"})");
    // Garbage instead of HTTP: 400 from the listener, which keeps serving.
    std::string script = R"PY(
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"\x00\xff garbage \r\n\r\n")
print(s.recv(100).split(b"\r\n")[0].decode())
)PY";
    std::string port = s_base.substr(s_base.rfind(':') + 1);
    auto garbage = run_command({"/usr/bin/python3", "-c", script, port});
    EXPECT_EQ(garbage.out, "HTTP/1.1 400 Bad Request\n") << garbage.err;
    EXPECT_EQ(curl("/v2/orders/1").status, 201);
}

// A runtime that streams its response over a raw socket, as the Rust and Node clients do:
// chunked, with the HTTP integration prelude and 8 NUL bytes first. It sends "first", then waits
// for the file named by ?go= (which the client creates once it has read "first") before the rest,
// so the test sees streaming without timing anything. /fail ends with an error trailer instead.
const char* k_streaming_handler = R"PY(#!/usr/bin/python3
import base64, http.client, json, os, socket, time
host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
conn = http.client.HTTPConnection(host, int(port))
base = "/2018-06-01/runtime/invocation/"
def chunk(s, data):
    s.sendall(b"%x\r\n" % len(data) + data + b"\r\n")
while True:
    conn.request("GET", base + "next")
    res = conn.getresponse()
    event = json.loads(res.read())
    rid = res.getheader("Lambda-Runtime-Aws-Request-Id")
    go = (event.get("queryStringParameters") or {}).get("go", "")
    s = socket.create_connection((host, int(port)))
    plain = event["rawPath"] == "/events"
    s.sendall(("POST " + base + rid + "/response HTTP/1.1\r\nHost: runtime\r\n"
               "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
               "Transfer-Encoding: chunked\r\nContent-Type: " +
               ("text/event-stream" if plain else
                "application/vnd.awslambda.http-integration-response") +
               "\r\nTrailer: Lambda-Runtime-Function-Error-Type, "
               "Lambda-Runtime-Function-Error-Body\r\n\r\n").encode())
    prelude = json.dumps({"statusCode": 201, "cookies": ["s=1"],
                          "headers": {"content-type": "text/plain", "x-streamed": "yes"}})
    chunk(s, (b"" if plain else prelude.encode() + b"\0" * 8) + b"first\n")
    deadline = time.time() + 10
    while go and not os.path.exists(go) and time.time() < deadline:
        time.sleep(0.005)
    seen = "after-the-client-read-first" if go and os.path.exists(go) else "timed-out"
    if event["rawPath"] == "/fail":
        error = base64.b64encode(b'{"errorMessage":"broke","errorType":"Runtime.StreamError"}')
        s.sendall(b"0\r\nLambda-Runtime-Function-Error-Type: Runtime.StreamError\r\n"
                  b"Lambda-Runtime-Function-Error-Body: " + error + b"\r\n\r\n")
    else:
        chunk(s, ("second " + seen + "\n").encode())
        s.sendall(b"0\r\n\r\n")
    s.recv(4096)
    s.close()
)PY";

// The client: reads the head and the first line, says so through the file, reads the rest.
const char* k_streaming_client = R"PY(
import http.client, sys
port, path, flag = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
c.request("GET", path + "?go=" + flag)
r = c.getresponse()
print(r.status, r.getheader("Content-Type"), r.getheader("x-streamed"), r.getheader("Set-Cookie"),
      r.getheader("Transfer-Encoding"))
print(r.readline().decode().strip())
open(flag, "w").close()
try:
    print(r.read().decode().strip())
except http.client.IncompleteRead as e:
    print("cut short after", repr(e.partial.decode()))
)PY";

TEST(GatewayStreaming, FunctionUrlsPassAStreamedResponseOnChunkByChunk) {
    auto dir = fs::temp_directory_path() / ("lambda-emu-stream-" + std::to_string(::getpid()));
    fs::create_directories(dir / "stream");
    std::ofstream(dir / "stream" / "bootstrap") << k_streaming_handler;
    ::chmod((dir / "stream" / "bootstrap").c_str(), 0755);
    auto server = start_serve({"--http-port", "0", (dir / "stream").string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto port =
        server.process->wait_for(std::regex(R"(Function URLs on http://127\.0\.0\.1:(\d+))"));
    ASSERT_TRUE(port) << server.process->err();
    auto client = [&](const std::string& path, const std::string& flag) {
        return run_command({"/usr/bin/python3", "-c", k_streaming_client, *port,
                            "/lambda-url/stream" + path, (dir / flag).string()});
    };

    // The prelude becomes the status and headers; "first" reaches the client while the handler
    // is still waiting for the client to have read it.
    auto ok = client("/ok", "go-ok");
    EXPECT_EQ(ok.out, "201 text/plain yes s=1 chunked\nfirst\nsecond after-the-client-read-first\n")
        << ok.err << server.process->err();

    // Without the HTTP integration content type the stream is the body, as a 200.
    auto plain = client("/events", "go-plain");
    EXPECT_EQ(
        plain.out,
        "200 text/event-stream None None chunked\nfirst\nsecond after-the-client-read-first\n")
        << plain.err;

    // An error trailer part-way: the client has had the head and "first", and the body is cut
    // short rather than ended.
    auto failed = client("/fail", "go-fail");
    EXPECT_EQ(failed.out, "201 text/plain yes s=1 chunked\nfirst\ncut short after ''\n")
        << failed.err;

    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::string err = server.process->err();
    EXPECT_NE(err.find("Function URL stream cut short: Runtime.StreamError"), std::string::npos)
        << err;
    std::error_code ec;
    fs::remove_all(dir, ec);
}

// The same through AWS's Node.js runtime interface client (aws-lambda-ric from npm), whose
// awslambda.streamifyResponse and HttpResponseStream write the prelude and the chunks.
const char* k_node_streaming_handler = R"JS(
import { existsSync } from "node:fs";
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const go = (event.queryStringParameters || {}).go || "";
  const stream = awslambda.HttpResponseStream.from(responseStream, {
    statusCode: 201, cookies: ["s=1"],
    headers: { "content-type": "text/plain", "x-streamed": "yes" },
  });
  stream.write("first\n");
  const deadline = Date.now() + 10000;
  while (go && !existsSync(go) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  stream.write("second " + (go && existsSync(go) ? "after-the-client-read-first" : "timed-out") +
               "\n");
  stream.end();
});
)JS";

TEST(GatewayStreaming, TheNodeRuntimeClientsStreamedResponsesArePassedOn) {
    auto dir = fs::temp_directory_path() / ("lambda-emu-node-stream-" + std::to_string(::getpid()));
    fs::create_directories(dir / "fn");
    fs::copy_file(source_path("examples/node/bootstrap"), dir / "fn" / "bootstrap",
                  fs::copy_options::overwrite_existing);
    std::ofstream(dir / "fn" / "index.mjs") << k_node_streaming_handler;
    const std::string modules = LAMBDA_EMU_NODE_MODULES;
    ASSERT_TRUE(fs::exists(fs::path(modules) / "aws-lambda-ric" / "index.mjs"))
        << "aws-lambda-ric is not installed at " << modules;
    auto server =
        start_serve({"--http-port", "0", "--handler", "index.handler", "--timeout", "20", "--env",
                     "LAMBDA_EMU_NODE_MODULES=" + modules, (dir / "fn").string()});
    ASSERT_GT(server.port, 0) << server.process->err();
    auto port =
        server.process->wait_for(std::regex(R"(Function URLs on http://127\.0\.0\.1:(\d+))"));
    ASSERT_TRUE(port) << server.process->err();
    auto r = run_command({"/usr/bin/python3", "-c", k_streaming_client, *port, "/lambda-url/fn/",
                          (dir / "go").string()},
                         "", std::chrono::seconds(40));
    EXPECT_EQ(r.out, "201 text/plain yes s=1 chunked\nfirst\nsecond after-the-client-read-first\n")
        << r.err << server.process->err();
    EXPECT_EQ(server.process->stop(SIGINT), 0);
    std::error_code ec;
    fs::remove_all(dir, ec);
}

}  // namespace

}  // namespace lambda_emu::testing
