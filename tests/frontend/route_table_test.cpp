// Route selection as API Gateway and ALB listener rules make it.
#include "frontend/route_table.h"

#include <gtest/gtest.h>

namespace lambda_emu::frontend {

namespace {

using config::ApiType;
using config::Route;

std::string chosen(const RouteTable& table, const std::string& method, const std::string& path) {
    auto m = table.match(method, path);
    return m ? m->route_key : "(none)";
}

}  // namespace

TEST(RouteTable, ApiGatewayPrefersTheMostSpecificRoute) {
    RouteTable t(ApiType::http, {{"$default", "d"},
                                 {"ANY /{proxy+}", "p"},
                                 {"GET /orders/{id}", "o"},
                                 {"ANY /orders/{id}", "a"},
                                 {"GET /orders/latest", "l"},
                                 {"POST /orders", "n"}});
    EXPECT_EQ(chosen(t, "GET", "/orders/latest"), "GET /orders/latest");
    EXPECT_EQ(chosen(t, "GET", "/orders/7"), "GET /orders/{id}");
    EXPECT_EQ(chosen(t, "PUT", "/orders/7"), "ANY /orders/{id}");
    EXPECT_EQ(chosen(t, "POST", "/orders"), "POST /orders");
    EXPECT_EQ(chosen(t, "GET", "/orders"), "ANY /{proxy+}");
    EXPECT_EQ(chosen(t, "GET", "/"), "$default") << "a greedy variable needs one character";
    auto m = t.match("GET", "/orders/7");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->function, "o");
    EXPECT_EQ(m->resource, "/orders/{id}");
    ASSERT_EQ(m->path_parameters.size(), 1u);
    EXPECT_EQ(m->path_parameters[0], (std::pair<std::string, std::string>{"id", "7"}));
    auto greedy = t.match("DELETE", "/a/b/c");
    ASSERT_TRUE(greedy);
    EXPECT_EQ(greedy->path_parameters[0].second, "a/b/c");
}

TEST(RouteTable, NothingMatchesWithoutADefault) {
    RouteTable t(ApiType::rest, {{"GET /orders/{id}", "o"}});
    EXPECT_FALSE(t.match("GET", "/orders"));
    EXPECT_FALSE(t.match("POST", "/orders/7"));
    EXPECT_FALSE(t.match("GET", "/orders/7/items"));
    EXPECT_TRUE(t.match("GET", "/orders/7"));
}

TEST(RouteTable, AlbRulesMatchPathPatternsInOrder) {
    RouteTable t(
        ApiType::alb,
        {{"/img/?.png", "one"}, {"GET /orders/*", "get"}, {"/orders/*", "any"}, {"$default", "d"}});
    EXPECT_EQ(t.match("GET", "/img/a.png")->function, "one");
    EXPECT_EQ(t.match("GET", "/img/ab.png")->function, "d");
    EXPECT_EQ(t.match("GET", "/orders/1/items")->function, "get");
    EXPECT_EQ(t.match("POST", "/orders/1")->function, "any");
    EXPECT_EQ(t.match("POST", "/ordersX")->function, "d");
    EXPECT_TRUE(t.match("GET", "/orders/1")->path_parameters.empty());
}

}  // namespace lambda_emu::frontend
