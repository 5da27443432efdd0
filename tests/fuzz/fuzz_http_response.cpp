// What a client of the HTTP front doors receives for a handler's answer
// (events::http_reply), and how an event's front door is told (http_event_kind). The first
// line names the front door and flags: "v1", "v2", "alb" or "none", then optionally "multi"
// (an ALB target group with multi-value headers) and "failed" (the invocation failed); the rest
// is the function's response, also read as an event.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "events/http_response.h"
#include "fuzz_input.h"

namespace {

using namespace lambda_emu;

bool has_word(std::string_view line, std::string_view word) {
    while (!line.empty()) {
        std::string_view w = line.substr(0, line.find(' '));
        if (w == word) return true;
        line.remove_prefix(std::min(line.size(), w.size() + 1));
    }
    return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = fuzz::as_text(data, size);
    std::size_t newline = text.find('\n');
    std::string_view head = text.substr(0, newline);
    std::string body(newline == std::string_view::npos ? std::string_view()
                                                       : text.substr(newline + 1));

    events::HttpEventKind kind = has_word(head, "v1")    ? events::HttpEventKind::apigw_v1
                                 : has_word(head, "v2")  ? events::HttpEventKind::apigw_v2
                                 : has_word(head, "alb") ? events::HttpEventKind::alb
                                                         : events::HttpEventKind::none;
    bool failed = has_word(head, "failed");
    events::HttpReply reply = events::http_reply(kind, body, failed, has_word(head, "multi"));
    FUZZ_CHECK(reply.status >= 100 && reply.status <= 599);
    FUZZ_CHECK(!failed || reply.status == 502);
    FUZZ_CHECK(reply.problem.empty() || reply.status == 502);
    FUZZ_CHECK(fuzz::find_pair(reply.headers, "content-type") != nullptr);
    (void)reply.describe();

    events::HttpEventKind seen = events::http_event_kind(body);
    FUZZ_CHECK(events::front_end_name(seen) != nullptr);
    (void)events::alb_multi_value_event(body);
    return 0;
}
