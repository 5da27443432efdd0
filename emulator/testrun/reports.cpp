#include "testrun/reports.h"

#include <cstdio>
#include <map>

#include "report/xml_text.h"

namespace lambda_emu::testrun {

namespace {

std::string cdata(const std::string& s) {
    const std::string text = report::xml_safe(s);
    std::string out = "<![CDATA[";
    for (std::size_t at = 0;;) {
        std::size_t end = text.find("]]>", at);
        if (end == std::string::npos) {
            out += text.substr(at);
            break;
        }
        out += text.substr(at, end - at) + "]]]]><![CDATA[>";
        at = end + 3;
    }
    return out + "]]>";
}

std::string seconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", s);
    return buf;
}

struct Counts {
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    double seconds = 0;
    void add(const CaseResult& r) {
        seconds += r.seconds;
        switch (r.status) {
            case CaseResult::Status::passed:
                ++passed;
                break;
            case CaseResult::Status::failed:
                ++failed;
                break;
            case CaseResult::Status::skipped:
                ++skipped;
                break;
        }
    }
    int total() const { return passed + failed + skipped; }
};

const char* status_name(CaseResult::Status s) {
    switch (s) {
        case CaseResult::Status::passed:
            return "passed";
        case CaseResult::Status::failed:
            return "failed";
        case CaseResult::Status::skipped:
            return "skipped";
    }
    return "";
}

}  // namespace

std::string summary_line(const std::vector<CaseResult>& results) {
    Counts c;
    for (const auto& r : results) c.add(r);
    std::string line =
        std::to_string(c.passed) + " passed, " + std::to_string(c.failed) + " failed";
    if (c.skipped > 0) line += ", " + std::to_string(c.skipped) + " skipped";
    return line;
}

std::string junit_xml(const std::vector<CaseResult>& results) {
    std::vector<std::string> order;
    std::map<std::string, std::vector<const CaseResult*>> by_file;
    Counts all;
    for (const auto& r : results) {
        if (!by_file.count(r.file)) order.push_back(r.file);
        by_file[r.file].push_back(&r);
        all.add(r);
    }
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += "<testsuites name=\"lambda-emu test\" tests=\"" + std::to_string(all.total()) +
           "\" failures=\"" + std::to_string(all.failed) + "\" errors=\"0\" skipped=\"" +
           std::to_string(all.skipped) + "\" time=\"" + seconds(all.seconds) + "\">\n";
    for (const auto& file : order) {
        Counts c;
        for (const auto* r : by_file[file]) c.add(*r);
        xml += "  <testsuite name=\"" + report::xml_attribute(file) + "\" tests=\"" +
               std::to_string(c.total()) + "\" failures=\"" + std::to_string(c.failed) +
               "\" errors=\"0\" skipped=\"" + std::to_string(c.skipped) + "\" time=\"" +
               seconds(c.seconds) + "\">\n";
        for (const auto* r : by_file[file]) {
            xml += "    <testcase name=\"" + report::xml_attribute(r->name) + "\" classname=\"" +
                   report::xml_attribute(file) + "\" time=\"" + seconds(r->seconds) + "\"";
            if (r->status == CaseResult::Status::passed && r->log.empty()) {
                xml += "/>\n";
                continue;
            }
            xml += ">\n";
            if (r->status == CaseResult::Status::skipped) {
                xml += "      <skipped message=\"filtered out\"/>\n";
            } else if (r->status == CaseResult::Status::failed) {
                std::string all_failures;
                for (const auto& f : r->failures) all_failures += f + "\n";
                xml += "      <failure message=\"" + report::xml_attribute(r->failures.front()) +
                       "\" type=\"lambda-emu\">" +
                       cdata(all_failures + "\nresponse: " + r->outcome.body + "\n\n" + r->log) +
                       "</failure>\n";
            }
            if (!r->log.empty()) xml += "      <system-out>" + cdata(r->log) + "</system-out>\n";
            xml += "    </testcase>\n";
        }
        xml += "  </testsuite>\n";
    }
    xml += "</testsuites>\n";
    return xml;
}

std::string results_json(const std::vector<CaseResult>& results) {
    Json cases = Json::array();
    Counts all;
    for (const auto& r : results) {
        all.add(r);
        Json c;
        c["file"] = r.file;
        c["name"] = r.name;
        c["status"] = status_name(r.status);
        c["seconds"] = r.seconds;
        c["failures"] = r.failures;
        if (r.status != CaseResult::Status::skipped) {
            const model::Metrics& m = r.outcome.metrics;
            c["request_id"] = r.outcome.request_id;
            c["outcome"] = model::status_name(r.outcome.kind);
            c["error_type"] = r.outcome.error_type;
            c["response"] = r.outcome.body;
            c["metrics"] = {{"init_duration_ms",
                             m.init_duration_ms ? Json(*m.init_duration_ms) : Json(nullptr)},
                            {"duration_ms", m.duration_ms},
                            {"billed_duration_ms", m.billed_duration_ms},
                            {"memory_size_mb", m.memory_size_mb},
                            {"max_memory_used_mb", m.max_memory_used_mb}};
            c["log"] = r.log;
        }
        cases.push_back(std::move(c));
    }
    Json out;
    out["summary"] = {{"passed", all.passed}, {"failed", all.failed}, {"skipped", all.skipped}};
    out["cases"] = std::move(cases);
    return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace lambda_emu::testrun
