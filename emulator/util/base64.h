#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lambda_emu::util {

std::string base64_encode(std::string_view data);
// nullopt when the text is not valid standard base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lambda_emu::util
