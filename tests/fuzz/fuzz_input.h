// What the fuzz targets share: the input as text, split into sections, and read as an HTTP
// request in a plain text form that seeds can be written in by hand:
//
//   POST /2018-06-01/runtime/invocation/abc/response     the method and the target
//   Content-Type: application/json                       headers ("Name: value")
//   ~Lambda-Runtime-Function-Error-Type: Runtime.X       trailers (a leading '~')
//   :over-limit                                          flags of the harness (a leading ':')
//                                                        a blank line
//   {"ok":true}                                          the body
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambda_emu::fuzz {

using Pairs = std::vector<std::pair<std::string, std::string>>;

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// The parts of a text separated by lines holding only "%%".
inline std::vector<std::string_view> sections(std::string_view text) {
    constexpr std::string_view k_separator = "\n%%\n";
    std::vector<std::string_view> out;
    for (;;) {
        std::size_t at = text.find(k_separator);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos) break;
        text.remove_prefix(at + k_separator.size());
    }
    return out;
}

// The lines of a text, without their '\n' (and a '\r' before it).
inline std::vector<std::string_view> lines(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        std::size_t at = text.find('\n');
        std::string_view line = text.substr(0, at);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        out.push_back(line);
        if (at == std::string_view::npos) break;
        text.remove_prefix(at + 1);
    }
    return out;
}

struct TextRequest {
    std::string method;
    std::string target;  // path and query
    Pairs headers;
    Pairs trailers;
    std::vector<std::string> flags;
    std::string body;

    bool has_flag(std::string_view name) const {
        return std::find(flags.begin(), flags.end(), name) != flags.end();
    }
    std::string path() const { return target.substr(0, target.find('?')); }
    std::string query() const {
        std::size_t q = target.find('?');
        return q == std::string::npos ? std::string() : target.substr(q + 1);
    }
};

inline TextRequest parse_request(std::string_view text) {
    TextRequest r;
    auto next_line = [&text]() {
        std::size_t at = text.find('\n');
        std::string_view line = text.substr(0, at);
        text.remove_prefix(at == std::string_view::npos ? text.size() : at + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        return line;
    };
    std::string_view first = next_line();
    std::size_t space = first.find(' ');
    r.method = std::string(first.substr(0, space));
    if (space != std::string_view::npos) {
        std::string_view rest = first.substr(space + 1);
        r.target = std::string(rest.substr(0, rest.find(' ')));  // an HTTP version is ignored
    }
    while (!text.empty()) {
        std::string_view line = next_line();
        if (line.empty()) break;
        if (line.front() == ':') {
            r.flags.emplace_back(line.substr(1));
            continue;
        }
        Pairs& into = line.front() == '~' ? r.trailers : r.headers;
        if (line.front() == '~') line.remove_prefix(1);
        std::size_t colon = line.find(':');
        std::string_view value =
            colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
        while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
        into.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    r.body = std::string(text);
    return r;
}

// The first value of a header, compared without regard to case; nullptr when absent.
inline const std::string* find_pair(const Pairs& pairs, std::string_view name) {
    for (const auto& [k, v] : pairs) {
        if (k.size() == name.size() &&
            std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
                auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
                return lower(a) == lower(b);
            })) {
            return &v;
        }
    }
    return nullptr;
}

// Stops the run with a message when an invariant of the code under test does not hold.
[[noreturn]] inline void invariant_failed(const char* what, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, what);
    std::abort();
}

}  // namespace lambda_emu::fuzz

#define FUZZ_CHECK(condition)                                                                   \
    do {                                                                                        \
        if (!(condition)) ::lambda_emu::fuzz::invariant_failed(#condition, __FILE__, __LINE__); \
    } while (false)
