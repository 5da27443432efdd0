// The telemetry of one execution environment: a LogSink that turns the environment's log stream
// into records for each Telemetry API (or Logs API) subscription, buffers them as the
// subscription asks (maxItems, maxBytes, timeoutMs) and delivers the batches from one thread.
// Records from the start of the environment until its Init ends are kept, so a subscriber that
// subscribes during Init also receives platform.initStart and the lines before its subscription.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "model/log_event.h"
#include "telemetry/records.h"
#include "telemetry/sender.h"
#include "telemetry/subscription.h"
#include "util/clock.h"

namespace lambda_emu::telemetry {

// A refused subscription: the HTTP status and the service's errorType and errorMessage.
struct SubscribeRefusal {
    int status = 400;
    std::string error_type;
    std::string message;
};

class Dispatcher final : public model::LogSink {
  public:
    Dispatcher(const util::Clock& clock, bool json_logging);
    ~Dispatcher() override;
    Dispatcher(const Dispatcher&) = delete;
    Dispatcher& operator=(const Dispatcher&) = delete;

    void emit(const model::LogEvent& event) override;

    // Subscribes extension `name` (replacing its earlier subscription through the same API).
    std::optional<SubscribeRefusal> subscribe(const std::string& name, Subscription subscription);
    // Init has ended: no more subscriptions, and the records kept for them are dropped.
    void close_subscriptions();
    // Delivers everything buffered now, waiting until it is delivered or the deadline passes.
    void flush(util::SteadyTime deadline);
    // Stops delivering; what is still buffered is dropped.
    void stop();

  private:
    struct Subscriber {
        std::string name;
        Subscription subscription;
        std::shared_ptr<Sender> sender;  // shared: a re-subscription may replace it mid-send
        std::deque<std::string> queue;
        std::size_t queued_bytes = 0;
        util::SteadyTime oldest{};
        std::size_t dropped_records = 0;
        std::size_t dropped_bytes = 0;
        std::uint64_t from_seq = 0;  // the first event emitted after it subscribed
    };
    bool wants(const Subscriber& s, const std::string& category) const;
    void enqueue(Subscriber& s, std::string record);
    bool due(const Subscriber& s, util::SteadyTime now) const;
    void run();

    const util::Clock& m_clock;
    const bool m_json_logging;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<std::unique_ptr<Subscriber>> m_subscribers;
    // Until Init ends: every record so far, for subscriptions made during Init.
    std::vector<model::LogEvent> m_backlog;
    std::uint64_t m_next_seq = 0;  // events emitted so far
    bool m_open = true;
    bool m_stopping = false;
    std::size_t m_flushes = 0;  // flush requests so far
    std::size_t m_flushed = 0;  // flush requests the delivery thread has served
    std::thread m_thread;
};

}  // namespace lambda_emu::telemetry
