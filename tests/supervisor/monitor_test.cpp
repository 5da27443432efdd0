#include "supervisor/monitor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace lambda_emu::supervisor {

namespace {

using namespace std::chrono_literals;

constexpr auto k_limit = 10s;

// Records every callback as text: "out:<line>", "exit:<describe()>"; samples are counted.
class RecordingListener final : public MonitorListener {
  public:
    void on_output(std::string_view line) override {
        std::lock_guard lock(m_mutex);
        m_events.push_back("out:" + std::string(line));
        m_cv.notify_all();
    }
    void on_exit(const ExitStatus& status) override {
        std::lock_guard lock(m_mutex);
        m_events.push_back("exit:" + status.describe());
        m_cv.notify_all();
    }
    void on_sample(const MemorySample& sample) override {
        std::lock_guard lock(m_mutex);
        m_samples.push_back(sample);
        m_cv.notify_all();
    }

    // Until pred holds over the events (bounded).
    bool wait_for(const std::function<bool(const std::vector<std::string>&)>& pred) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, k_limit, [&] { return pred(m_events); });
    }
    bool wait_for_event(const std::string& event) {
        return wait_for([&](const std::vector<std::string>& events) {
            for (const auto& e : events) {
                if (e == event) return true;
            }
            return false;
        });
    }
    bool wait_for_exit() {
        return wait_for([](const std::vector<std::string>& events) {
            return !events.empty() && events.back().rfind("exit:", 0) == 0;
        });
    }
    bool wait_for_samples(std::size_t n) {
        std::unique_lock lock(m_mutex);
        return m_cv.wait_for(lock, k_limit, [&] { return m_samples.size() >= n; });
    }

    std::vector<std::string> events() {
        std::lock_guard lock(m_mutex);
        return m_events;
    }
    std::vector<MemorySample> samples() {
        std::lock_guard lock(m_mutex);
        return m_samples;
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::string> m_events;
    std::vector<MemorySample> m_samples;
};

// A meter that counts its calls and reports one fake process.
class FakeMeter final : public MemoryMeter {
  public:
    MemorySample sample(pid_t) override {
        std::lock_guard lock(m_mutex);
        ++m_calls;
        return MemorySample{1000 * static_cast<std::uint64_t>(m_calls), 5000, 1};
    }
    int calls() {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }

  private:
    std::mutex m_mutex;
    int m_calls = 0;
};

ChildProcess spawn_shell(const std::string& script) {
    SpawnSpec spec;
    spec.executable = "/bin/sh";
    spec.argv = {"sh", "-c", script};
    spec.env = {"PATH=/usr/bin:/bin"};
    auto child = spawn(spec);
    if (!child.ok()) {
        ADD_FAILURE() << "spawn failed: " << child.error().message;
        return ChildProcess{};
    }
    return std::move(child.value());
}

}  // namespace

TEST(ProcessMonitor, DeliversLinesInOrderThenTheExit) {
    ChildProcess child = spawn_shell("i=1; while [ $i -le 200 ]; do echo line$i; i=$((i+1)); done");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, 10ms);
    ASSERT_TRUE(listener.wait_for_exit());

    std::vector<std::string> expected;
    for (int i = 1; i <= 200; ++i) expected.push_back("out:line" + std::to_string(i));
    expected.push_back("exit:exit status 0");
    EXPECT_EQ(listener.events(), expected);
}

TEST(ProcessMonitor, StderrLinesAreDeliveredToo) {
    ChildProcess child = spawn_shell("echo oops >&2; echo fine; exit 1");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, 10ms);
    ASSERT_TRUE(listener.wait_for_exit());
    auto events = listener.events();
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events.back(), "exit:exit status 1");
    EXPECT_TRUE((events[0] == "out:oops" && events[1] == "out:fine") ||
                (events[0] == "out:fine" && events[1] == "out:oops"));
}

TEST(ProcessMonitor, FlushDeliversAnUnterminatedLastLine) {
    ChildProcess child = spawn_shell("printf 'first\\nlast'; exec sleep 30");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, 10ms);
    ASSERT_TRUE(listener.wait_for_event("out:first"));
    EXPECT_EQ(listener.events(), (std::vector<std::string>{"out:first"}));
    monitor.flush();
    EXPECT_EQ(listener.events(), (std::vector<std::string>{"out:first", "out:last"}));
    // Flushing again delivers nothing new.
    monitor.flush();
    EXPECT_EQ(listener.events().size(), 2u);
    monitor.stop();
}

TEST(ProcessMonitor, ExitComesAfterTheOutputIncludingAPartialLine) {
    ChildProcess child = spawn_shell("printf 'x\\ny'; exit 3");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, 10ms);
    ASSERT_TRUE(listener.wait_for_exit());
    EXPECT_EQ(listener.events(),
              (std::vector<std::string>{"out:x", "out:y", "exit:exit status 3"}));
}

TEST(ProcessMonitor, ExitBySignal) {
    ChildProcess child = spawn_shell("echo before; kill -KILL $$");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, 10ms);
    ASSERT_TRUE(listener.wait_for_exit());
    EXPECT_EQ(listener.events(), (std::vector<std::string>{"out:before", "exit:signal: killed"}));
}

TEST(ProcessMonitor, SamplingCallsOnSample) {
    ChildProcess child = spawn_shell("exec sleep 30");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, std::chrono::milliseconds(5));
    EXPECT_EQ(meter.calls(), 0);  // off until asked
    monitor.set_sampling(true);
    ASSERT_TRUE(listener.wait_for_samples(3));
    monitor.set_sampling(false);
    auto samples = listener.samples();
    ASSERT_GE(samples.size(), 3u);
    EXPECT_EQ(samples[0].processes, 1);
    EXPECT_EQ(samples[0].hwm_bytes, 5000u);
    EXPECT_LT(samples[0].rss_bytes, samples[1].rss_bytes);  // successive samples, in order
    monitor.stop();
}

TEST(ProcessMonitor, SampleNowReportsAndReturnsASample) {
    ChildProcess child = spawn_shell("exec sleep 30");
    RecordingListener listener;
    ProcMemoryMeter meter;
    ProcessMonitor monitor(child, listener, meter, std::chrono::seconds(1));
    MemorySample s = monitor.sample_now();
    EXPECT_GE(s.processes, 1);
    EXPECT_GT(s.rss_bytes, 0u);
    ASSERT_EQ(listener.samples().size(), 1u);
    EXPECT_EQ(listener.samples()[0].rss_bytes, s.rss_bytes);
    monitor.stop();
}

TEST(ProcessMonitor, NoSamplesAfterTheExit) {
    ChildProcess child = spawn_shell("exit 0");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, std::chrono::milliseconds(5));
    ASSERT_TRUE(listener.wait_for_exit());
    MemorySample s = monitor.sample_now();
    EXPECT_EQ(s.processes, 0);
    EXPECT_EQ(meter.calls(), 0);
}

TEST(ProcessMonitor, StopReturnsWhileTheChildRuns) {
    ChildProcess child = spawn_shell("exec sleep 30");
    RecordingListener listener;
    FakeMeter meter;
    ProcessMonitor monitor(child, listener, meter, std::chrono::milliseconds(5));
    auto before = std::chrono::steady_clock::now();
    monitor.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 2s);
    EXPECT_TRUE(listener.events().empty());
}

}  // namespace lambda_emu::supervisor
