#include "core/extension_registry.h"

#include <algorithm>

#include "util/random_id.h"

namespace lambda_emu::core {

namespace {

ExtensionRefusal refusal(int status, const char* type, std::string message) {
    return ExtensionRefusal{status, type, std::move(message)};
}

// RIE's words for a refused state change: "State transition from Registered to Ready failed
// for extension <who>. Error: State transition is not allowed".
ExtensionRefusal state_refusal(const char* from, const char* to, std::string_view who) {
    return refusal(403, "Extension.InvalidExtensionState",
                   std::string("State transition from ") + from + " to " + to +
                       " failed for extension " + std::string(who) +
                       ". Error: State transition is not allowed");
}

}  // namespace

template <typename Pred>
bool ExtensionRegistry::wait_until(std::unique_lock<std::mutex>& lock, util::SteadyTime deadline,
                                   Pred pred) {
    // Deadlines come from the injected clock; the wait itself is on the real steady clock.
    return m_cv.wait_for(lock, deadline - m_clock.steady_now(), pred);
}

ExtensionRegistry::Entry* ExtensionRegistry::find(std::string_view id) {
    for (auto& e : m_entries) {
        if (!e.id.empty() && e.id == id) return &e;
    }
    return nullptr;
}

const ExtensionRegistry::Entry* ExtensionRegistry::find(std::string_view id) const {
    for (const auto& e : m_entries) {
        if (!e.id.empty() && e.id == id) return &e;
    }
    return nullptr;
}

void ExtensionRegistry::launched(const std::string& name) {
    std::lock_guard lock(m_mutex);
    Entry e;
    e.name = name;
    m_entries.push_back(std::move(e));
}

void ExtensionRegistry::launch_failed(const std::string& name, const std::string& message) {
    std::lock_guard lock(m_mutex);
    for (auto& e : m_entries) {
        if (e.external && e.name == name && e.state == State::launched) {
            e.state = State::exited;
            fail(e, "Extension.LaunchError", message);
        }
    }
    m_cv.notify_all();
}

void ExtensionRegistry::fail(const Entry& e, std::string error_type, std::string message) {
    if (!m_failure) m_failure = ExtensionFailure{e.name, std::move(error_type), std::move(message)};
}

void ExtensionRegistry::exited(const std::string& name, const std::string& description) {
    std::lock_guard lock(m_mutex);
    for (auto& e : m_entries) {
        if (!e.external || e.name != name || e.state == State::exited) continue;
        State was = e.state;
        e.state = State::exited;
        // An extension that reported its error first keeps that error; any other exit while
        // the environment is open is a crash.
        if (was != State::errored && !m_closed && !m_shutting_down) {
            fail(e, "Extension.Crash", description);
        }
    }
    m_cv.notify_all();
}

ExtensionsWait ExtensionRegistry::wait_registered(util::SteadyTime deadline) {
    std::unique_lock lock(m_mutex);
    auto done = [&] {
        return m_closed || m_failure ||
               std::none_of(m_entries.begin(), m_entries.end(),
                            [](const Entry& e) { return e.state == State::launched; });
    };
    wait_until(lock, deadline, done);
    if (m_failure) return ExtensionsWait::failed;
    if (m_closed) return ExtensionsWait::closed;
    return done() ? ExtensionsWait::ready : ExtensionsWait::timed_out;
}

void ExtensionRegistry::close_registration() {
    std::lock_guard lock(m_mutex);
    m_registration_open = false;
}

void ExtensionRegistry::dispatch(ExtensionEvent type, const std::string& body) {
    std::lock_guard lock(m_mutex);
    if (type == ExtensionEvent::shutdown) m_shutting_down = true;
    for (auto& e : m_entries) {
        if (e.id.empty() || e.state == State::errored || e.state == State::exited) continue;
        if ((type == ExtensionEvent::invoke && e.invoke) ||
            (type == ExtensionEvent::shutdown && e.shutdown)) {
            e.events.push_back(body);
        }
    }
    m_cv.notify_all();
}

bool ExtensionRegistry::all_ready() const {
    return std::all_of(m_entries.begin(), m_entries.end(), [](const Entry& e) {
        return e.id.empty() || (e.state == State::waiting && e.events.empty());
    });
}

ExtensionsWait ExtensionRegistry::wait_ready(util::SteadyTime deadline) {
    std::unique_lock lock(m_mutex);
    wait_until(lock, deadline, [&] { return m_closed || m_failure || all_ready(); });
    if (m_failure) return ExtensionsWait::failed;
    if (m_closed) return ExtensionsWait::closed;
    return all_ready() ? ExtensionsWait::ready : ExtensionsWait::timed_out;
}

void ExtensionRegistry::close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_cv.notify_all();
}

