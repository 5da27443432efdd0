// The rendezvous between one environment's runtime (through the Runtime API) and the sandbox
// that drives it. Thread-safe; every state change goes through environment_state's rules.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/environment_state.h"
#include "model/invocation.h"
#include "util/clock.h"

namespace lambda_emu::core {

struct RuntimeAnswer {
    enum class Kind {
        response,           // POST /response
        error,              // POST /error, or a streamed response that ended in an error trailer
        too_large,          // the response exceeded the payload limit (413 to the runtime)
        bad_response_mode,  // Lambda-Runtime-Function-Response-Mode other than "streaming"
    };
    Kind kind = Kind::response;
    std::string body;
    std::string error_type;  // the Lambda-Runtime-Function-Error-Type header or trailer
    std::string content_type;
    bool streamed = false;
    std::size_t body_bytes = 0;  // bytes the runtime sent, even when the body was not kept
};

// How the runtime process ended, in the service's words: "exit status 1", "signal: killed".
struct RuntimeExit {
    bool clean = false;  // exit status 0
    std::string description;
};

enum class PostStatus { accepted, invalid_request_id, invalid_state };

struct PostResult {
    PostStatus status = PostStatus::accepted;
    std::string message;  // for invalid_state
};

enum class WaitResult { ready, init_error, answered, exited, timed_out, closed };

class RuntimeExchange {
  public:
    explicit RuntimeExchange(const util::Clock& clock) : m_clock(clock) {}

    // --- runtime side (Runtime API handlers) ---
    // Blocks until an invocation is handed over; nothing once the environment closes or dies.
    std::optional<model::Invocation> next();
    PostResult answer(std::string_view request_id, RuntimeAnswer answer);
    PostResult init_error(std::string error_type, std::string body);
    // Is `request_id` the invocation the runtime is working on now?
    bool is_current(std::string_view request_id) const;
    // The consumer of the current invocation's streamed response, if it is `request_id` and has
    // one.
    std::shared_ptr<model::ResponseStream> stream_for(std::string_view request_id) const;

    // --- supervisor side ---
    void runtime_exited(RuntimeExit exit);

    // --- sandbox side ---
    // Until the first /next (ready), /init/error, exit, or the deadline.
    WaitResult wait_init(util::SteadyTime deadline);
    // Queue an invocation for the runtime's next /next.
    void submit(model::Invocation invocation);
    // Until the runtime answers, exits, or the deadline passes.
    WaitResult wait_answer(util::SteadyTime deadline);
    // After an answer: until the runtime is back on /next (ready), exits, or the deadline.
    WaitResult wait_back(util::SteadyTime deadline);
    // Wake every waiter; /next returns nothing from now on.
    void close();

    RuntimeAnswer take_answer();
    std::optional<RuntimeExit> exit_info() const;
    std::string init_error_type() const;
    std::string init_error_body() const;
    EnvState state() const;

    util::SteadyTime first_next_at() const;
    util::SteadyTime handed_over_at() const;
    util::SteadyTime answered_at() const;
    util::SteadyTime last_next_at() const;  // the runtime's latest /next

  private:
    template <typename Pred>
    bool wait_until(std::unique_lock<std::mutex>& lock, util::SteadyTime deadline, Pred pred);

    const util::Clock& m_clock;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    EnvState m_state = EnvState::started;
    bool m_closed = false;
    int m_pollers = 0;
    std::optional<model::Invocation> m_pending;
    std::string m_current_id;
    std::shared_ptr<model::ResponseStream> m_current_stream;
    std::string m_last_answered_id;
    std::optional<RuntimeAnswer> m_answer;
    std::optional<RuntimeExit> m_exit;
    bool m_init_error_posted = false;
    std::string m_init_error_type;
    std::string m_init_error_body;
    util::SteadyTime m_first_next_at{};
    util::SteadyTime m_handed_over_at{};
    util::SteadyTime m_answered_at{};
    util::SteadyTime m_last_next_at{};
};

}  // namespace lambda_emu::core
