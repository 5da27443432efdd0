// Partial batch responses (events::interpret_batch): the first section is the event, the second
// the function's response, and a third section "failed" marks the invocation failed. Records
// that would be retried must be records of the batch.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/batch_response.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lambda_emu;
    std::vector<std::string_view> parts = fuzz::sections(fuzz::as_text(data, size));
    std::string event(parts[0]);
    std::string response(parts.size() > 1 ? parts[1] : std::string_view());
    bool failed = parts.size() > 2 && parts[2].substr(0, 6) == "failed";
    auto verdict = events::interpret_batch(event, response, failed);
    if (!verdict) return 0;
    FUZZ_CHECK(verdict->records > 0);
    FUZZ_CHECK(!failed || verdict->whole_batch_retried);
    FUZZ_CHECK(verdict->retried.size() <= verdict->records);
    FUZZ_CHECK(!verdict->describe().empty());
    return 0;
}
