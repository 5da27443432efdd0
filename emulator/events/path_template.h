// Resource and route paths such as "/orders/{id}" or "/{proxy+}", as API Gateway matches them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lambda_emu::events {

using PathParameters = std::vector<std::pair<std::string, std::string>>;

// Matches a path template against a request path: the path parameters ({name} one segment,
// {name+} the rest of the path, at least one character), or nullopt when it does not match.
std::optional<PathParameters> match_path_template(std::string_view path_template,
                                                  std::string_view path);

}  // namespace lambda_emu::events
