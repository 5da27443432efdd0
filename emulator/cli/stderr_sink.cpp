#include "cli/stderr_sink.h"

#include <unistd.h>

#include <cerrno>

namespace lambda_emu::cli {

void FdLogSink::emit(const model::LogEvent& event) {
    std::string text = report::format(event, m_format);
    if (text.empty() && !std::holds_alternative<model::FunctionLineEvent>(event)) return;
    text.push_back('\n');
    std::lock_guard lock(m_mutex);
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
