// lambda-emu report: the statistics of `lambda-emu bench` from REPORT lines, lambda-emu's own
// logs or lines exported from CloudWatch Logs, so a local run can be set beside production.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/bench_options.h"
#include "cli/commands.h"
#include "cli/usage_error.h"
#include "model/error_types.h"
#include "report/bench_tables.h"
#include "report/report_reader.h"

namespace lambda_emu::cli {

namespace {

struct ReportOptions {
    std::vector<std::string> files;
    CostOptions cost;
    RunOutputs outputs;
};

std::string read_input(const std::string& path) {
    if (path == "-") {
        return std::string(std::istreambuf_iterator<char>(std::cin), {});
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw UsageError(path + ": is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw UsageError(path + ": No such file or directory");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

report::BenchSample sample_of(const std::string& label, const report::ReportRecord& r) {
    report::BenchSample s;
    s.function = label;
    s.memory_mb = r.memory_size_mb;
    s.cold = r.init_duration_ms.has_value();
    s.request_id = r.request_id;
    s.init_duration_ms = r.init_duration_ms;
    s.duration_ms = r.duration_ms;
    s.billed_duration_ms = static_cast<std::int64_t>(r.billed_duration_ms);
    s.max_memory_used_mb = r.max_memory_used_mb;
    if (!r.status.empty() && r.status != "success") {
        s.failed = true;
        s.error_type = !r.error_type.empty()   ? r.error_type
                       : r.status == "timeout" ? std::string(model::error_types::k_timed_out)
                                               : "Status: " + r.status;
    }
    return s;
}

int run_report(ReportOptions o) {
    if (o.files.empty()) o.files.push_back("-");
    report::BenchRun run;
    apply_cost_options(o.cost, run);
    for (const std::string& path : o.files) {
        const std::string label = path == "-" ? "stdin" : path;
        auto records = report::read_report_lines(read_input(path));
        if (!records)
            throw UsageError((path == "-" ? "stdin" : path) + ": " + records.error().message);
        if (records->empty()) throw UsageError(label + ": no REPORT lines in it");
        run.functions.push_back(label);
        run.bootstraps.push_back("");
        for (const auto& r : *records) {
            run.samples.push_back(sample_of(label, r));
            auto& sizes = run.memory_sizes;
            if (std::find(sizes.begin(), sizes.end(), r.memory_size_mb) == sizes.end()) {
                sizes.push_back(r.memory_size_mb);
            }
        }
    }
    run.event = "REPORT lines";
    report::compute_stats(run);
    std::cout << report::bench_table(run) << std::flush;
    write_run_outputs(o.outputs, run);
    return k_exit_ok;
}

}  // namespace

Command report_command() {
    return {[](CLI::App& parent) -> Registered {
        auto o = std::make_shared<ReportOptions>();
        CLI::App* cmd = parent.add_subcommand(
            "report",
            "Read REPORT lines (lambda-emu's logs, text or JSON, or lines exported from "
            "CloudWatch Logs) and print the statistics `lambda-emu bench` prints: per file and "
            "memory size, Init Duration, first and warm Duration, Billed Duration and Max Memory "
            "Used (an invocation with Init Duration counts as a cold start), failures, and the "
            "cost. Several files are compared side by side. Other lines are skipped; a malformed "
            "REPORT line is an error naming its line (exit status 2).");
        cmd->add_option("files", o->files, "FILE... (- or nothing: standard input)");
        add_cost_options(*cmd, o->cost);
        add_output_options(*cmd, o->outputs);
        return {cmd, [o] { return run_report(*o); }};
    }};
}

}  // namespace lambda_emu::cli
