#include "report/tail_sink.h"

namespace lambda_emu::report {

const std::string& request_id_of(const model::LogEvent& event) {
    static const std::string k_none;
    return std::visit(
        [](const auto& e) -> const std::string& {
            if constexpr (requires { e.request_id; }) {
                return e.request_id;
            } else {
                return k_none;
            }
        },
        event);
}

void TailSink::emit(const model::LogEvent& event) {
    m_next.emit(event);
    if (std::holds_alternative<model::NoticeEvent>(event)) return;  // not the function's log
    const std::string& id = request_id_of(event);
    if (id.empty()) return;
    std::lock_guard lock(m_mutex);
    auto it = m_tails.find(id);
    if (it == m_tails.end()) return;
    std::string text = format(event, m_format);
    if (text.empty()) return;
    it->second += text;
    it->second += '\n';
    if (it->second.size() > 2 * m_keep) it->second.erase(0, it->second.size() - m_keep);
}

void TailSink::watch(const std::string& request_id) {
    std::lock_guard lock(m_mutex);
    m_tails[request_id];
}

std::string TailSink::take(const std::string& request_id) {
    std::lock_guard lock(m_mutex);
    auto it = m_tails.find(request_id);
    if (it == m_tails.end()) return {};
    std::string out = std::move(it->second);
    m_tails.erase(it);
    if (out.size() > m_keep) out.erase(0, out.size() - m_keep);
    return out;
}

}  // namespace lambda_emu::report
