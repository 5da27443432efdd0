// Estimated cost of a function (lambda-facts section 5): compute in GB-seconds at the
// architecture's first-tier price, plus the request price; free tier excluded.
#pragma once

#include <string_view>

namespace lambda_emu::report {

enum class Architecture { x86_64, arm64 };

struct Prices {
    double per_gb_second = 0;  // USD
    double per_request = 0;    // USD
};

// us-east-1, first pricing tier: x86_64 $0.0000166667 and arm64 $0.0000133334 per GB-s;
// $0.20 per 1M requests.
Prices default_prices(Architecture arch);

// "x86_64" or "arm64".
const char* architecture_name(Architecture arch);
// Parses "x86_64" or "arm64"; false for anything else.
bool parse_architecture(std::string_view text, Architecture& out);

// GB-seconds of one invocation: (memory MB / 1024) * billed ms / 1000.
double gb_seconds(int memory_mb, double billed_ms);

struct CostPerMillion {
    double compute = 0;   // USD for 1M invocations' GB-seconds
    double requests = 0;  // USD for 1M requests
    double total() const { return compute + requests; }
};

// 1M invocations whose mean Billed Duration is mean_billed_ms.
CostPerMillion cost_per_million(int memory_mb, double mean_billed_ms, const Prices& prices);

// The mean Billed Duration of a traffic mix where a share cold_share (0..1) of invocations are
// cold starts (billed Init + Duration) and the rest warm.
double mixed_billed_ms(double warm_billed_ms, double cold_billed_ms, double cold_share);

}  // namespace lambda_emu::report
