#include "telemetry/dispatcher.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "util/time_format.h"

namespace lambda_emu::telemetry {

namespace {

// Init's records kept for late subscribers: enough for any Init, bounded for a noisy one.
constexpr std::size_t k_backlog_max = 4096;
// How long one delivery may take before the batch counts as dropped.
constexpr std::chrono::milliseconds k_send_timeout{1000};

const char* api_prefix(Api api) { return api == Api::telemetry ? "Telemetry" : "Logs"; }

std::string logs_dropped_record(util::SystemTime time, std::size_t records, std::size_t bytes) {
    nlohmann::ordered_json j;
    j["time"] = util::iso8601_ms(time);
    j["type"] = "platform.logsDropped";
    j["record"] = {{"droppedBytes", bytes},
                   {"droppedRecords", records},
                   {"reason",
                    "Consumer seems to have fallen behind as it has not acknowledged receipt of "
                    "logs."}};
    return j.dump();
}

}  // namespace

Dispatcher::Dispatcher(const util::Clock& clock, bool json_logging)
    : m_clock(clock), m_json_logging(json_logging) {}

Dispatcher::~Dispatcher() { stop(); }

bool Dispatcher::wants(const Subscriber& s, const std::string& category) const {
    const auto& types = s.subscription.types;
    return std::find(types.begin(), types.end(), category) != types.end();
}

void Dispatcher::enqueue(Subscriber& s, std::string record) {
    if (s.queue.empty()) s.oldest = m_clock.steady_now();
    s.queued_bytes += record.size();
    s.queue.push_back(std::move(record));
}

bool Dispatcher::due(const Subscriber& s, util::SteadyTime now) const {
    if (s.queue.empty()) return false;
    const Buffering& b = s.subscription.buffering;
    return s.queue.size() >= static_cast<std::size_t>(b.max_items) ||
           s.queued_bytes >= static_cast<std::size_t>(b.max_bytes) ||
           now - s.oldest >= std::chrono::milliseconds(b.timeout_ms);
}

void Dispatcher::emit(const model::LogEvent& event) {
    std::unique_lock lock(m_mutex);
    if (m_stopping) return;
    std::uint64_t seq = m_next_seq++;
    if (m_open && m_backlog.size() < k_backlog_max) m_backlog.push_back(event);
    if (m_subscribers.empty()) return;
    bool telemetry = false;
    bool logs = false;
    for (const auto& s : m_subscribers) {
        (s->subscription.api == Api::telemetry ? telemetry : logs) = true;
    }
    lock.unlock();
    std::vector<Record> for_telemetry =
        telemetry ? records_of(event, Api::telemetry, m_json_logging) : std::vector<Record>{};
    std::vector<Record> for_logs =
        logs ? records_of(event, Api::logs, m_json_logging) : std::vector<Record>{};
    lock.lock();
    for (auto& s : m_subscribers) {
        // A subscription made meanwhile had this event from the backlog.
        if (seq < s->from_seq) continue;
        const auto& records = s->subscription.api == Api::telemetry ? for_telemetry : for_logs;
        for (const auto& r : records) {
            if (wants(*s, r.category)) enqueue(*s, r.json);
        }
    }
    m_cv.notify_all();
}

std::optional<SubscribeRefusal> Dispatcher::subscribe(const std::string& name,
                                                      Subscription subscription) {
    std::unique_lock lock(m_mutex);
    Api api = subscription.api;
    if (!m_open || m_stopping) {
        return SubscribeRefusal{
            403, std::string(api_prefix(api)) + ".SubscriptionClosed",
            std::string(api_prefix(api)) + " API subscription is closed already"};
    }
    Subscriber* existing = nullptr;
    for (auto& s : m_subscribers) {
        if (s->name != name) continue;
        if (s->subscription.api != api) {
            return SubscribeRefusal{400, "ValidationError",
                                    name + " subscribed through the " +
                                        api_prefix(s->subscription.api) +
                                        " API already; an extension uses one of the two APIs"};
        }
        existing = s.get();
    }
    std::shared_ptr<Sender> sender = make_sender(subscription.destination, k_send_timeout);
    if (existing) {
        // The same subscription again: its settings change, its records stay.
        existing->subscription = std::move(subscription);
        existing->sender = std::move(sender);
        return std::nullopt;
    }
    auto s = std::make_unique<Subscriber>();
    s->name = name;
    s->subscription = std::move(subscription);
    s->sender = std::move(sender);
    s->from_seq = m_next_seq;
    std::vector<model::LogEvent> backlog = m_backlog;
    Subscriber& added = *s;
    m_subscribers.push_back(std::move(s));
    for (const auto& event : backlog) {
        for (auto& r : records_of(event, api, m_json_logging)) {
            if (wants(added, r.category)) enqueue(added, std::move(r.json));
        }
    }
    if (!m_thread.joinable()) m_thread = std::thread([this] { run(); });
    m_cv.notify_all();
    return std::nullopt;
}

void Dispatcher::close_subscriptions() {
    std::lock_guard lock(m_mutex);
    m_open = false;
    m_backlog.clear();
    m_backlog.shrink_to_fit();
}

void Dispatcher::flush(util::SteadyTime deadline) {
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable()) return;
    std::size_t target = ++m_flushes;
    m_cv.notify_all();
    m_cv.wait_for(lock, deadline - m_clock.steady_now(),
                  [&] { return m_stopping || m_flushed >= target; });
}

