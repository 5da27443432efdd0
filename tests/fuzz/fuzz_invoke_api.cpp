// The Invoke API (frontend::InvokeApi) from a request in the text form of fuzz_input.h, and the
// FunctionName forms (frontend::parse_function_ref) of its path and of the first line.
//
// Functions "fn", "my-function" and "orders" exist, but their pools are shut down before the
// first request: an invocation that passes every check is refused at once (429, or an Event
// dropped by a stopped AsyncInvoker), so nothing is ever spawned. The flag ":throttle" picks the
// API with InvokeApiOptions::throttle; ":stopping" one that has stopped accepting.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "events/url_encoding.h"
#include "frontend/async_invoker.h"
#include "frontend/function_directory.h"
#include "frontend/function_name.h"
#include "frontend/invoke_api.h"
#include "fuzz_input.h"
#include "model/log_event.h"
#include "pool/function_pool.h"
#include "report/tail_sink.h"
#include "util/clock.h"

namespace {

using namespace lambda_emu;

struct Served {
    model::NullLogSink discard;
    report::TailSink tail{discard, report::LogFormat::text};
    frontend::FunctionDirectory directory;
    frontend::AsyncInvoker async{0, std::chrono::milliseconds(0), 0};
    frontend::InvokeApi waiting{directory, async, {false}};
    frontend::InvokeApi throttled{directory, async, {true}};
    frontend::InvokeApi stopping{directory, async, {false}};

    Served() {
        async.stop();  // Event invocations are dropped
        stopping.stop_accepting();
        for (const char* name : {"fn", "my-function", "orders"}) {
            model::FunctionConfig config;
            config.name = name;
            config.bootstrap = "/nonexistent/lambda-emu-fuzz/bootstrap";
            config.task_root = "/nonexistent/lambda-emu-fuzz";
            auto pool = std::make_shared<pool::FunctionPool>(config, tail, util::system_clock());
            pool->shutdown();
            directory.put(name, {pool, &tail});
        }
    }
};

Served& served() {
    static Served s;
    return s;
}

void check_function_ref(const std::string& text) {
    auto ref = frontend::parse_function_ref(text);
    if (!ref) return;
    FUZZ_CHECK(!ref->name.empty());
    FUZZ_CHECK(ref->name.find(':') == std::string::npos);
    FUZZ_CHECK(ref->qualifier.find(':') == std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = fuzz::as_text(data, size);
    check_function_ref(std::string(text.substr(0, text.find('\n'))));

    fuzz::TextRequest t = fuzz::parse_request(text);
    frontend::ApiRequest req;
    req.method = t.method;
    req.target = t.target;
    // As cpp-httplib hands it over: the path percent-decoded, query values decoded, the first of
    // repeated parameters and headers found.
    std::string raw_path = t.path();
    req.path = events::url_decode(raw_path, false).value_or(raw_path);
    for (const auto& [k, v] : events::split_query(t.query())) {
        req.query.emplace(events::url_decode(k, true).value_or(k),
                          events::url_decode(v, true).value_or(v));
    }
    req.headers = t.headers;
    req.header = [&t](const std::string& name) { return fuzz::find_pair(t.headers, name); };
    req.body = t.body;
    req.remote_addr = "127.0.0.1";

    constexpr std::string_view k_prefix = "/2015-03-31/functions/";
    if (req.path.rfind(k_prefix, 0) == 0) {
        std::string rest = req.path.substr(k_prefix.size());
        check_function_ref(rest.substr(0, rest.find('/')));
    }

    Served& s = served();
    frontend::InvokeApi& api = t.has_flag("stopping")   ? s.stopping
                               : t.has_flag("throttle") ? s.throttled
                                                        : s.waiting;
    frontend::ApiResponse res = api.handle(req);
    FUZZ_CHECK(res.status >= 200 && res.status <= 599);
    FUZZ_CHECK(!res.stream);
    // Nothing runs: a request that reaches a pool is refused there.
    FUZZ_CHECK(res.status != 200);
    if (res.status >= 400) {
        FUZZ_CHECK(fuzz::find_pair(res.headers, "X-Amzn-ErrorType") != nullptr);
    }
    return 0;
}
