// Writes a function's log stream to a file descriptor (stderr), one line per write.
#pragma once

#include <mutex>
#include <string>

#include "model/log_event.h"
#include "report/log_lines.h"

namespace lambda_emu::cli {

class FdLogSink final : public model::LogSink {
  public:
    // `prefix` starts every line (e.g. "[orders] " when several functions share the stream).
    FdLogSink(int fd, report::LogFormat format, std::string prefix = {})
        : m_fd(fd), m_format(format), m_prefix(std::move(prefix)) {}
    void emit(const model::LogEvent& event) override;

  private:
    int m_fd;
    report::LogFormat m_format;
    std::string m_prefix;
    static std::mutex s_mutex;  // one writer at a time on the shared stream
};

}  // namespace lambda_emu::cli
