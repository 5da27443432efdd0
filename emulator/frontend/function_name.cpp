#include "frontend/function_name.h"

#include <vector>

namespace lambda_emu::frontend {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (;;) {
        auto at = s.find(sep, start);
        parts.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) break;
        start = at + 1;
    }
    return parts;
}

}  // namespace

std::optional<FunctionRef> parse_function_ref(const std::string& text) {
    auto parts = split(text, ':');
    for (const auto& p : parts) {
        if (p.empty()) return std::nullopt;
    }
    if (parts[0] == "arn") {
        // arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]
        if ((parts.size() != 7 && parts.size() != 8) || parts[2] != "lambda" ||
            parts[5] != "function") {
            return std::nullopt;
        }
        return FunctionRef{parts[6], parts.size() == 8 ? parts[7] : ""};
    }
    if (parts.size() >= 3 && parts[1] == "function") {
        // <account>:function:<name>[:<qualifier>]
        if (parts.size() > 4) return std::nullopt;
        return FunctionRef{parts[2], parts.size() == 4 ? parts[3] : ""};
    }
    if (parts.size() > 2) return std::nullopt;
    return FunctionRef{parts[0], parts.size() == 2 ? parts[1] : ""};
}

}  // namespace lambda_emu::frontend
