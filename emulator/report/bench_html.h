// `lambda-emu bench --html FILE`: one self-contained page (inline SVG and CSS; no script, no
// network) with the run's settings, a summary table and a CDF chart per metric, the cost, and
// the comparison table. Well-formed XML as well as HTML5, so it parses strictly.
#pragma once

#include <string>

#include "report/bench_data.h"

namespace lambda_emu::report {

std::string bench_html(const BenchRun& run);

}  // namespace lambda_emu::report
