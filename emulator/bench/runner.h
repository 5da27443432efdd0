// Runs `lambda-emu bench`: cold starts, bursts of simultaneous cold starts, and warm invocations
// of one or more functions at one or more memory sizes, candidates interleaved (A, B, A, B...)
// so that drift of the machine hits each the same. Every invocation becomes one sample.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/function_config.h"
#include "model/log_event.h"
#include "report/bench_data.h"

namespace lambda_emu::bench {

struct Candidate {
    std::string label;
    model::FunctionConfig config;  // memory_mb is set per memory size of the run
    // Where the function's log stream goes (every environment's, every invocation's); null: it is
    // discarded. The samples come from the outcomes, never from the log.
    model::LogSink* log = nullptr;
};

struct BenchPlan {
    int cold = 10;  // cold samples per function and memory size
    int warm = 20;  // warm invocations after them
    int burst = 0;  // > 0: cold starts come in bursts of this many simultaneous invocations
    std::vector<int> memory_sizes{128};
    std::string payload = "{}";
};

// (done, total) invocations, after each one; from the runner's thread.
using Progress = std::function<void(int done, int total)>;

// Appends one sample per invocation to run.samples; never throws for a failing function (its
// failures are samples too).
void run_bench(const std::vector<Candidate>& candidates, const BenchPlan& plan,
               report::BenchRun& run, const Progress& progress);

// The number of invocations run_bench makes.
int planned_invocations(const std::vector<Candidate>& candidates, const BenchPlan& plan);

}  // namespace lambda_emu::bench
