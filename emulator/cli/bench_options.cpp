#include "cli/bench_options.h"

#include <CLI/CLI.hpp>

#include "cli/output_file.h"
#include "cli/usage_error.h"
#include "report/bench_html.h"
#include "report/bench_tables.h"

namespace lambda_emu::cli {

void add_cost_options(CLI::App& cmd, CostOptions& o) {
    cmd.add_option("--arch", o.arch, "x86_64 or arm64: the price per GB-s")->capture_default_str();
    cmd.add_option("--price-gb-s", o.price_gb_s,
                   "USD per GB-second (default: us-east-1, first tier, of --arch)");
    cmd.add_option("--price-request", o.price_request,
                   "USD per request (default: 0.0000002, $0.20 per 1M)");
    cmd.add_option("--cold-share", o.cold_share,
                   "Share of cold starts in the mixed-traffic cost (0-1)")
        ->capture_default_str();
}

void add_output_options(CLI::App& cmd, RunOutputs& o) {
    cmd.add_option("--json", o.json,
                   "Write the settings, every sample, the summaries and the comparisons as JSON");
    cmd.add_option("--csv", o.csv, "Write every sample, one row each");
    cmd.add_option("--html", o.html,
                   "Write a self-contained page: tables and a CDF chart per metric");
}

void apply_cost_options(const CostOptions& o, report::BenchRun& run) {
    if (!report::parse_architecture(o.arch, run.architecture)) {
        throw UsageError("--arch " + o.arch + ": must be x86_64 or arm64");
    }
    if (o.cold_share < 0 || o.cold_share > 1) {
        throw UsageError("--cold-share " + std::to_string(o.cold_share) + ": must be 0 to 1");
    }
    run.prices = report::default_prices(run.architecture);
    if (o.price_gb_s >= 0) run.prices.per_gb_second = o.price_gb_s;
    if (o.price_request >= 0) run.prices.per_request = o.price_request;
    run.cold_share = o.cold_share;
}

void write_run_outputs(const RunOutputs& o, const report::BenchRun& run) {
    if (!o.json.empty()) write_output_file(o.json, report::bench_json(run), "--json");
    if (!o.csv.empty()) write_output_file(o.csv, report::bench_csv(run), "--csv");
    if (!o.html.empty()) write_output_file(o.html, report::bench_html(run), "--html");
}

}  // namespace lambda_emu::cli
