// The "apis" of lambda-emu.json: REST APIs, HTTP APIs and ALBs with their routes.
#include <gtest/gtest.h>

#include "config/config_file.h"

namespace lambda_emu::config {

namespace {

const char* k_functions = R"("functions":[{"name":"orders","bootstrap":"b"},
                                          {"name":"health","bootstrap":"b"}])";

util::Result<ConfigFile> parse_apis(const std::string& apis) {
    return parse_config("{" + std::string(k_functions) + R"(,"apis":)" + apis + "}",
                        "/srv/lambda-emu.json");
}

std::string error_of(const std::string& apis) {
    auto r = parse_apis(apis);
    EXPECT_FALSE(r.ok()) << apis;
    return r.ok() ? "" : r.error().message;
}

}  // namespace

TEST(ApiEntry, ReadsEachTypeWithItsDefaultsAndRoutesInOrder) {
    auto c = parse_apis(R"([
      {"type":"rest","name":"shop","stage":"dev","stage_variables":{"env":"local"},
       "routes":{"GET /orders/{id}":"orders","ANY /{proxy+}":"health"}},
      {"type":"http","routes":{"$default":"health","POST /orders":"orders"}},
      {"type":"alb","base_path":"/lb","multi_value_headers":true,"routes":{"/z/*":"orders","/a":"health"}}
    ])");
    ASSERT_TRUE(c.ok()) << c.error().message;
    ASSERT_EQ(c->apis.size(), 3u);
    const ApiEntry& rest = c->apis[0];
    EXPECT_EQ(rest.type, ApiType::rest);
    EXPECT_EQ(rest.name, "shop");
    EXPECT_EQ(rest.stage, "dev");
    EXPECT_EQ(rest.base_path, "/dev") << "mounted like its execute-api URL";
    ASSERT_EQ(rest.stage_variables.size(), 1u);
    EXPECT_EQ(rest.stage_variables[0].second, "local");
    ASSERT_EQ(rest.routes.size(), 2u);
    EXPECT_EQ(rest.routes[0].key, "GET /orders/{id}");
    EXPECT_EQ(rest.routes[0].function, "orders");
    const ApiEntry& http = c->apis[1];
    EXPECT_EQ(http.name, "http-1");
    EXPECT_EQ(http.stage, "$default");
    EXPECT_EQ(http.base_path, "");
    EXPECT_EQ(http.routes[0].key, "$default") << "kept in the file's order";
    const ApiEntry& alb = c->apis[2];
    EXPECT_TRUE(alb.multi_value_headers);
    EXPECT_EQ(alb.routes[0].key, "/z/*");
    EXPECT_EQ(alb.routes[1].key, "/a");
}

TEST(ApiEntry, RefusesMalformedApisNamingTheApiAndTheReason) {
    struct Case {
        std::string apis;
        std::string message;
    };
    std::vector<Case> cases = {
        {R"({"type":"rest"})", "apis: must be an array"},
        {R"([{"routes":{"$default":"orders"}}])", "apis[0]: 'type' is required"},
        {R"([{"type":"graphql","routes":{}}])", "type: must be \"rest\", \"http\" or \"alb\""},
        {R"([{"type":"http","name":"x","stage":"prod","routes":{"$default":"orders"}}])",
         "api 'x': unknown key 'stage' for type \"http\""},
        {R"([{"type":"http","routes":{}}])", "routes: must be a non-empty object"},
        {R"([{"type":"http","routes":{"GET /a":"nobody"}}])",
         "route 'GET /a': no function named 'nobody' (functions: health, orders)"},
        {R"([{"type":"http","routes":{"FETCH /a":"orders"}}])", "unknown method 'FETCH'"},
        {R"([{"type":"http","routes":{"/a":"orders"}}])", "expected \"METHOD /path\""},
        {R"([{"type":"http","routes":{"GET a":"orders"}}])", "the path must start with '/'"},
        {R"([{"type":"http","routes":{"GET /{proxy+}/x":"orders"}}])",
         "'{proxy+}' must be the last segment"},
        {R"([{"type":"http","routes":{"GET /{id}/{id}":"orders"}}])",
         "variable 'id' appears twice"},
        {R"([{"type":"http","routes":{"GET /a{id}":"orders"}}])", "is not a path variable"},
        {R"([{"type":"rest","routes":{"$default":"orders"}}])", "REST APIs have no $default route"},
        {R"([{"type":"rest","stage":"a b","routes":{"GET /":"orders"}}])", "stage: must be"},
        {R"([{"type":"alb","multi_value_headers":"yes","routes":{"/":"orders"}}])",
         "multi_value_headers: must be true or false"},
        {R"([{"type":"http","base_path":"/lambda-url","routes":{"$default":"orders"}}])",
         "Function URLs are served"},
        {R"([{"type":"http","base_path":"/x/","routes":{"$default":"orders"}}])",
         "no trailing '/'"},
        {R"([{"type":"http","name":"a","routes":{"$default":"orders"}},
             {"type":"alb","name":"b","routes":{"$default":"orders"}}])",
         "api 'b': base_path: '' is already the base path of api 'a'"},
    };
    for (const auto& c : cases) {
        std::string message = error_of(c.apis);
        EXPECT_NE(message.find(c.message), std::string::npos) << c.apis << "\n -> " << message;
        EXPECT_EQ(message.rfind("/srv/lambda-emu.json: ", 0), 0u) << message;
    }
}

TEST(ApiEntry, AlbPathPatternsNeedNoMethod) {
    EXPECT_TRUE(check_route_key(ApiType::alb, "/orders/*").ok());
    EXPECT_TRUE(check_route_key(ApiType::alb, "GET /img/?.png").ok());
    EXPECT_FALSE(check_route_key(ApiType::alb, "orders").ok());
}

}  // namespace lambda_emu::config
