// The harness's findings: one row per figure, each with its floor, ratio, target and verdict;
// printed as a table and written as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace lambda_emu::harness {

enum class Verdict { pass, miss, info, not_measured };

struct Row {
    std::string scenario;  // "1 warm, 1 connection"
    std::string metric;    // "p50 latency"
    std::string unit;      // "us", "ms", "/s", "MB", "KB"
    std::optional<double> value;
    std::optional<double> floor;
    std::optional<double> ratio;  // what the target compares, when it is a ratio
    std::string target;           // "<= 1.5x floor"
    Verdict verdict = Verdict::info;
    std::string note;
};

class Results {
  public:
    Row& add(Row row);
    // value against floor: ratio = value / floor, pass when ratio <= limit.
    Row& ratio_at_most(std::string scenario, std::string metric, std::string unit, double value,
                       double floor, double limit);
    // value against an absolute limit (floor shown when known).
    Row& value_at_most(std::string scenario, std::string metric, const std::string& unit,
                       double value, std::optional<double> floor, double limit);
    Row& value_at_least(std::string scenario, std::string metric, const std::string& unit,
                        double value, std::optional<double> floor, double limit);
    Row& info(std::string scenario, std::string metric, std::string unit, double value,
              std::optional<double> floor = std::nullopt);

    // Raw figures of a scenario (summaries, counts), kept in the JSON only.
    nlohmann::ordered_json& details(const std::string& scenario);

    void print_table(std::ostream& out) const;
    nlohmann::ordered_json to_json() const;
    int misses() const;

  private:
    std::vector<Row> m_rows;
    nlohmann::ordered_json m_details = nlohmann::ordered_json::object();
};

}  // namespace lambda_emu::harness
