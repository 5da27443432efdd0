#include "report/cost.h"

namespace lambda_emu::report {

namespace {

constexpr double k_x86_64_per_gb_second = 0.0000166667;
constexpr double k_arm64_per_gb_second = 0.0000133334;
constexpr double k_per_request = 0.20 / 1'000'000;
constexpr double k_million = 1'000'000;

}  // namespace

Prices default_prices(Architecture arch) {
    Prices p;
    p.per_gb_second = arch == Architecture::arm64 ? k_arm64_per_gb_second : k_x86_64_per_gb_second;
    p.per_request = k_per_request;
    return p;
}

const char* architecture_name(Architecture arch) {
    return arch == Architecture::arm64 ? "arm64" : "x86_64";
}

bool parse_architecture(std::string_view text, Architecture& out) {
    if (text == "x86_64") {
        out = Architecture::x86_64;
        return true;
    }
    if (text == "arm64") {
        out = Architecture::arm64;
        return true;
    }
    return false;
}

double gb_seconds(int memory_mb, double billed_ms) {
    return (static_cast<double>(memory_mb) / 1024.0) * billed_ms / 1000.0;
}

CostPerMillion cost_per_million(int memory_mb, double mean_billed_ms, const Prices& prices) {
    CostPerMillion c;
    c.compute = gb_seconds(memory_mb, mean_billed_ms) * k_million * prices.per_gb_second;
    c.requests = k_million * prices.per_request;
    return c;
}

double mixed_billed_ms(double warm_billed_ms, double cold_billed_ms, double cold_share) {
    double s = cold_share;
    if (!(s > 0)) s = 0;  // also a NaN share
    if (s > 1) s = 1;
    return (1 - s) * warm_billed_ms + s * cold_billed_ms;
}

}  // namespace lambda_emu::report
