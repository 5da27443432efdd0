// The results of `lambda-emu test` as files for CI: JUnit XML (one testcase per case, the
// failure and the log as CDATA, timings) and JSON (every metric of every case).
#pragma once

#include <string>
#include <vector>

#include "testrun/runner.h"

namespace lambda_emu::testrun {

std::string junit_xml(const std::vector<CaseResult>& results);
std::string results_json(const std::vector<CaseResult>& results);

// "3 passed, 1 failed" (", 2 skipped" when some were filtered out).
std::string summary_line(const std::vector<CaseResult>& results);

}  // namespace lambda_emu::testrun
