// Runs the cases of `lambda-emu test`: each file's function in a pool of environments (the
// first case cold, the rest warm), a case with "cold": true or its own environment in a fresh
// environment of its own; with jobs > 1, cases in parallel on separate environments.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/outcome.h"
#include "testrun/case_file.h"

namespace lambda_emu::testrun {

struct RunOptions {
    int jobs = 1;
    std::string filter;  // run the cases whose "FILE: NAME" contains it; empty: all
};

struct CaseResult {
    std::string file;
    std::string name;
    enum class Status { passed, failed, skipped };
    Status status = Status::passed;
    std::vector<std::string> failures;
    model::Outcome outcome;
    std::string log;  // START ... REPORT, or the JSON records when the function's format is JSON
    double seconds = 0;
};

// Every case of every file, in order; skipped ones (filtered out) included. on_result is called
// as each case ends (from the worker that ran it, one call at a time).
std::vector<CaseResult> run_cases(const std::vector<CaseFile>& files, const RunOptions& options,
                                  const std::function<void(const CaseResult&)>& on_result);

}  // namespace lambda_emu::testrun
