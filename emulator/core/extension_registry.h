// The extensions of one execution environment (Extensions API 2020-01-01): who registered, which
// events each wants, the events waiting for each, and whether each is back on event/next.
// Thread-safe and socket-free: runtime_api's extension routes call the extension side, the sandbox
// the other.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/clock.h"

namespace lambda_emu::core {

// An Extensions API refusal: the HTTP status and the service's errorType and errorMessage.
struct ExtensionRefusal {
    int status = 403;
    std::string error_type;
    std::string message;
};

struct Registration {
    std::string id;  // the Lambda-Extension-Identifier
    std::optional<ExtensionRefusal> refused;
};

// What event/next hands an extension: the event's JSON, or a refusal.
struct ExtensionNext {
    std::string event_id;
    std::string body;
    std::optional<ExtensionRefusal> refused;
};

enum class ExtensionEvent { invoke, shutdown };

// Why an extension let the environment down.
struct ExtensionFailure {
    std::string name;
    std::string error_type;  // Extension.Crash, or the type the extension posted
    std::string message;
};

enum class ExtensionsWait { ready, failed, timed_out, closed };

class ExtensionRegistry {
  public:
    static constexpr std::size_t k_max_extensions = 10;

    explicit ExtensionRegistry(const util::Clock& clock) : m_clock(clock) {}

    // --- sandbox side ---
    // An external extension was started under this (file) name.
    void launched(const std::string& name);
    // It could not be started (Extension.LaunchError).
    void launch_failed(const std::string& name, const std::string& message);
    // Its process ended. Before registration, or while the environment runs, that is a crash.
    void exited(const std::string& name, const std::string& description);
    // Until every launched extension has registered, or one failed, or the deadline.
    ExtensionsWait wait_registered(util::SteadyTime deadline);
    // The runtime finished its Init: no more registrations.
    void close_registration();
    // Queues an event for every extension registered for its type.
    void dispatch(ExtensionEvent type, const std::string& body);
    // Until every registered extension waits on event/next with nothing queued, one failed, or
    // the deadline.
    ExtensionsWait wait_ready(util::SteadyTime deadline);
    // Wakes every waiter; event/next answers nothing from now on.
    void close();
    std::optional<ExtensionFailure> failure() const;
    // The registered extensions: names and the events each asked for ("INVOKE", "SHUTDOWN").
    struct Registered {
        std::string name;
        std::vector<std::string> events;
        bool external = true;
        std::string state;       // RIE's state name: "Ready", "Registered", "InitError"...
        std::string error_type;  // what it posted to init/error or exit/error
    };
    std::vector<Registered> registered() const;
    std::size_t external_count() const;
    bool has_registered() const;
    // When the last extension to do so came back to event/next.
    util::SteadyTime last_ready_at() const;
    // True when `id` is a registered extension's identifier; its name then.
    std::optional<std::string> name_of(std::string_view id) const;

    // --- extension side (the Extensions API routes) ---
    Registration register_extension(const std::string& name,
                                    const std::vector<std::string>& events);
    // Blocks until an event is queued for the extension (or the registry closes).
    ExtensionNext next(std::string_view id);
    std::optional<ExtensionRefusal> init_error(std::string_view id, const std::string& error_type,
                                               const std::string& body);
    std::optional<ExtensionRefusal> exit_error(std::string_view id, const std::string& error_type,
                                               const std::string& body);

  private:
    enum class State { launched, registered, waiting, busy, errored, exited };
    struct Entry {
        std::string name;
        std::string id;
        bool external = true;
        bool invoke = false;
        bool shutdown = false;
        State state = State::launched;
        bool errored_at_init = false;
        std::string error_type;
        std::deque<std::string> events;
    };
    static const char* state_name(const Entry& e);
    Entry* find(std::string_view id);
    const Entry* find(std::string_view id) const;
    std::optional<ExtensionRefusal> check_id(std::string_view id) const;
    std::optional<ExtensionRefusal> post_error(std::string_view id, const std::string& error_type,
                                               const std::string& body, bool at_init);
    void fail(const Entry& e, std::string error_type, std::string message);
    bool all_ready() const;
    template <typename Pred>
    bool wait_until(std::unique_lock<std::mutex>& lock, util::SteadyTime deadline, Pred pred);

    const util::Clock& m_clock;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::vector<Entry> m_entries;
    bool m_registration_open = true;
    bool m_closed = false;
    bool m_shutting_down = false;  // SHUTDOWN was sent: extensions exiting now is expected
    std::optional<ExtensionFailure> m_failure;
    util::SteadyTime m_last_ready_at{};
};

}  // namespace lambda_emu::core
