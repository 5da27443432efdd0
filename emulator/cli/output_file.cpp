#include "cli/output_file.h"

#include <fstream>

#include "cli/usage_error.h"

namespace lambda_emu::cli {

void write_output_file(const std::string& path, const std::string& text, const char* option) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw UsageError(std::string(option) + " " + path + ": cannot write the file");
}

}  // namespace lambda_emu::cli
