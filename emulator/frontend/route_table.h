// Which route of an API a request takes, as API Gateway and ALB listener rules choose it.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config_file.h"

namespace lambda_emu::frontend {

struct RouteMatch {
    std::string function;
    std::string route_key;  // "GET /orders/{id}" or "$default", as configured
    std::string resource;   // the path template ("/orders/{id}"); empty for $default
    std::vector<std::pair<std::string, std::string>> path_parameters;
};

class RouteTable {
  public:
    RouteTable(config::ApiType type, std::vector<config::Route> routes);

    // API Gateway: the most specific route that matches (no greedy variable before one, more
    // literal segments before fewer, the method before ANY), then $default. ALB: the first
    // rule, in the configured order, whose path pattern (* and ?) and method match, then
    // $default. nullopt when none matches.
    std::optional<RouteMatch> match(const std::string& method, const std::string& path) const;

  private:
    config::ApiType m_type;
    std::vector<config::Route> m_routes;
};

}  // namespace lambda_emu::frontend
