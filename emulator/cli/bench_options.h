// The options `lambda-emu bench` and `lambda-emu report` share: prices and the traffic mix of the
// cost estimate, and the files the figures are written to.
#pragma once

#include <string>

#include "report/bench_data.h"

namespace CLI {
class App;
}

namespace lambda_emu::cli {

struct CostOptions {
    std::string arch = "x86_64";
    double price_gb_s = -1;     // below 0: the architecture's default
    double price_request = -1;  // below 0: the default
    double cold_share = 0.05;
};

struct RunOutputs {
    std::string json;
    std::string csv;
    std::string html;
};

void add_cost_options(CLI::App& cmd, CostOptions& options);
void add_output_options(CLI::App& cmd, RunOutputs& outputs);

// Sets run.architecture, run.prices and run.cold_share; throws UsageError naming a bad option.
void apply_cost_options(const CostOptions& options, report::BenchRun& run);

// Writes each file asked for; throws UsageError when one cannot be written.
void write_run_outputs(const RunOutputs& outputs, const report::BenchRun& run);

}  // namespace lambda_emu::cli
