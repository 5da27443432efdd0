#include "cli/stderr_sink.h"

#include <unistd.h>

#include <cerrno>

namespace lambda_emu::cli {

std::mutex FdLogSink::s_mutex;

void FdLogSink::emit(const model::LogEvent& event) {
    std::string text = report::format(event, m_format);
    if (text.empty() && !std::holds_alternative<model::FunctionLineEvent>(event)) return;
    if (!m_prefix.empty()) {
        std::string prefixed = m_prefix;
        for (char c : text) {
            prefixed.push_back(c);
            if (c == '\n') prefixed += m_prefix;
        }
        text = std::move(prefixed);
    }
    text.push_back('\n');
    std::lock_guard lock(s_mutex);
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(m_fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

}  // namespace lambda_emu::cli
