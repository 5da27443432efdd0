// A problem with what the user gave: printed as one line, exit status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace lambda_emu::cli {

class UsageError : public std::runtime_error {
  public:
    explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace lambda_emu::cli
