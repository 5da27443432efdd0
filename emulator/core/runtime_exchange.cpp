#include "core/runtime_exchange.h"

namespace lambda_emu::core {

template <typename Pred>
bool RuntimeExchange::wait_until(std::unique_lock<std::mutex>& lock, util::SteadyTime deadline,
                                 Pred pred) {
    // Deadlines come from the injected clock; the wait itself is on the real steady clock.
    auto remaining = deadline - m_clock.steady_now();
    return m_cv.wait_for(lock, remaining, pred);
}

std::optional<model::Invocation> RuntimeExchange::next() {
    std::unique_lock lock(m_mutex);
    if (m_closed || !transition_allowed(m_state, Transition::next)) return std::nullopt;
    m_last_next_at = m_clock.steady_now();
    if (m_state == EnvState::started) m_first_next_at = m_last_next_at;
    m_state = apply(m_state, Transition::next);
    ++m_pollers;
    m_cv.notify_all();
    m_cv.wait(lock, [&] {
        return m_closed || m_state == EnvState::dead ||
               (m_pending.has_value() && transition_allowed(m_state, Transition::hand_over));
    });
    --m_pollers;
    if (m_closed || m_state == EnvState::dead) return std::nullopt;
    model::Invocation invocation = std::move(*m_pending);
    m_pending.reset();
    m_state = apply(m_state, Transition::hand_over);
    m_current_id = invocation.request_id;
    m_current_stream = invocation.stream;
    m_last_answered_id.clear();  // from now on an answer for it is stale: 400, not 403
    m_handed_over_at = m_clock.steady_now();
    m_cv.notify_all();
    return invocation;
}

PostResult RuntimeExchange::answer(std::string_view request_id, RuntimeAnswer answer) {
    std::lock_guard lock(m_mutex);
    Transition t = answer.kind == RuntimeAnswer::Kind::error ? Transition::invocation_error
                                                             : Transition::invocation_response;
    if (!request_id.empty() && request_id == m_current_id && transition_allowed(m_state, t)) {
        m_state = apply(m_state, t);
        m_answered_at = m_clock.steady_now();
        m_answer = std::move(answer);
        m_last_answered_id = std::move(m_current_id);
        m_current_id.clear();
        m_current_stream.reset();
        m_cv.notify_all();
        return {PostStatus::accepted, {}};
    }
    if (!request_id.empty() && request_id == m_last_answered_id) {
        return {PostStatus::invalid_state, refusal_message(m_state, t)};
    }
    return {PostStatus::invalid_request_id, {}};
}

PostResult RuntimeExchange::init_error(std::string error_type, std::string body) {
    std::lock_guard lock(m_mutex);
    if (!transition_allowed(m_state, Transition::init_error)) {
        return {PostStatus::invalid_state, refusal_message(m_state, Transition::init_error)};
    }
    m_state = apply(m_state, Transition::init_error);
    m_init_error_posted = true;
    m_init_error_type = std::move(error_type);
    m_init_error_body = std::move(body);
    m_cv.notify_all();
    return {PostStatus::accepted, {}};
}

bool RuntimeExchange::is_current(std::string_view request_id) const {
    std::lock_guard lock(m_mutex);
    return !request_id.empty() && request_id == m_current_id;
}

std::shared_ptr<model::ResponseStream> RuntimeExchange::stream_for(
    std::string_view request_id) const {
    std::lock_guard lock(m_mutex);
    if (request_id.empty() || request_id != m_current_id) return nullptr;
    return m_current_stream;
}

void RuntimeExchange::runtime_exited(RuntimeExit exit) {
    std::lock_guard lock(m_mutex);
    m_state = apply(m_state, Transition::exit);
    m_exit = std::move(exit);
    m_cv.notify_all();
}

WaitResult RuntimeExchange::wait_init(util::SteadyTime deadline) {
    std::unique_lock lock(m_mutex);
    wait_until(lock, deadline, [&] { return m_closed || m_state != EnvState::started; });
    // A runtime that posts /init/error usually exits right after: the report it posted wins.
    if (m_init_error_posted) return WaitResult::init_error;
    if (m_state == EnvState::dead) return WaitResult::exited;
    if (m_closed) return WaitResult::closed;
    if (m_state == EnvState::started) return WaitResult::timed_out;
    return WaitResult::ready;
}

void RuntimeExchange::submit(model::Invocation invocation) {
    std::lock_guard lock(m_mutex);
    m_answer.reset();
    m_pending = std::move(invocation);
    m_cv.notify_all();
}

WaitResult RuntimeExchange::wait_answer(util::SteadyTime deadline) {
    std::unique_lock lock(m_mutex);
    wait_until(lock, deadline,
               [&] { return m_closed || m_answer.has_value() || m_state == EnvState::dead; });
    if (m_answer) return WaitResult::answered;
    if (m_state == EnvState::dead) return WaitResult::exited;
    if (m_closed) return WaitResult::closed;
    return WaitResult::timed_out;
}

WaitResult RuntimeExchange::wait_back(util::SteadyTime deadline) {
    std::unique_lock lock(m_mutex);
    wait_until(lock, deadline,
               [&] { return m_closed || m_state == EnvState::dead || m_pollers > 0; });
    if (m_state == EnvState::dead) return WaitResult::exited;
    if (m_closed) return WaitResult::closed;
    return m_pollers > 0 ? WaitResult::ready : WaitResult::timed_out;
}

void RuntimeExchange::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_cv.notify_all();
}

RuntimeAnswer RuntimeExchange::take_answer() {
    std::lock_guard lock(m_mutex);
    RuntimeAnswer out = m_answer ? std::move(*m_answer) : RuntimeAnswer{};
    m_answer.reset();
    return out;
}

std::optional<RuntimeExit> RuntimeExchange::exit_info() const {
    std::lock_guard lock(m_mutex);
    return m_exit;
}

std::string RuntimeExchange::init_error_type() const {
    std::lock_guard lock(m_mutex);
    return m_init_error_type;
}

std::string RuntimeExchange::init_error_body() const {
    std::lock_guard lock(m_mutex);
    return m_init_error_body;
}

EnvState RuntimeExchange::state() const {
    std::lock_guard lock(m_mutex);
    return m_state;
}

util::SteadyTime RuntimeExchange::first_next_at() const {
    std::lock_guard lock(m_mutex);
    return m_first_next_at;
}

util::SteadyTime RuntimeExchange::handed_over_at() const {
    std::lock_guard lock(m_mutex);
    return m_handed_over_at;
}

util::SteadyTime RuntimeExchange::answered_at() const {
    std::lock_guard lock(m_mutex);
    return m_answered_at;
}

util::SteadyTime RuntimeExchange::last_next_at() const {
    std::lock_guard lock(m_mutex);
    return m_last_next_at;
}

}  // namespace lambda_emu::core
