// lambda-emu test: run declarative cases (JSON case files) against functions and report, for
// people and for CI (JUnit XML, JSON).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/function_options.h"
#include "cli/inputs.h"
#include "cli/log_options.h"
#include "cli/output_file.h"
#include "cli/serving.h"
#include "cli/usage_error.h"
#include "testrun/case_file.h"
#include "testrun/reports.h"
#include "testrun/runner.h"

namespace lambda_emu::cli {

namespace {

namespace fs = std::filesystem;

struct TestOptions {
    std::vector<std::string> paths;
    std::string junit;
    std::string json;
    std::string filter;
    int jobs = 1;
    LogOptions log;
};

testrun::Loaders loaders() {
    testrun::Loaders l;
    l.event = [](const std::string& path_or_name) -> util::Result<std::string> {
        try {
            return read_event_file(path_or_name);
        } catch (const UsageError& e) {
            return util::make_error(e.what());
        }
    };
    l.function = [](const std::string& config,
                    const std::string& name) -> util::Result<model::FunctionConfig> {
        try {
            std::vector<config::ApiEntry> apis;
            ServedFrom from;
            from.config = config;
            std::string names;
            for (auto& f : served_functions(from, apis)) {
                if (f.config.name == name) return f.config;
                names += (names.empty() ? "" : ", ") + f.config.name;
            }
            return util::make_error(config + ": no function named '" + name +
                                    "' (functions: " + names + ")");
        } catch (const UsageError& e) {
            return util::make_error(e.what());
        }
    };
    l.bootstrap = [](const std::string& path) -> util::Result<model::FunctionConfig> {
        try {
            return function_from_options(FunctionOptions{}, path);
        } catch (const UsageError& e) {
            return util::make_error(e.what());
        }
    };
    return l;
}

// The case files: each path given, and the *.test.json files under each directory given.
std::vector<std::string> case_files(const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    for (const auto& p : paths) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (fs::recursive_directory_iterator it(p, ec), end; !ec && it != end;
                 it.increment(ec)) {
                std::string name = it->path().filename().string();
                if (it->is_regular_file() && name.size() > 10 &&
                    name.compare(name.size() - 10, 10, ".test.json") == 0) {
                    found.push_back(it->path().lexically_normal().string());
                }
            }
            if (found.empty()) throw UsageError(p + ": no *.test.json case files in it");
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (fs::exists(p, ec)) {
            out.push_back(p);
        } else {
            throw UsageError(p + ": No such file or directory");
        }
    }
    return out;
}

std::string ms(double seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f ms", seconds * 1000);
    return buf;
}

void print_result(const testrun::CaseResult& r) {
    using S = testrun::CaseResult::Status;
    std::ostringstream out;
    out << (r.status == S::passed ? "PASS  " : "FAIL  ") << r.file << ": " << r.name << "  ("
        << ms(r.seconds) << ")\n";
    if (r.status == S::failed) {
        for (const auto& f : r.failures) out << "      " << f << "\n";
        out << "      response: " << r.outcome.body.substr(0, 1000)
            << (r.outcome.body.size() > 1000 ? "..." : "") << "\n";
        out << "      log:\n";
        std::istringstream lines(r.log);
        std::string line;
        while (std::getline(lines, line)) out << "        " << line << "\n";
    }
    std::cout << out.str() << std::flush;
}

int run_test(const TestOptions& o) {
    if (o.paths.empty()) throw UsageError("test takes one or more CASE_FILE_OR_DIR");
    if (o.jobs < 1 || o.jobs > 64)
        throw UsageError("--jobs " + std::to_string(o.jobs) + ": must be 1 to 64");
    check_log_options(o.log);
    std::vector<testrun::CaseFile> files;
    auto l = loaders();
    for (const auto& path : case_files(o.paths)) {
        auto file = testrun::load_case_file(path, l);
        if (!file) throw UsageError(file.error().message);
        apply_log_options(o.log, file->function);
        files.push_back(std::move(file.value()));
    }
    testrun::RunOptions options;
    options.jobs = o.jobs;
    options.filter = o.filter;
    auto results = testrun::run_cases(files, options, print_result);
    std::cout << testrun::summary_line(results) << std::endl;
    if (!o.junit.empty()) write_output_file(o.junit, testrun::junit_xml(results), "--junit");
    if (!o.json.empty()) write_output_file(o.json, testrun::results_json(results), "--json");
    bool failed = std::any_of(results.begin(), results.end(), [](const auto& r) {
        return r.status == testrun::CaseResult::Status::failed;
    });
    return failed ? k_exit_function_failed : k_exit_ok;
}

}  // namespace

Command test_command() {
    return {[](CLI::App& parent) -> Registered {
        auto o = std::make_shared<TestOptions>();
        CLI::App* cmd = parent.add_subcommand(
            "test",
            "Run the cases of JSON case files (a directory: its *.test.json files) against their "
            "functions, each invocation as Lambda would run it, and check the response (exact, "
            "subset, JSON pointers), the HTTP view of HTTP events, expected errors, log lines, "
            "Init Duration/Duration/Billed Duration/Max Memory Used budgets and partial batch "
            "failures. One line per case and a summary; exit status 0 when all pass, 1 when one "
            "fails, 2 for a malformed case file.");
        cmd->add_option("paths", o->paths, "CASE_FILE_OR_DIR...")->required();
        cmd->add_option("--junit", o->junit, "Write JUnit XML results to FILE");
        cmd->add_option("--json", o->json, "Write the full results, with every metric, to FILE");
        cmd->add_option("--filter", o->filter,
                        "Run only the cases whose \"FILE: NAME\" contains PATTERN");
        cmd->add_option("-j,--jobs", o->jobs, "Cases at once, each on its own environment")
            ->capture_default_str();
        add_log_options(*cmd, o->log);
        return {cmd, [o] { return run_test(*o); }};
    }};
}

}  // namespace lambda_emu::cli
