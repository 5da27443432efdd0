// The scenarios of issue 8. Each measures lambda-emu and, in the same run, its floor (the same
// work done by the simplest code), and adds its rows to the results. A scenario that cannot run
// throws ScenarioError; the harness records it and goes on with the next.
#pragma once

#include <stdexcept>
#include <string>

#include "results.h"

namespace lambda_emu::harness {

struct Counts {
    int warm_warmup = 2000;     // scenarios 1, 2, 7: calls before timing, per caller
    int warm_rounds = 5;        // floor and lambda-emu alternate, round by round
    int warm_per_round = 4000;  // calls per round (scenario 1), per caller (scenario 2: / 4)
    int cold_samples = 60;      // scenario 3
    int cold_breakdown = 20;    // scenario 3: cold invocations timed step by step
    int bursts = 5;             // scenario 4
    int burst_size = 50;
    int large_samples = 30;      // scenario 5
    int idle_environments = 20;  // scenario 6
    int version_runs = 50;
    int start_runs = 20;
    int meter_samples = 2000;  // scenario 7
};

struct Context {
    std::string lambda_emu;   // the lambda-emu binary
    std::string runtime;      // the echo runtime's bootstrap
    std::string runtime_dir;  // its directory (the function is named after it)
    std::string function;     // that name
    std::string self;         // this harness (its --floor-server mode)
    std::string work_dir;     // logs and config files
    bool quick = false;
    Counts counts;

    std::string log_path(const std::string& name) const { return work_dir + "/" + name + ".log"; }
};

class ScenarioError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// What later scenarios compare with.
struct WarmBaseline {
    double p50_us = 0;
    double throughput = 0;
};

WarmBaseline run_warm_single(const Context& ctx, Results& results);                        // 1
void run_warm_multi(const Context& ctx, Results& results, const WarmBaseline& one);        // 2
void run_cold(const Context& ctx, Results& results);                                       // 3
void run_burst(const Context& ctx, Results& results);                                      // 4
void run_large(const Context& ctx, Results& results);                                      // 5
void run_footprint(const Context& ctx, Results& results);                                  // 6
void run_measurement_cost(const Context& ctx, Results& results, const WarmBaseline& one);  // 7

}  // namespace lambda_emu::harness
