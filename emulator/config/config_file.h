// lambda-emu.json: the functions `serve` (and later `watch`, `test`, `bench`) run.
#pragma once

#include <string>
#include <vector>

#include "model/function_config.h"
#include "util/result.h"

namespace lambda_emu::config {

struct FunctionEntry {
    model::FunctionConfig function;  // bootstrap: the path as resolved against the file's folder
    std::string env_file;            // resolved likewise; empty when none
    int reserved_concurrency = 10;
    std::string architecture = "x86_64";
    // `watch`: the command that builds the function (run in the file's folder), and the paths
    // whose changes rebuild and reload it (resolved against the file's folder).
    std::string build;
    std::vector<std::string> watch;
};

// An HTTP front end served on `serve --http-port`: an API Gateway REST API, an HTTP API or an
// Application Load Balancer, with routes to the functions.
enum class ApiType { rest, http, alb };

struct Route {
    // "GET /orders/{id}", "ANY /{proxy+}" or "$default"; for an ALB, "/orders/*" or
    // "GET /orders/*" (path patterns with * and ?) or "$default".
    std::string key;
    std::string function;
};

struct ApiEntry {
    std::string name;
    ApiType type = ApiType::http;
    std::string stage;      // REST APIs: the stage name ("prod"); "$default" for HTTP APIs
    std::string base_path;  // where it is mounted on the listener: "" or "/prod", no trailing '/'
    std::vector<std::pair<std::string, std::string>> stage_variables;
    bool multi_value_headers = false;  // ALB
    std::vector<Route> routes;         // in the file's order
};

struct ConfigFile {
    std::string path;
    std::vector<FunctionEntry> functions;
    std::vector<ApiEntry> apis;
};

inline constexpr int k_default_reserved_concurrency = 10;
inline constexpr int k_max_reserved_concurrency = 1000;

// Route keys: "METHOD /path" with METHOD one of GET POST PUT PATCH DELETE HEAD OPTIONS ANY, a
// path of segments, {name} variables and a last {name+}; or "$default" (not for REST APIs). For
// an ALB the METHOD is optional and the path a pattern with * and ?.
util::Status check_route_key(ApiType type, const std::string& key);

// Parses and checks the file. Errors name the file, the function and the key, and the reason:
// unknown keys, duplicate names, values of the wrong type or out of range.
util::Result<ConfigFile> load_config(const std::string& path);
// The same, from text (for tests); `path` is used in messages and to resolve relative paths.
util::Result<ConfigFile> parse_config(const std::string& text, const std::string& path);

}  // namespace lambda_emu::config
