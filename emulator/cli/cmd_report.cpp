// lambda-emu report: the statistics of `lambda-emu bench` from REPORT lines, lambda-emu's own
// logs or lines exported from CloudWatch Logs, so a local run can be set beside production.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>

#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/usage_error.h"
#include "model/error_types.h"
#include "report/bench_html.h"
#include "report/bench_tables.h"
#include "report/report_reader.h"

namespace lambda_emu::cli {

namespace {

struct ReportOptions {
    std::vector<std::string> files;
    std::string arch = "x86_64";
    double price_gb_s = -1;
    double price_request = -1;
    double cold_share = 0.05;
    std::string json;
    std::string csv;
    std::string html;
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
    if (!report::parse_architecture(o.arch, run.architecture)) {
        throw UsageError("--arch " + o.arch + ": must be x86_64 or arm64");
    }
    run.prices = report::default_prices(run.architecture);
    if (o.price_gb_s >= 0) run.prices.per_gb_second = o.price_gb_s;
    if (o.price_request >= 0) run.prices.per_request = o.price_request;
    if (o.cold_share < 0 || o.cold_share > 1) {
        throw UsageError("--cold-share " + std::to_string(o.cold_share) + ": must be 0 to 1");
    }
    run.cold_share = o.cold_share;
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
    if (!o.json.empty()) write_output_file(o.json, report::bench_json(run), "--json");
    if (!o.csv.empty()) write_output_file(o.csv, report::bench_csv(run), "--csv");
    if (!o.html.empty()) write_output_file(o.html, report::bench_html(run), "--html");
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
        cmd->add_option("--arch", o->arch, "x86_64 or arm64: the price per GB-s")
            ->capture_default_str();
        cmd->add_option("--price-gb-s", o->price_gb_s,
                        "USD per GB-second (default: us-east-1, first tier, of --arch)");
        cmd->add_option("--price-request", o->price_request,
                        "USD per request (default: 0.0000002, $0.20 per 1M)");
        cmd->add_option("--cold-share", o->cold_share,
                        "Share of cold starts in the mixed-traffic cost (0-1)")
            ->capture_default_str();
        cmd->add_option("--json", o->json, "Write the records and the summaries as JSON");
        cmd->add_option("--csv", o->csv, "Write one row per REPORT line");
        cmd->add_option("--html", o->html, "Write a self-contained page with a chart per metric");
        return {cmd, [o] { return run_report(*o); }};
    }};
}

}  // namespace lambda_emu::cli
