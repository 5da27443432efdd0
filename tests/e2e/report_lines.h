// Parsing REPORT lines and running `lambda-emu invoke` for end-to-end tests.
#pragma once

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "e2e/run_command.h"

namespace lambda_emu::testing {

inline const std::regex k_uuid_report(
    R"(^REPORT RequestId: ([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\tDuration: (\d+\.\d{2}) ms\tBilled Duration: (\d+) ms\tMemory Size: (\d+) MB\tMax Memory Used: (\d+) MB\t(Init Duration: (\d+\.\d{2}) ms\t)?(.*)$)");

struct Report {
    std::string request_id;
    double duration_ms = 0;
    long billed_ms = 0;
    int memory_size = 0;
    int max_used = 0;
    bool has_init = false;
    double init_ms = 0;
    std::string status;  // what follows, e.g. "Status: timeout\t"
};

inline std::vector<Report> reports(const std::string& err) {
    std::vector<Report> out;
    for (const auto& line : lines_starting(err, "REPORT ")) {
        std::smatch m;
        EXPECT_TRUE(std::regex_match(line, m, k_uuid_report)) << line;
        if (m.empty()) continue;
        Report r;
        r.request_id = m[1];
        r.duration_ms = std::stod(m[2]);
        r.billed_ms = std::stol(m[3]);
        r.memory_size = std::stoi(m[4]);
        r.max_used = std::stoi(m[5]);
        r.has_init = m[6].matched;
        if (r.has_init) r.init_ms = std::stod(m[7]);
        r.status = m[8];
        out.push_back(r);
    }
    return out;
}

inline CommandResult invoke(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {lambda_emu_bin(), "invoke"});
    return run_command(args, stdin_text, std::chrono::seconds(60));
}

}  // namespace lambda_emu::testing
