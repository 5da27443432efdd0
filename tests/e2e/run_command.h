// Runs a command (argv, no shell) with optional stdin, capturing stdout and stderr, with a
// time limit. For end-to-end tests of the lambda-emu binary.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace lambda_emu::testing {

struct CommandResult {
    int exit_code = -1;  // -1 when killed by a signal or the time limit
    bool timed_out = false;
    std::string out;
    std::string err;
    double wall_ms = 0;
};

CommandResult run_command(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                          std::chrono::milliseconds limit = std::chrono::seconds(60),
                          const std::vector<std::string>& extra_env = {});

// Paths from the build.
std::string lambda_emu_bin();
std::string source_path(const std::string& relative);
std::string build_path(const std::string& relative);

// The whole content of a file ("" when it cannot be read, e.g. a /proc file of a process gone).
std::string read_file(const std::string& path);

// The static C++ example bootstrap of the build.
inline std::string cpp_bootstrap() { return build_path("examples/cpp/bootstrap"); }

// The lines of text, without their '\n'.
std::vector<std::string> lines_of(const std::string& text);
// Lines starting with prefix.
std::vector<std::string> lines_starting(const std::string& text, const std::string& prefix);
// How many lines of the text are exactly `line`.
int count_equal_lines(const std::string& text, const std::string& line);
// The index of the first line equal to `line`, or -1.
int index_of_line(const std::string& text, const std::string& line);
// The index of the first line starting with `prefix`, or -1.
int index_of_line_starting(const std::string& text, const std::string& prefix);

// How many processes on the machine have `needle` in their command line.
int count_processes_with(const std::string& needle);

}  // namespace lambda_emu::testing
