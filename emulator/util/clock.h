// Injected time. steady time for durations and timeouts, system time only for what the wire and
// the logs show (deadline header, timestamps). Tests use ManualClock and never sleep.
#pragma once

#include <atomic>
#include <chrono>

namespace lambda_emu::util {

using SteadyTime = std::chrono::steady_clock::time_point;
using SystemTime = std::chrono::system_clock::time_point;

class Clock {
  public:
    virtual ~Clock() = default;
    virtual SteadyTime steady_now() const = 0;
    virtual SystemTime system_now() const = 0;
};

class SystemClock final : public Clock {
  public:
    SteadyTime steady_now() const override { return std::chrono::steady_clock::now(); }
    SystemTime system_now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(SystemTime start = SystemTime{std::chrono::seconds(1'700'000'000)})
        : m_system_start(start) {}
    SteadyTime steady_now() const override { return SteadyTime{} + m_elapsed.load(); }
    SystemTime system_now() const override {
        return m_system_start + std::chrono::duration_cast<SystemTime::duration>(m_elapsed.load());
    }
    void advance(std::chrono::nanoseconds by) { m_elapsed = m_elapsed.load() + by; }

  private:
    SystemTime m_system_start;
    std::atomic<std::chrono::nanoseconds> m_elapsed{std::chrono::nanoseconds{0}};
};

// The process-wide real clock.
const Clock& system_clock();

inline double to_ms(std::chrono::nanoseconds d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace lambda_emu::util