void Dispatcher::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_cv.notify_all();
    }
    if (m_thread.joinable()) m_thread.join();
}

void Dispatcher::run() {
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        util::SteadyTime now = m_clock.steady_now();
        bool flushing = m_flushed < m_flushes;
        Subscriber* ready = nullptr;
        std::optional<util::SteadyTime> next_due;
        for (auto& s : m_subscribers) {
            if (s->queue.empty()) continue;
            if (flushing || due(*s, now)) {
                ready = s.get();
                break;
            }
            auto at = s->oldest + std::chrono::milliseconds(s->subscription.buffering.timeout_ms);
            if (!next_due || at < *next_due) next_due = at;
        }
        if (!ready) {
            if (flushing) {
                m_flushed = m_flushes;  // everything buffered has been delivered
                m_cv.notify_all();
                continue;
            }
            if (next_due) {
                m_cv.wait_for(lock, *next_due - now);
            } else {
                m_cv.wait(lock);
            }
            continue;
        }
        // One batch: up to maxItems records and maxBytes bytes (at least one record).
        const Buffering& b = ready->subscription.buffering;
        std::vector<std::string> batch;
        std::size_t bytes = 0;
        bool report_dropped = ready->dropped_records > 0 && wants(*ready, "platform");
        if (report_dropped) {
            batch.push_back(logs_dropped_record(m_clock.system_now(), ready->dropped_records,
                                                ready->dropped_bytes));
        }
        while (!ready->queue.empty() && batch.size() < static_cast<std::size_t>(b.max_items) &&
               (batch.empty() ||
                bytes + ready->queue.front().size() <= static_cast<std::size_t>(b.max_bytes))) {
            bytes += ready->queue.front().size();
            batch.push_back(std::move(ready->queue.front()));
            ready->queue.pop_front();
        }
        ready->queued_bytes -= std::min(ready->queued_bytes, bytes);
        if (!ready->queue.empty()) ready->oldest = m_clock.steady_now();
        std::size_t taken = batch.size() - (report_dropped ? 1 : 0);
        std::shared_ptr<Sender> sender = ready->sender;
        lock.unlock();
        bool delivered = sender->send(batch);
        lock.lock();
        if (delivered) {
            ready->dropped_records = 0;
            ready->dropped_bytes = 0;
        } else {
            ready->dropped_records += taken;
            ready->dropped_bytes += bytes;
        }
    }
}

}  // namespace lambda_emu::telemetry
