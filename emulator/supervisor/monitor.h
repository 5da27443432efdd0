// Watches one child: forwards its stdout and stderr line by line, notices its exit through the
// pidfd, and samples its memory while sampling is on. One thread per child.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string_view>
#include <thread>

#include "supervisor/line_splitter.h"
#include "supervisor/memory_meter.h"
#include "supervisor/process.h"

namespace lambda_emu::supervisor {

class MonitorListener {
  public:
    virtual ~MonitorListener() = default;
    // A line the child wrote (stdout or stderr), in order of reading. Called with the output
    // lock held: lines are never interleaved.
    virtual void on_output(std::string_view line) = 0;
    // The child's leader exited; its output up to now has been delivered.
    virtual void on_exit(const ExitStatus& status) = 0;
    virtual void on_sample(const MemorySample& sample) = 0;
};

class ProcessMonitor {
  public:
    ProcessMonitor(ChildProcess& child, MonitorListener& listener, MemoryMeter& meter,
                   std::chrono::microseconds sample_interval);
    ~ProcessMonitor();
    ProcessMonitor(const ProcessMonitor&) = delete;
    ProcessMonitor& operator=(const ProcessMonitor&) = delete;

    void set_sampling(bool on);
    // Deliver everything the child has written so far, including an unterminated last line.
    void flush();
    // A memory sample taken now, also passed to on_sample.
    MemorySample sample_now();
    void stop();

  private:
    void run();
    // Reads what is available on both pipes; emits lines. Caller holds m_output_mutex.
    void drain_locked(bool finish_partials);

    ChildProcess& m_child;
    MonitorListener& m_listener;
    MemoryMeter& m_meter;
    std::chrono::microseconds m_interval;
    std::atomic<bool> m_sampling{false};
    std::atomic<bool> m_stopping{false};
    util::Fd m_wake;  // eventfd
    std::mutex m_output_mutex;
    LineSplitter m_out_lines;
    LineSplitter m_err_lines;
    bool m_out_open = true;
    bool m_err_open = true;
    std::atomic<bool> m_exited{false};
    std::mutex m_sample_mutex;
    std::thread m_thread;
};

}  // namespace lambda_emu::supervisor