const char* ExtensionRegistry::state_name(const Entry& e) {
    switch (e.state) {
        case State::launched:
            return "Started";
        case State::registered:
            return "Registered";
        case State::waiting:
            return "Ready";
        case State::busy:
            return "Running";
        case State::errored:
            return e.errored_at_init ? "InitError" : "ExitError";
        case State::exited:
            return "Exited";
    }
    return "Unknown";
}

std::optional<ExtensionFailure> ExtensionRegistry::failure() const {
    std::lock_guard lock(m_mutex);
    return m_failure;
}

std::vector<ExtensionRegistry::Registered> ExtensionRegistry::registered() const {
    std::lock_guard lock(m_mutex);
    std::vector<Registered> out;
    for (const auto& e : m_entries) {
        if (e.id.empty()) continue;
        Registered r{e.name, {}, e.external, state_name(e), e.error_type};
        if (e.invoke) r.events.emplace_back("INVOKE");
        if (e.shutdown) r.events.emplace_back("SHUTDOWN");
        out.push_back(std::move(r));
    }
    return out;
}

std::size_t ExtensionRegistry::external_count() const {
    std::lock_guard lock(m_mutex);
    return static_cast<std::size_t>(std::count_if(m_entries.begin(), m_entries.end(),
                                                  [](const Entry& e) { return e.external; }));
}

bool ExtensionRegistry::has_registered() const {
    std::lock_guard lock(m_mutex);
    return std::any_of(m_entries.begin(), m_entries.end(),
                       [](const Entry& e) { return !e.id.empty(); });
}

util::SteadyTime ExtensionRegistry::last_ready_at() const {
    std::lock_guard lock(m_mutex);
    return m_last_ready_at;
}

std::optional<std::string> ExtensionRegistry::name_of(std::string_view id) const {
    std::lock_guard lock(m_mutex);
    const Entry* e = find(id);
    if (!e) return std::nullopt;
    return e->name;
}

Registration ExtensionRegistry::register_extension(const std::string& name,
                                                   const std::vector<std::string>& events) {
    std::lock_guard lock(m_mutex);
    if (name.empty()) {
        return {{}, refusal(403, "Extension.InvalidExtensionName", "Empty extension name")};
    }
    bool invoke = false;
    bool shutdown = false;
    for (const auto& ev : events) {
        if (ev == "INVOKE") {
            invoke = true;
        } else if (ev == "SHUTDOWN") {
            shutdown = true;
        } else {
            return {{}, refusal(403, "Extension.InvalidEventType", ev + ": ErrorInvalidEventType")};
        }
    }
    Entry* slot = nullptr;
    for (auto& e : m_entries) {
        if (e.name != name) continue;
        if (!e.external) {
            return {{},
                    refusal(403, "Extension.InvalidExtensionState",
                            "Extension with this name already registered")};
        }
        if (e.state != State::launched) {
            return {{}, state_refusal(state_name(e), "Registered", name)};
        }
        slot = &e;
    }
    if (!slot) {
        // Not a process lambda-emu started: an internal extension, registering from inside
        // the runtime's process until the runtime's Init ends. It may not ask for SHUTDOWN.
        if (shutdown) {
            return {{},
                    refusal(403, "Extension.InvalidEventType",
                            "SHUTDOWN: ShutdownEventNotSupportedForInternalExtension")};
        }
        if (!m_registration_open || m_closed) {
            return {{},
                    refusal(403, "Extension.RegistrationClosed",
                            "Extension registration closed already")};
        }
        std::size_t count = static_cast<std::size_t>(std::count_if(
            m_entries.begin(), m_entries.end(), [](const Entry& e) { return !e.id.empty(); }));
        if (count >= k_max_extensions) {
            return {{},
                    refusal(403, "Extension.TooManyExtensions",
                            "Extension limit (" + std::to_string(k_max_extensions) + ") reached")};
        }
        Entry e;
        e.name = name;
        e.external = false;
        m_entries.push_back(std::move(e));
        slot = &m_entries.back();
    }
    slot->id = util::new_uuid();
    slot->invoke = invoke;
    slot->shutdown = shutdown;
    slot->state = State::registered;
    m_cv.notify_all();
    return {slot->id, std::nullopt};
}

