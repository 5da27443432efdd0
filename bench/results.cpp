#include "results.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace lambda_emu::harness {

namespace {

const char* verdict_word(Verdict v) {
    switch (v) {
        case Verdict::pass:
            return "pass";
        case Verdict::miss:
            return "MISS";
        case Verdict::info:
            return "-";
        case Verdict::not_measured:
            return "not measured";
    }
    return "?";
}

std::string number(double v) {
    char buf[64];
    double a = std::fabs(v);
    if (a >= 10000) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else if (a >= 100) {
        std::snprintf(buf, sizeof buf, "%.1f", v);
    } else if (a >= 1) {
        std::snprintf(buf, sizeof buf, "%.2f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.3f", v);
    }
    return buf;
}

std::string with_unit(const std::optional<double>& v, const std::string& unit) {
    if (!v) return "-";
    return number(*v) + (unit.empty() ? "" : " " + unit);
}

std::string pad(const std::string& s, std::size_t width) {
    // Column widths count characters, and "µ" is two bytes: the units avoid it.
    return s.size() >= width ? s + " " : s + std::string(width - s.size(), ' ');
}

}  // namespace

Row& Results::add(Row row) {
    m_rows.push_back(std::move(row));
    return m_rows.back();
}

Row& Results::ratio_at_most(std::string scenario, std::string metric, std::string unit,
                            double value, double floor, double limit) {
    Row r{std::move(scenario), std::move(metric), std::move(unit), value, floor, {}, {}, {}, {}};
    r.ratio = floor > 0 ? value / floor : NAN;
    r.target = "<= " + number(limit) + "x floor";
    r.verdict = r.ratio && *r.ratio <= limit ? Verdict::pass : Verdict::miss;
    return add(std::move(r));
}

Row& Results::value_at_most(std::string scenario, std::string metric, const std::string& unit,
                            double value, std::optional<double> floor, double limit) {
    Row r{std::move(scenario), std::move(metric), unit, value, floor, {}, {}, {}, {}};
    if (floor && *floor > 0) r.ratio = value / *floor;
    r.target = "<= " + number(limit) + " " + unit;
    r.verdict = value <= limit ? Verdict::pass : Verdict::miss;
    return add(std::move(r));
}

Row& Results::value_at_least(std::string scenario, std::string metric, const std::string& unit,
                             double value, std::optional<double> floor, double limit) {
    Row r{std::move(scenario), std::move(metric), unit, value, floor, {}, {}, {}, {}};
    if (floor && *floor > 0) r.ratio = value / *floor;
    r.target = ">= " + number(limit) + " " + unit;
    r.verdict = value >= limit ? Verdict::pass : Verdict::miss;
    return add(std::move(r));
}

Row& Results::info(std::string scenario, std::string metric, std::string unit, double value,
                   std::optional<double> floor) {
    Row r{std::move(scenario), std::move(metric), std::move(unit), value, floor, {}, {}, {}, {}};
    if (floor && *floor > 0) r.ratio = value / *floor;
    r.verdict = Verdict::info;
    return add(std::move(r));
}

nlohmann::ordered_json& Results::details(const std::string& scenario) {
    return m_details[scenario];
}

int Results::misses() const {
    int n = 0;
    for (const auto& r : m_rows) n += r.verdict == Verdict::miss ? 1 : 0;
    return n;
}

void Results::print_table(std::ostream& out) const {
    const std::size_t w_scenario = 27, w_metric = 38, w_value = 14, w_floor = 14, w_ratio = 9,
                      w_target = 20;
    out << pad("scenario", w_scenario) << pad("metric", w_metric) << pad("lambda-emu", w_value)
        << pad("floor", w_floor) << pad("ratio", w_ratio) << pad("target", w_target) << "result\n";
    out << std::string(w_scenario + w_metric + w_value + w_floor + w_ratio + w_target + 12, '-')
        << "\n";
    std::string last;
    for (const auto& r : m_rows) {
        std::string scenario = r.scenario == last ? "" : r.scenario;
        last = r.scenario;
        std::string ratio = r.ratio && !std::isnan(*r.ratio) ? number(*r.ratio) + "x" : "-";
        out << pad(scenario, w_scenario) << pad(r.metric, w_metric)
            << pad(r.value ? with_unit(r.value, r.unit) : "-", w_value)
            << pad(with_unit(r.floor, r.unit), w_floor) << pad(ratio, w_ratio)
            << pad(r.target.empty() ? "-" : r.target, w_target) << verdict_word(r.verdict);
        if (!r.note.empty()) out << "  (" << r.note << ")";
        out << "\n";
    }
}

nlohmann::ordered_json Results::to_json() const {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const auto& r : m_rows) {
        nlohmann::ordered_json j;
        j["scenario"] = r.scenario;
        j["metric"] = r.metric;
        j["unit"] = r.unit;
        j["value"] = r.value ? nlohmann::ordered_json(*r.value) : nlohmann::ordered_json();
        j["floor"] = r.floor ? nlohmann::ordered_json(*r.floor) : nlohmann::ordered_json();
        j["ratio"] = r.ratio && !std::isnan(*r.ratio) ? nlohmann::ordered_json(*r.ratio)
                                                      : nlohmann::ordered_json();
        j["target"] = r.target;
        j["result"] = verdict_word(r.verdict);
        if (!r.note.empty()) j["note"] = r.note;
        rows.push_back(std::move(j));
    }
    nlohmann::ordered_json out;
    out["rows"] = std::move(rows);
    out["details"] = m_details;
    return out;
}

}  // namespace lambda_emu::harness
