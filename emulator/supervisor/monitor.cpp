#include "supervisor/monitor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>

namespace lambda_emu::supervisor {

ProcessMonitor::ProcessMonitor(ChildProcess& child, MonitorListener& listener, MemoryMeter& meter,
                               std::chrono::microseconds sample_interval)
    : m_child(child),
      m_listener(listener),
      m_meter(meter),
      m_interval(sample_interval),
      m_wake(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {
    // A child spawned with its output discarded has no pipes to read.
    m_out_open = m_child.stdout_fd().valid();
    m_err_open = m_child.stderr_fd().valid();
    if (m_out_open) (void)util::set_nonblocking(m_child.stdout_fd().get());
    if (m_err_open) (void)util::set_nonblocking(m_child.stderr_fd().get());
    m_thread = std::thread([this] { run(); });
}

ProcessMonitor::~ProcessMonitor() { stop(); }

void ProcessMonitor::stop() {
    if (!m_stopping.exchange(true)) {
        std::uint64_t one = 1;
        (void)!::write(m_wake.get(), &one, sizeof one);
    }
    if (m_thread.joinable()) m_thread.join();
}

void ProcessMonitor::set_sampling(bool on) {
    if (m_sampling.exchange(on) != on) {
        std::uint64_t one = 1;
        (void)!::write(m_wake.get(), &one, sizeof one);
    }
}

void ProcessMonitor::flush() {
    std::lock_guard lock(m_output_mutex);
    drain_locked(true);
}

MemorySample ProcessMonitor::sample_now() {
    std::lock_guard lock(m_sample_mutex);
    if (m_exited) return {};  // the pid may already belong to someone else
    MemorySample s = m_meter.sample(m_child.pid());
    if (s.processes > 0) m_listener.on_sample(s);
    return s;
}

void ProcessMonitor::drain_locked(bool finish_partials) {
    char buf[64 * 1024];
    auto emit = [this](std::string_view line) { m_listener.on_output(line); };
    struct Stream {
        int fd;
        bool& open;
        LineSplitter& lines;
    };
    Stream streams[] = {{m_child.stdout_fd().get(), m_out_open, m_out_lines},
                        {m_child.stderr_fd().get(), m_err_open, m_err_lines}};
    for (auto& s : streams) {
        while (s.open) {
            ssize_t n = ::read(s.fd, buf, sizeof buf);
            if (n > 0) {
                s.lines.feed(std::string_view(buf, static_cast<std::size_t>(n)), emit);
                continue;
            }
            if (n < 0 && errno == EINTR) continue;
            if (n == 0) {
                s.open = false;
                s.lines.finish(emit);
            }
            break;
        }
        if (finish_partials) s.lines.finish(emit);
    }
}

void ProcessMonitor::run() {
    auto next_sample = std::chrono::steady_clock::now();
    while (!m_stopping) {
        pollfd fds[4];
        nfds_t count = 0;
        fds[count++] = {m_wake.get(), POLLIN, 0};
        if (!m_exited) fds[count++] = {m_child.pidfd(), POLLIN, 0};
        {
            std::lock_guard lock(m_output_mutex);
            if (m_out_open) fds[count++] = {m_child.stdout_fd().get(), POLLIN, 0};
            if (m_err_open) fds[count++] = {m_child.stderr_fd().get(), POLLIN, 0};
        }
        bool sampling = m_sampling && !m_exited;
        int timeout_ms = -1;
        if (sampling) {
            auto now = std::chrono::steady_clock::now();
            if (now >= next_sample) {
                sample_now();
                next_sample = now + m_interval;
            }
            auto wait = std::chrono::ceil<std::chrono::milliseconds>(next_sample - now);
            timeout_ms = static_cast<int>(std::max<std::int64_t>(wait.count(), 1));
        }
        int rc = ::poll(fds, count, timeout_ms);
        if (rc < 0 && errno != EINTR) break;
        if (m_stopping) break;
        if (rc <= 0) continue;
        bool exited_now = false;
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) continue;
            if (fds[i].fd == m_wake.get()) {
                std::uint64_t v;
                (void)!::read(m_wake.get(), &v, sizeof v);
            } else if (fds[i].fd == m_child.pidfd()) {
                exited_now = true;
            }
        }
        {
            std::lock_guard lock(m_output_mutex);
            drain_locked(exited_now);
        }
        if (exited_now) {
            m_exited = true;
            if (auto status = m_child.try_reap()) m_listener.on_exit(*status);
        }
    }
}

}  // namespace lambda_emu::supervisor