std::optional<ExtensionRefusal> ExtensionRegistry::check_id(std::string_view id) const {
    if (id.empty()) {
        return refusal(403, "Extension.MissingExtensionIdentifier",
                       "Missing Lambda-Extension-Identifier header");
    }
    if (!util::is_uuid(id)) {
        return refusal(403, "Extension.InvalidExtensionIdentifier",
                       "Invalid Lambda-Extension-Identifier");
    }
    return std::nullopt;
}

ExtensionNext ExtensionRegistry::next(std::string_view id) {
    std::unique_lock lock(m_mutex);
    if (auto refused = check_id(id)) return {{}, {}, std::move(refused)};
    Entry* e = find(id);
    if (!e) {
        return {{},
                {},
                refusal(403, "Extension.UnknownExtensionIdentifier",
                        "Unknown extension " + std::string(id))};
    }
    if (e->state == State::errored || e->state == State::exited || e->state == State::waiting) {
        return {{}, {}, state_refusal(state_name(*e), "Ready", id)};
    }
    e->state = State::waiting;
    if (e->events.empty()) m_last_ready_at = m_clock.steady_now();
    m_cv.notify_all();
    std::string name = e->name;
    m_cv.wait(lock, [&] {
        Entry* now = find(id);
        return m_closed || !now || !now->events.empty() || now->state != State::waiting;
    });
    e = find(id);
    if (!e || e->events.empty() || e->state != State::waiting) {
        return {{}, {}, refusal(500, "Extension.Closed", "The environment is shutting down")};
    }
    ExtensionNext out;
    out.event_id = util::new_uuid();
    out.body = std::move(e->events.front());
    e->events.pop_front();
    e->state = State::busy;
    m_cv.notify_all();
    return out;
}

std::optional<ExtensionRefusal> ExtensionRegistry::post_error(std::string_view id,
                                                              const std::string& error_type,
                                                              const std::string& body,
                                                              bool at_init) {
    std::lock_guard lock(m_mutex);
    if (auto refused = check_id(id)) return refused;
    Entry* e = find(id);
    if (!e) {
        return refusal(403, "Extension.UnknownExtensionIdentifier",
                       "Unknown Lambda-Extension-Identifier");
    }
    // init/error only before the extension's first event/next; exit/error until it ends.
    bool allowed = at_init ? e->state == State::registered
                           : e->state == State::registered || e->state == State::waiting ||
                                 e->state == State::busy;
    if (!allowed) return state_refusal(state_name(*e), at_init ? "InitError" : "Exited", id);
    e->state = State::errored;
    e->errored_at_init = at_init;
    e->error_type = error_type;
    e->events.clear();
    (void)body;  // the service keeps only the type
    fail(*e, at_init ? "Extension.InitError" : "Extension.ExitError",
         e->name + " reported " + error_type);
    m_cv.notify_all();
    return std::nullopt;
}

std::optional<ExtensionRefusal> ExtensionRegistry::init_error(std::string_view id,
                                                              const std::string& error_type,
                                                              const std::string& body) {
    return post_error(id, error_type, body, true);
}

std::optional<ExtensionRefusal> ExtensionRegistry::exit_error(std::string_view id,
                                                              const std::string& error_type,
                                                              const std::string& body) {
    return post_error(id, error_type, body, false);
}

}  // namespace lambda_emu::core
