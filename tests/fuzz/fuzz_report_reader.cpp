// REPORT lines read back into figures (report/report_reader.h): the input is a log, read whole
// (read_report_lines) and line by line (read_report_line). Both must agree, and a record's
// figures must be finite and non-negative.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_input.h"
#include "report/report_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lambda_emu;
    std::string_view text = fuzz::as_text(data, size);
    auto all = report::read_report_lines(text);

    std::size_t records = 0;
    bool failed = false;
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < text.size() && !failed;) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto one = report::read_report_line(text.substr(start, end - start), ++line_number);
        if (!one) {
            FUZZ_CHECK(one.error().message.rfind("line ", 0) == 0);
            failed = true;
        } else if (one.value()) {
            const report::ReportRecord& r = *one.value();
            FUZZ_CHECK(r.line == line_number);
            FUZZ_CHECK(std::isfinite(r.duration_ms) && r.duration_ms >= 0);
            FUZZ_CHECK(std::isfinite(r.billed_duration_ms) && r.billed_duration_ms >= 0);
            FUZZ_CHECK(r.memory_size_mb >= 0 && r.max_memory_used_mb >= 0);
            FUZZ_CHECK(!r.init_duration_ms || *r.init_duration_ms >= 0);
            ++records;
        }
        start = end + 1;
    }
    FUZZ_CHECK(all.ok() == !failed);
    if (all) FUZZ_CHECK(all.value().size() == records);
    return 0;
}
