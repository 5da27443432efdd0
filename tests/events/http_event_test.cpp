#include "events/http_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace lambda_emu::events {

namespace {

// A request whose path, query and a header hold bytes that are not UTF-8 (Latin-1 "café", a
// %FF escape), as a client may send them.
HttpRequestData request_with_raw_bytes() {
    HttpRequestData r;
    r.method = "GET";
    r.raw_path = "/caf\xe9";
    r.raw_query = "q=%FF&name=caf\xe9";
    r.headers = {{"X-Name", "caf\xe9"}, {"Host", "example.com"}};
    r.source_ip = "198.51.100.7";
    return r;
}

}  // namespace

TEST(HttpEvent, BytesThatAreNotUtf8BecomeReplacementCharacters) {
    const HttpRequestData request = request_with_raw_bytes();
    FunctionUrlContext url;
    url.url_id = "abcdefghijklmnopqrstuvwxyz012345";
    GatewayContext gateway;
    gateway.api_id = "a1b2c3d4e5";
    gateway.route = "GET /{name}";
    gateway.path_parameters = {{"name", "caf\xe9"}};
    const std::string replaced = "caf\xef\xbf\xbd";  // U+FFFD for the byte 0xE9
    for (const std::string& text :
         {function_url_event(request, url), http_api_event(request, gateway),
          rest_api_event(request, gateway), alb_event(request, gateway)}) {
        const nlohmann::json e = nlohmann::json::parse(text, nullptr, false);
        ASSERT_FALSE(e.is_discarded()) << text;
        EXPECT_EQ(e.contains("rawPath") ? e["rawPath"] : e["path"], "/" + replaced) << text;
        // REST APIs keep the header's case; the others send it in lower case.
        const nlohmann::json& headers = e["headers"];
        EXPECT_EQ(headers.contains("x-name") ? headers["x-name"] : headers["X-Name"], replaced)
            << text;
    }
}

}  // namespace lambda_emu::events
