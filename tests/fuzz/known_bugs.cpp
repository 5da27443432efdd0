#include "known_bugs.h"

#include <nlohmann/json.hpp>

namespace lambda_emu::fuzz {

bool validate_json_would_throw(std::string_view text) {
    if (nlohmann::json::accept(text.begin(), text.end())) return false;
    try {
        auto parsed = nlohmann::json::parse(text.begin(), text.end());
        (void)parsed;
    } catch (const nlohmann::json::out_of_range&) {
        return true;
    } catch (const nlohmann::json::exception&) {
    }
    return false;
}

}  // namespace lambda_emu::fuzz
