// lambda-emu benchmark workload "health": the minimal /health endpoint of
// rust-lambda-cold-start-floor (GET /health -> 200 "Healthy"), as an API Gateway / Function
// URL proxy response. Nothing happens at init but reading AWS_LAMBDA_RUNTIME_API.

#include <string>
#include <string_view>

#include "runtime_loop.h"

namespace {

constexpr std::string_view k_healthy =
    R"({"statusCode":200,"headers":{"content-type":"text/plain"},)"
    R"("body":"Healthy","isBase64Encoded":false})";

void handle(std::string_view /*event*/, std::string& response) { response.assign(k_healthy); }

}  // namespace

int main() { bench::run_loop(handle); }
