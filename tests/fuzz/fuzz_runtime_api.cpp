// The Runtime API's routes over a RuntimeExchange, without sockets: each section of the input is
// a request to the API (see fuzz_input.h) or an action of the sandbox's side:
//
//   !submit ID [PAYLOAD]   queue an invocation        !exit    the runtime process ended
//   !stream ID [PAYLOAD]   the same, streamed on      !close   the environment shuts down
//   !take                  take the answer            !wait    every wait, with a past deadline
//
// Nothing blocks: before a GET /next that would wait, an invocation is queued (or, while one
// runs, the exchange is closed or the runtime exits), and every wait has a deadline of now.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/runtime_exchange.h"
#include "fuzz_input.h"
#include "model/wire.h"
#include "runtime_api/routes.h"
#include "util/clock.h"

namespace {

using namespace lambda_emu;

class CountingStream final : public model::ResponseStream {
  public:
    void begin(const std::string& content_type) override { m_bytes += content_type.size(); }
    void write(std::string_view bytes) override { m_bytes += bytes.size(); }

  private:
    std::size_t m_bytes = 0;
};

struct Environment {
    util::ManualClock clock;
    core::RuntimeExchange exchange{clock};
    bool pending = false;  // an invocation is queued and not handed over yet
    bool closed = false;
    std::string last_submitted;
    std::size_t steps = 0;
};

void submit(Environment& env, std::string id, std::string_view payload, bool streamed) {
    model::Invocation inv;
    inv.request_id = std::move(id);
    inv.payload = payload.empty() ? std::string("{}") : std::string(payload);
    inv.deadline = env.clock.system_now() + std::chrono::seconds(3);
    inv.invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:fuzz";
    inv.trace_id = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    inv.client_context = payload.size() % 2 ? R"({"custom":{}})" : "";
    if (streamed) inv.stream = std::make_shared<CountingStream>();
    env.last_submitted = inv.request_id;
    env.exchange.submit(std::move(inv));
    env.pending = true;
}

void sandbox_action(Environment& env, std::string_view line) {
    std::string_view word = line.substr(0, line.find(' '));
    std::string_view rest = word.size() < line.size() ? line.substr(word.size() + 1) : "";
    std::string_view id = rest.substr(0, rest.find(' '));
    std::string_view payload = id.size() < rest.size() ? rest.substr(id.size() + 1) : "";
    util::SteadyTime now = env.clock.steady_now();
    if (word == "!submit" || word == "!stream") {
        submit(env, std::string(id), payload, word == "!stream");
    } else if (word == "!exit") {
        env.exchange.runtime_exited({false, "exit status 1"});
    } else if (word == "!close") {
        env.exchange.close();
        env.closed = true;
    } else if (word == "!take") {
        (void)env.exchange.take_answer();
    } else if (word == "!wait") {
        (void)env.exchange.wait_init(now);
        (void)env.exchange.wait_answer(now);
        (void)env.exchange.wait_back(now);
    }
    env.clock.advance(std::chrono::milliseconds(1));
}

// Whether the routes take this request to RuntimeExchange::next().
bool is_next(const runtime_api::HttpRequest& request) {
    std::string_view path = request.target;
    path = path.substr(0, path.find('?'));
    return request.method == "GET" && path == "/2018-06-01/runtime/invocation/next";
}

// Makes RuntimeExchange::next() return at once: it waits for a queued invocation, and while
// one runs it waits for good.
void unblock_next(Environment& env) {
    if (env.closed) return;
    switch (env.exchange.state()) {
        case core::EnvState::started:
        case core::EnvState::ready:
        case core::EnvState::response_sent:
            if (!env.pending) submit(env, "next-" + std::to_string(env.steps), "", false);
            break;
        case core::EnvState::running:
            if (env.steps % 2) {
                env.exchange.close();
                env.closed = true;
            } else {
                env.exchange.runtime_exited({false, "signal: killed"});
            }
            break;
        case core::EnvState::init_error:
        case core::EnvState::dead:
            break;
    }
}

void runtime_request(Environment& env, std::string_view text) {
    fuzz::TextRequest t = fuzz::parse_request(text);
    runtime_api::HttpRequest req;
    req.method = t.method;
    req.target = t.target;
    req.headers = t.headers;
    req.trailers = t.trailers;
    req.chunked = t.has_flag("chunked") || !t.trailers.empty();

    // As the server does: the limit and the observer from the head, then the body.
    std::size_t limit = runtime_api::body_limit_for(req);
    runtime_api::BodyObserver observer = runtime_api::response_stream_observer(req, env.exchange);
    req.body = t.body;
    req.body_bytes = t.body.size();
    if (t.has_flag("over-limit")) {
        req.body_bytes += limit + 1;
        req.body_over_limit = true;
    }
    if (observer && !req.body.empty()) {
        std::string_view body = req.body;
        observer(body.substr(0, body.size() / 2));
        observer(body.substr(body.size() / 2));
    }

    bool next = is_next(req);
    if (next) unblock_next(env);
    runtime_api::HttpResponse res = runtime_api::handle_runtime_request(req, env.exchange);

    FUZZ_CHECK(res.status >= 100 && res.status <= 599);
    FUZZ_CHECK(runtime_api::reason_phrase(res.status) != nullptr);
    if (next && res.status == 200) {
        const std::string* id = runtime_api::find_header(res.headers, model::wire::k_request_id);
        FUZZ_CHECK(id != nullptr && *id == env.last_submitted);
        FUZZ_CHECK(env.exchange.state() == core::EnvState::running);
        env.pending = false;
    }
    if (res.status == 202 && t.path() != "/2018-06-01/runtime/init/error") {
        // An accepted answer is there for the sandbox to take.
        FUZZ_CHECK(env.exchange.state() == core::EnvState::response_sent);
        FUZZ_CHECK(env.exchange.wait_answer(env.clock.steady_now()) == core::WaitResult::answered);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Environment env;
    for (std::string_view section : fuzz::sections(fuzz::as_text(data, size))) {
        ++env.steps;
        if (!section.empty() && section.front() == '!') {
            sandbox_action(env, section);
        } else {
            runtime_request(env, section);
        }
    }
    return 0;
}
