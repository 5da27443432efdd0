// Whether an invocation met a case's expectations; each mismatch as one readable line
// ("/statusCode: expected 200, got 500").
#pragma once

#include <string>
#include <vector>

#include "model/outcome.h"
#include "testrun/case_file.h"

namespace lambda_emu::testrun {

// The mismatches between the case's expectations and what the invocation produced (`log`: its
// lines, START to REPORT). Empty when the case passes.
std::vector<std::string> check_case(const TestCase& test, const model::Outcome& outcome,
                                    const std::string& log);

// The differences of actual from expected, one line per JSON pointer. `subset`: keys of actual
// objects that expected does not name are fine.
void json_diff(const Json& expected, const Json& actual, bool subset, const std::string& pointer,
               std::vector<std::string>& out);

// Why the value does not match (nullptr: the pointer found nothing); empty when it does.
std::string mismatch(const Matcher& matcher, const Json* actual);

}  // namespace lambda_emu::testrun
