// Writes a function's log stream to a file descriptor (stderr), one line per write.
#pragma once

#include <mutex>

#include "model/log_event.h"
#include "report/log_lines.h"

namespace lambda_emu::cli {

class FdLogSink final : public model::LogSink {
public:
    FdLogSink(int fd, report::LogFormat format) : m_fd(fd), m_format(format) {}
    void emit(const model::LogEvent& event) override;

private:
    int m_fd;
    report::LogFormat m_format;
    std::mutex m_mutex;
};

}  // namespace lambda_emu::cli
