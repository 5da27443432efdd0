// Files a command writes on request (--json, --junit, --csv, --html).
#pragma once

#include <string>

namespace lambda_emu::cli {

// Writes text to path, replacing it; throws UsageError "OPTION PATH: cannot write the file".
void write_output_file(const std::string& path, const std::string& text, const char* option);

}  // namespace lambda_emu::cli
