// Keeps the last bytes of chosen invocations' logs (for X-Amz-Log-Result) while passing every
// event on to the next sink.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>

#include "model/log_event.h"
#include "report/log_lines.h"

namespace lambda_emu::report {

class TailSink final : public model::LogSink {
  public:
    TailSink(model::LogSink& next, LogFormat format, std::size_t keep_bytes = 4096)
        : m_next(next), m_format(format), m_keep(keep_bytes) {}

    void emit(const model::LogEvent& event) override;
    // Start collecting the lines of this request id.
    void watch(const std::string& request_id);
    // Stop, and return the last keep_bytes of what was collected.
    std::string take(const std::string& request_id);

  private:
    model::LogSink& m_next;
    LogFormat m_format;
    std::size_t m_keep;
    std::mutex m_mutex;
    std::map<std::string, std::string> m_tails;
};

// The request id an event belongs to; empty for Init events.
const std::string& request_id_of(const model::LogEvent& event);

}  // namespace lambda_emu::report
