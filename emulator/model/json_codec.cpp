#include "model/json_codec.h"

#include <nlohmann/json.hpp>

namespace lambda_emu::model {

namespace {

std::string position_of(std::string_view text, std::size_t byte) {
    std::size_t line = 1;
    std::size_t column = 1;
    for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

}  // namespace

util::Status validate_json(std::string_view text) {
    if (nlohmann::json::accept(text.begin(), text.end())) return util::Ok{};
    try {
        auto parsed = nlohmann::json::parse(text.begin(), text.end());
        (void)parsed;
        return util::Ok{};
    } catch (const nlohmann::json::parse_error& e) {
        // e.byte is 1-based and points just past the offending character.
        std::size_t at = e.byte > 0 ? e.byte - 1 : 0;
        // "[json.exception.parse_error.101] parse error at line 3, column 5: <reason>"
        std::string what = e.what();
        auto column = what.find("column ");
        auto colon = column == std::string::npos ? column : what.find(": ", column);
        std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
        return util::make_error(position_of(text, at) + ": " + reason);
    } catch (const nlohmann::json::exception& e) {
        // A number too large for a double ("1e400") is valid JSON that lambda-emu cannot read.
        std::string what = e.what();
        auto bracket = what.find("] ");
        return util::make_error(bracket == std::string::npos ? what : what.substr(bracket + 2));
    }
}

std::string error_body(std::string_view error_type, std::string_view message) {
    nlohmann::ordered_json body;
    body["errorType"] = error_type;
    body["errorMessage"] = message;
    return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string error_type_in_body(std::string_view body) {
    auto parsed = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (parsed.is_object()) {
        auto it = parsed.find("errorType");
        if (it != parsed.end() && it->is_string()) return it->get<std::string>();
    }
    return {};
}

std::string without_error_cause(std::string_view body) {
    auto parsed = nlohmann::ordered_json::parse(body.begin(), body.end(), nullptr, false);
    if (!parsed.is_object() || !parsed.contains("errorCause")) return std::string(body);
    parsed.erase("errorCause");
    return parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string reported_error_type(std::string_view type) {
    auto valid_after = [&](std::string_view prefix) {
        if (type.substr(0, prefix.size()) != prefix || type.size() < prefix.size() + 2)
            return false;
        std::string_view rest = type.substr(prefix.size());
        if (rest[0] < 'A' || rest[0] > 'Z') return false;
        for (char c : rest) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
        }
        return true;
    };
    if (valid_after("Runtime.") || valid_after("Function.")) return std::string(type);
    if (type.substr(0, 9) == "Function.") return "Function.Unknown";
    return "Runtime.Unknown";
}

std::optional<std::vector<std::string>> string_list_field(std::string_view body,
                                                          std::string_view key) {
    auto j = nlohmann::json::parse(body.begin(), body.end(), nullptr, false);
    if (!j.is_object()) return std::nullopt;
    auto it = j.find(std::string(key));
    std::vector<std::string> out;
    if (it == j.end() || it->is_null()) return out;
    if (!it->is_array()) return std::nullopt;
    for (const auto& v : *it) {
        if (!v.is_string()) return std::nullopt;
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::string json_quote(std::string_view text) {
    return nlohmann::json(std::string(text))
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool is_json_object(std::string_view text) {
    if (text.empty() || text.front() != '{') return false;
    return nlohmann::json::parse(text.begin(), text.end(), nullptr, false).is_object();
}

}  // namespace lambda_emu::model
