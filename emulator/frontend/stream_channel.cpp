#include "frontend/stream_channel.h"

#include <nlohmann/json.hpp>

namespace lambda_emu::frontend {

namespace {

constexpr std::string_view k_separator("\0\0\0\0\0\0\0\0", 8);

}  // namespace

void StreamChannel::begin(const std::string& content_type) {
    std::lock_guard lock(m_mutex);
    m_streamed = true;
    m_integration = content_type.rfind(k_http_integration_type, 0) == 0;
    if (!m_integration) {
        m_head.content_type = content_type.empty() ? "application/octet-stream" : content_type;
        m_head_ready = true;
    }
    m_cv.notify_all();
}

void StreamChannel::write(std::string_view bytes) {
    std::lock_guard lock(m_mutex);
    if (m_head_ready || !m_problem.empty()) {
        if (m_problem.empty()) m_pending.append(bytes);
    } else {
        m_prelude.append(bytes);
        parse_prelude();
    }
    m_cv.notify_all();
}

void StreamChannel::parse_prelude() {
    std::size_t end = m_prelude.find(k_separator);
    if (end == std::string::npos) return;
    m_pending = m_prelude.substr(end + k_separator.size());
    auto prelude = nlohmann::json::parse(m_prelude.substr(0, end), nullptr, false);
    m_prelude.clear();
    if (!prelude.is_object()) {
        m_problem = "the streamed response's prelude is not a JSON object";
        return;
    }
    if (prelude.contains("statusCode")) {
        if (!prelude["statusCode"].is_number_integer() || prelude["statusCode"] < 100 ||
            prelude["statusCode"] > 599) {
            m_problem = "the streamed response's statusCode is not an HTTP status";
            return;
        }
        m_head.status = prelude["statusCode"].get<int>();
    }
    m_head.content_type = "application/octet-stream";
    if (prelude.contains("headers") && prelude["headers"].is_object()) {
        for (const auto& [name, value] : prelude["headers"].items()) {
            std::string text = value.is_string() ? value.get<std::string>() : value.dump();
            if (name == "content-type" || name == "Content-Type") {
                m_head.content_type = text;
            } else {
                m_head.headers.emplace_back(name, text);
            }
        }
    }
    if (prelude.contains("cookies") && prelude["cookies"].is_array()) {
        for (const auto& c : prelude["cookies"]) {
            if (c.is_string()) m_head.headers.emplace_back("set-cookie", c.get<std::string>());
        }
    }
    m_head_ready = true;
}

void StreamChannel::finish(std::optional<model::Outcome> outcome) {
    std::lock_guard lock(m_mutex);
    m_finished = true;
    m_outcome = std::move(outcome);
    if (m_streamed && !m_head_ready && m_problem.empty() && m_integration) {
        m_problem = "the streamed response ended before its prelude's 8 NUL bytes";
    }
    m_cv.notify_all();
}

std::optional<StreamHead> StreamChannel::wait_head() {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return m_head_ready || m_finished || !m_problem.empty(); });
    if (!m_problem.empty()) {
        m_cv.wait(lock, [&] { return m_finished; });
        return std::nullopt;
    }
    if (m_head_ready) return m_head;
    return std::nullopt;
}

StreamStep StreamChannel::next(std::string& piece) {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return !m_pending.empty() || m_finished; });
    if (!m_pending.empty()) {
        piece = std::move(m_pending);
        m_pending.clear();
        return StreamStep::data;
    }
    return m_outcome && !m_outcome->failed() ? StreamStep::end : StreamStep::abort;
}

std::optional<model::Outcome> StreamChannel::outcome() const {
    std::lock_guard lock(m_mutex);
    return m_outcome;
}

std::string StreamChannel::problem() const {
    std::lock_guard lock(m_mutex);
    return m_problem;
}

}  // namespace lambda_emu::frontend
