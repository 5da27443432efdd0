#include "frontend/route_table.h"

#include <tuple>

#include "events/path_template.h"

namespace lambda_emu::frontend {

namespace {

struct Key {
    std::string method;  // empty: any
    std::string path;
};

Key split_key(const std::string& key) {
    std::size_t space = key.find(' ');
    if (space == std::string::npos) return {"", key};
    std::string method = key.substr(0, space);
    return {method == "ANY" ? "" : method, key.substr(space + 1)};
}

// ALB path patterns: '*' any run of characters, '?' any one character.
bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

int literal_segments(std::string_view path) {
    int n = 0;
    bool in_segment = false;
    bool variable = false;
    for (char c : path) {
        if (c == '/') {
            if (in_segment && !variable) ++n;
            in_segment = false;
            variable = false;
        } else {
            if (!in_segment && c == '{') variable = true;
            in_segment = true;
        }
    }
    if (in_segment && !variable) ++n;
    return n;
}

}  // namespace

RouteTable::RouteTable(config::ApiType type, std::vector<config::Route> routes)
    : m_type(type), m_routes(std::move(routes)) {}

std::optional<RouteMatch> RouteTable::match(const std::string& method,
                                            const std::string& path) const {
    const config::Route* fallback = nullptr;
    std::optional<RouteMatch> best;
    std::tuple<int, int, int> best_rank{-1, -1, -1};
    for (const config::Route& route : m_routes) {
        if (route.key == "$default") {
            fallback = &route;
            continue;
        }
        Key key = split_key(route.key);
        if (!key.method.empty() && key.method != method) continue;
        if (m_type == config::ApiType::alb) {
            if (glob_match(key.path, path))
                return RouteMatch{route.function, route.key, key.path, {}};
            continue;
        }
        auto params = events::match_path_template(key.path, path);
        if (!params) continue;
        bool greedy = key.path.find("+}") != std::string::npos;
        std::tuple<int, int, int> rank{greedy ? 0 : 1, literal_segments(key.path),
                                       key.method.empty() ? 0 : 1};
        if (!best || rank > best_rank) {
            best_rank = rank;
            best = RouteMatch{route.function, route.key, key.path, std::move(*params)};
        }
    }
    if (best) return best;
    if (fallback) return RouteMatch{fallback->function, "$default", "", {}};
    return std::nullopt;
}

}  // namespace lambda_emu::frontend
