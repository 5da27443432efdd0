#include "core/extension_registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <future>
#include <string>
#include <vector>

#include "util/clock.h"
#include "util/random_id.h"

namespace lambda_emu::core {

namespace {

using namespace std::chrono_literals;

// Long enough never to be reached when the code is right; waits return as soon as their
// condition holds.
constexpr auto k_ext_generous = 10s;

const std::vector<std::string> k_both = {"INVOKE", "SHUTDOWN"};
const std::vector<std::string> k_invoke_only = {"INVOKE"};
const std::vector<std::string> k_shutdown_only = {"SHUTDOWN"};

std::string not_allowed(const std::string& from, const std::string& to, const std::string& who) {
    return "State transition from " + from + " to " + to + " failed for extension " + who +
           ". Error: State transition is not allowed";
}

class ExtensionRegistryTest : public ::testing::Test {
  protected:
    void TearDown() override {
        registry.close();
        for (auto& f : m_nexts) {
            if (f.valid()) f.wait();
        }
    }

    util::SteadyTime later() { return clock.steady_now() + k_ext_generous; }

    // An external extension launched and registered; its identifier.
    std::string register_external(const std::string& name,
                                  const std::vector<std::string>& events = k_both) {
        registry.launched(name);
        Registration r = registry.register_extension(name, events);
        EXPECT_FALSE(r.refused) << name << ": " << (r.refused ? r.refused->message : "");
        EXPECT_TRUE(util::is_uuid(r.id)) << r.id;
        return r.id;
    }

    // GET event/next on its own thread.
    std::future<ExtensionNext>& next_async(const std::string& id) {
        m_nexts.push_back(std::async(std::launch::async, [this, id] { return registry.next(id); }));
        return m_nexts.back();
    }

    // Until every registered extension is back on event/next.
    void wait_all_ready() { ASSERT_EQ(registry.wait_ready(later()), ExtensionsWait::ready); }

    std::string state_of(const std::string& name) {
        for (const auto& r : registry.registered()) {
            if (r.name == name) return r.state;
        }
        return "<not registered>";
    }

    util::ManualClock clock;
    ExtensionRegistry registry{clock};

  private:
    std::deque<std::future<ExtensionNext>> m_nexts;
};

TEST_F(ExtensionRegistryTest, LaunchedExtensionIsWaitedForUntilItRegisters) {
    registry.launched("ext-a");
    registry.launched("ext-b");
    EXPECT_EQ(registry.external_count(), 2u);
    EXPECT_FALSE(registry.has_registered());
    auto waiting =
        std::async(std::launch::async, [this] { return registry.wait_registered(later()); });
    EXPECT_FALSE(registry.register_extension("ext-a", k_both).refused);
    EXPECT_FALSE(registry.register_extension("ext-b", k_invoke_only).refused);
    ASSERT_EQ(waiting.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ExtensionsWait::ready);
    EXPECT_TRUE(registry.has_registered());
    auto reg = registry.registered();
    ASSERT_EQ(reg.size(), 2u);
    EXPECT_EQ(reg[0].name, "ext-a");
    EXPECT_TRUE(reg[0].external);
    EXPECT_EQ(reg[0].state, "Registered");
    EXPECT_EQ(reg[0].events, k_both);
    EXPECT_EQ(reg[1].events, k_invoke_only);
}

TEST_F(ExtensionRegistryTest, WaitRegisteredTimesOutWhileOneHasNotRegistered) {
    registry.launched("slow");
    EXPECT_EQ(registry.wait_registered(clock.steady_now()), ExtensionsWait::timed_out);
}

TEST_F(ExtensionRegistryTest, WaitRegisteredWithNothingLaunchedIsReady) {
    EXPECT_EQ(registry.wait_registered(later()), ExtensionsWait::ready);
}

TEST_F(ExtensionRegistryTest, WaitRegisteredEndsWhenClosed) {
    registry.launched("slow");
    auto waiting =
        std::async(std::launch::async, [this] { return registry.wait_registered(later()); });
    registry.close();
    ASSERT_EQ(waiting.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ExtensionsWait::closed);
}

TEST_F(ExtensionRegistryTest, NameOfKnowsOnlyRegisteredIdentifiers) {
    std::string id = register_external("ext");
    EXPECT_EQ(registry.name_of(id), "ext");
    EXPECT_FALSE(registry.name_of(util::new_uuid()));
    EXPECT_FALSE(registry.name_of(""));
}

TEST_F(ExtensionRegistryTest, NextBlocksUntilInvokeIsDispatched) {
    std::string id = register_external("ext");
    auto& next = next_async(id);
    wait_all_ready();
    EXPECT_EQ(state_of("ext"), "Ready");
    EXPECT_EQ(next.wait_for(50ms), std::future_status::timeout);
    registry.dispatch(ExtensionEvent::invoke, R"({"eventType":"INVOKE"})");
    ASSERT_EQ(next.wait_for(k_ext_generous), std::future_status::ready);
    ExtensionNext got = next.get();
    EXPECT_FALSE(got.refused);
    EXPECT_EQ(got.body, R"({"eventType":"INVOKE"})");
    EXPECT_TRUE(util::is_uuid(got.event_id)) << got.event_id;
    EXPECT_EQ(state_of("ext"), "Running");
}

TEST_F(ExtensionRegistryTest, EachEventGetsItsOwnEventIdentifier) {
    std::string id = register_external("ext");
    auto& first = next_async(id);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "one");
    ASSERT_EQ(first.wait_for(k_ext_generous), std::future_status::ready);
    ExtensionNext a = first.get();
    auto& second = next_async(id);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "two");
    ASSERT_EQ(second.wait_for(k_ext_generous), std::future_status::ready);
    ExtensionNext b = second.get();
    EXPECT_EQ(b.body, "two");
    EXPECT_NE(a.event_id, b.event_id);
}

TEST_F(ExtensionRegistryTest, EventQueuedBeforeNextIsHandedAtOnce) {
    std::string id = register_external("ext");
    // Registered but not yet on event/next: the INVOKE waits for it.
    registry.dispatch(ExtensionEvent::invoke, "queued");
    EXPECT_EQ(registry.wait_ready(clock.steady_now()), ExtensionsWait::timed_out);
    auto& next = next_async(id);
    ASSERT_EQ(next.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(next.get().body, "queued");
}

TEST_F(ExtensionRegistryTest, ReadyOnlyWhenEveryRegisteredExtensionIsBackOnNext) {
    std::string a = register_external("a");
    std::string b = register_external("b");
    EXPECT_EQ(registry.wait_ready(clock.steady_now()), ExtensionsWait::timed_out);
    next_async(a);
    // Only `a` is on next: not ready yet.
    EXPECT_EQ(registry.wait_ready(clock.steady_now() + 50ms), ExtensionsWait::timed_out);
    auto& nb = next_async(b);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "inv");
    ASSERT_EQ(nb.wait_for(k_ext_generous), std::future_status::ready);
    // `b` has its event but is not back on next; `a` may or may not have taken its event yet.
    EXPECT_EQ(registry.wait_ready(clock.steady_now()), ExtensionsWait::timed_out);
    next_async(b);
    EXPECT_EQ(registry.wait_ready(clock.steady_now() + 50ms), ExtensionsWait::timed_out);
}

TEST_F(ExtensionRegistryTest, InvokeRoundTripEndsWhenAllAreBackOnNext) {
    std::string a = register_external("a");
    std::string b = register_external("b");
    auto& na = next_async(a);
    auto& nb = next_async(b);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "inv");
    ASSERT_EQ(na.wait_for(k_ext_generous), std::future_status::ready);
    ASSERT_EQ(nb.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(registry.wait_ready(clock.steady_now()), ExtensionsWait::timed_out);
    clock.advance(7ms);
    next_async(a);
    next_async(b);
    wait_all_ready();
    EXPECT_EQ(registry.last_ready_at(), clock.steady_now());
}

TEST_F(ExtensionRegistryTest, ExtensionNotSubscribedToInvokeIsNotWaitedOn) {
    std::string inv = register_external("inv", k_invoke_only);
    std::string shut = register_external("shut", k_shutdown_only);
    auto& ni = next_async(inv);
    auto& ns = next_async(shut);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "inv");
    ASSERT_EQ(ni.wait_for(k_ext_generous), std::future_status::ready);
    // The SHUTDOWN-only extension gets nothing and stays on next.
    EXPECT_EQ(ns.wait_for(50ms), std::future_status::timeout);
    next_async(inv);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::shutdown, "shutdown");
    ASSERT_EQ(ns.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(ns.get().body, "shutdown");
}

TEST_F(ExtensionRegistryTest, ExtensionWithNoEventsMustStillCallNextAtInit) {
    std::string id = register_external("quiet", {});
    EXPECT_EQ(registry.wait_ready(clock.steady_now()), ExtensionsWait::timed_out);
    auto& n = next_async(id);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "inv");
    registry.dispatch(ExtensionEvent::shutdown, "bye");
    EXPECT_EQ(n.wait_for(50ms), std::future_status::timeout);
    EXPECT_EQ(registry.wait_ready(later()), ExtensionsWait::ready);
}

TEST_F(ExtensionRegistryTest, CloseReleasesNextWithAnError) {
    std::string id = register_external("ext");
    auto& n = next_async(id);
    wait_all_ready();
    registry.close();
    ASSERT_EQ(n.wait_for(k_ext_generous), std::future_status::ready);
    ExtensionNext got = n.get();
    ASSERT_TRUE(got.refused);
    EXPECT_EQ(got.refused->status, 500);
    EXPECT_EQ(registry.wait_ready(later()), ExtensionsWait::closed);
}

// --- registration ---

TEST_F(ExtensionRegistryTest, EmptyNameIsRefused) {
    Registration r = registry.register_extension("", k_both);
    ASSERT_TRUE(r.refused);
    EXPECT_EQ(r.refused->status, 403);
    EXPECT_EQ(r.refused->error_type, "Extension.InvalidExtensionName");
    EXPECT_EQ(r.refused->message, "Empty extension name");
    EXPECT_TRUE(r.id.empty());
}

TEST_F(ExtensionRegistryTest, UnknownEventTypeIsRefused) {
    registry.launched("ext");
    Registration r = registry.register_extension("ext", {"INVOKE", "FOO"});
    ASSERT_TRUE(r.refused);
    EXPECT_EQ(r.refused->status, 403);
    EXPECT_EQ(r.refused->error_type, "Extension.InvalidEventType");
    EXPECT_EQ(r.refused->message.rfind("FOO: ", 0), 0u) << r.refused->message;
    // Event names are case-sensitive.
    Registration lower = registry.register_extension("ext", {"invoke"});
    ASSERT_TRUE(lower.refused);
    EXPECT_EQ(lower.refused->error_type, "Extension.InvalidEventType");
    // The refused call left it unregistered.
    EXPECT_FALSE(registry.register_extension("ext", k_both).refused);
}

// RIE formats this as "%s: %s" with core's errInvalidEventType, whose text is
// "ErrorInvalidEventType" (lambda/core: errors.New("ErrorInvalidEventType")).
TEST_F(ExtensionRegistryTest, UnknownEventTypeMessageIsRies) {
    registry.launched("ext");
    Registration r = registry.register_extension("ext", {"FOO"});
    ASSERT_TRUE(r.refused);
    EXPECT_EQ(r.refused->message, "FOO: ErrorInvalidEventType");
}

TEST_F(ExtensionRegistryTest, ExternalRegisteringTwiceIsAStateTransitionError) {
    register_external("ext");
    Registration again = registry.register_extension("ext", k_both);
    ASSERT_TRUE(again.refused);
    EXPECT_EQ(again.refused->status, 403);
    EXPECT_EQ(again.refused->error_type, "Extension.InvalidExtensionState");
    EXPECT_EQ(again.refused->message, not_allowed("Registered", "Registered", "ext"));
}

TEST_F(ExtensionRegistryTest, ExternalRegisteringAgainAfterNextNamesItsState) {
    std::string id = register_external("ext");
    next_async(id);
    wait_all_ready();
    Registration again = registry.register_extension("ext", k_both);
    ASSERT_TRUE(again.refused);
    EXPECT_EQ(again.refused->message, not_allowed("Ready", "Registered", "ext"));
    // Even after registration closed, an external's name is still its own: no RegistrationClosed.
    registry.close_registration();
    again = registry.register_extension("ext", k_both);
    ASSERT_TRUE(again.refused);
    EXPECT_EQ(again.refused->error_type, "Extension.InvalidExtensionState");
}

TEST_F(ExtensionRegistryTest, ExternalMayRegisterAfterRegistrationClosed) {
    // External extensions are not subject to RegistrationClosed (RIE checks it only for
    // internal ones).
    registry.launched("ext");
    registry.close_registration();
    Registration r = registry.register_extension("ext", k_both);
    EXPECT_FALSE(r.refused);
}

TEST_F(ExtensionRegistryTest, InternalExtensionRegistersUntilRegistrationCloses) {
    Registration r = registry.register_extension("in-process", k_invoke_only);
    ASSERT_FALSE(r.refused);
    EXPECT_TRUE(util::is_uuid(r.id));
    auto reg = registry.registered();
    ASSERT_EQ(reg.size(), 1u);
    EXPECT_FALSE(reg[0].external);
    EXPECT_EQ(reg[0].events, k_invoke_only);
    EXPECT_EQ(registry.external_count(), 0u);
    registry.close_registration();
    Registration late = registry.register_extension("too-late", k_invoke_only);
    ASSERT_TRUE(late.refused);
    EXPECT_EQ(late.refused->status, 403);
    EXPECT_EQ(late.refused->error_type, "Extension.RegistrationClosed");
    EXPECT_EQ(late.refused->message, "Extension registration closed already");
}

TEST_F(ExtensionRegistryTest, InternalExtensionIsRefusedAfterClose) {
    registry.close();
    Registration r = registry.register_extension("in-process", k_invoke_only);
    ASSERT_TRUE(r.refused);
    EXPECT_EQ(r.refused->error_type, "Extension.RegistrationClosed");
}

TEST_F(ExtensionRegistryTest, InternalExtensionMayNotAskForShutdown) {
    Registration r = registry.register_extension("in-process", k_both);
    ASSERT_TRUE(r.refused);
    EXPECT_EQ(r.refused->status, 403);
    EXPECT_EQ(r.refused->error_type, "Extension.InvalidEventType");
    EXPECT_EQ(r.refused->message.rfind("SHUTDOWN: ", 0), 0u) << r.refused->message;
    EXPECT_FALSE(registry.has_registered());
}

// RIE's text is "SHUTDOWN: ShutdownEventNotSupportedForInternalExtension"
// (errEventNotSupportedForInternalAgent in lambda/core).
TEST_F(ExtensionRegistryTest, InternalShutdownMessageIsRies) {
    Registration r = registry.register_extension("in-process", k_shutdown_only);
    ASSERT_TRUE(r.refused);
    EXPECT_EQ(r.refused->message, "SHUTDOWN: ShutdownEventNotSupportedForInternalExtension");
}

TEST_F(ExtensionRegistryTest, InternalExtensionNeverReceivesShutdown) {
    std::string ext = register_external("ext", k_both);
    Registration in = registry.register_extension("in-process", k_invoke_only);
    ASSERT_FALSE(in.refused);
    auto& ne = next_async(ext);
    auto& ni = next_async(in.id);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::shutdown, "bye");
    ASSERT_EQ(ne.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(ne.get().body, "bye");
    EXPECT_EQ(ni.wait_for(50ms), std::future_status::timeout);
}

TEST_F(ExtensionRegistryTest, InternalNameRegisteredTwiceCollides) {
    ASSERT_FALSE(registry.register_extension("in-process", k_invoke_only).refused);
    Registration again = registry.register_extension("in-process", k_invoke_only);
    ASSERT_TRUE(again.refused);
    EXPECT_EQ(again.refused->status, 403);
    EXPECT_EQ(again.refused->error_type, "Extension.InvalidExtensionState");
    EXPECT_EQ(again.refused->message, "Extension with this name already registered");
}

TEST_F(ExtensionRegistryTest, TenExtensionsAtMost) {
    for (int i = 0; i < 6; ++i) register_external("ext-" + std::to_string(i));
    for (int i = 0; i < 4; ++i) {
        Registration r = registry.register_extension("in-" + std::to_string(i), k_invoke_only);
        ASSERT_FALSE(r.refused) << i;
    }
    EXPECT_EQ(registry.registered().size(), ExtensionRegistry::k_max_extensions);
    Registration eleventh = registry.register_extension("in-10", k_invoke_only);
    ASSERT_TRUE(eleventh.refused);
    EXPECT_EQ(eleventh.refused->status, 403);
    EXPECT_EQ(eleventh.refused->error_type, "Extension.TooManyExtensions");
    EXPECT_EQ(eleventh.refused->message, "Extension limit (10) reached");
    EXPECT_EQ(registry.registered().size(), 10u);
}

// --- event/next identifier and state checks ---

TEST_F(ExtensionRegistryTest, NextChecksTheIdentifier) {
    ExtensionNext missing = registry.next("");
    ASSERT_TRUE(missing.refused);
    EXPECT_EQ(missing.refused->status, 403);
    EXPECT_EQ(missing.refused->error_type, "Extension.MissingExtensionIdentifier");
    EXPECT_EQ(missing.refused->message, "Missing Lambda-Extension-Identifier header");

    ExtensionNext bad = registry.next("not-a-uuid");
    ASSERT_TRUE(bad.refused);
    EXPECT_EQ(bad.refused->status, 403);
    EXPECT_EQ(bad.refused->error_type, "Extension.InvalidExtensionIdentifier");
    EXPECT_EQ(bad.refused->message, "Invalid Lambda-Extension-Identifier");

    std::string unknown_id = util::new_uuid();
    ExtensionNext unknown = registry.next(unknown_id);
    ASSERT_TRUE(unknown.refused);
    EXPECT_EQ(unknown.refused->status, 403);
    EXPECT_EQ(unknown.refused->error_type, "Extension.UnknownExtensionIdentifier");
    EXPECT_EQ(unknown.refused->message, "Unknown extension " + unknown_id);
}

TEST_F(ExtensionRegistryTest, SecondConcurrentNextIsAStateTransitionError) {
    std::string id = register_external("ext");
    next_async(id);
    wait_all_ready();
    ExtensionNext second = registry.next(id);
    ASSERT_TRUE(second.refused);
    EXPECT_EQ(second.refused->status, 403);
    EXPECT_EQ(second.refused->error_type, "Extension.InvalidExtensionState");
    EXPECT_EQ(second.refused->message, not_allowed("Ready", "Ready", id));
}

// --- init/error and exit/error ---

TEST_F(ExtensionRegistryTest, InitErrorBeforeFirstNextFailsWithTheFixedType) {
    std::string id = register_external("ext");
    EXPECT_FALSE(registry.init_error(id, "Extension.ConfigInvalid", "{\"ignored\":1}"));
    auto f = registry.failure();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->name, "ext");
    EXPECT_EQ(f->error_type, "Extension.InitError");
    auto reg = registry.registered();
    ASSERT_EQ(reg.size(), 1u);
    EXPECT_EQ(reg[0].state, "InitError");
    EXPECT_EQ(reg[0].error_type, "Extension.ConfigInvalid");
    EXPECT_EQ(registry.wait_ready(later()), ExtensionsWait::failed);
}

TEST_F(ExtensionRegistryTest, InitErrorWakesWaiters) {
    std::string a = register_external("a");
    std::string b = register_external("b");
    next_async(a);
    auto waiting = std::async(std::launch::async, [this] { return registry.wait_ready(later()); });
    EXPECT_FALSE(registry.init_error(b, "Fatal", ""));
    ASSERT_EQ(waiting.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ExtensionsWait::failed);
}

TEST_F(ExtensionRegistryTest, InitErrorAfterFirstNextIsRefused) {
    std::string id = register_external("ext");
    next_async(id);
    wait_all_ready();
    auto refused = registry.init_error(id, "Late", "");
    ASSERT_TRUE(refused);
    EXPECT_EQ(refused->status, 403);
    EXPECT_EQ(refused->error_type, "Extension.InvalidExtensionState");
    EXPECT_EQ(refused->message, not_allowed("Ready", "InitError", id));
    EXPECT_FALSE(registry.failure());
}

TEST_F(ExtensionRegistryTest, ExitErrorWhileRunningFailsWithTheFixedType) {
    std::string id = register_external("ext");
    auto& n = next_async(id);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::invoke, "inv");
    ASSERT_EQ(n.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_FALSE(registry.exit_error(id, "Extension.Oops", "body"));
    auto f = registry.failure();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->error_type, "Extension.ExitError");
    EXPECT_EQ(state_of("ext"), "ExitError");
    EXPECT_EQ(registry.registered()[0].error_type, "Extension.Oops");
}

TEST_F(ExtensionRegistryTest, ExitErrorFromRegisteredIsAccepted) {
    std::string a = register_external("a");
    EXPECT_FALSE(registry.exit_error(a, "E1", ""));
    EXPECT_EQ(state_of("a"), "ExitError");
    std::string b = register_external("b");
    EXPECT_FALSE(registry.exit_error(b, "E2", ""));
    // The first failure wins.
    ASSERT_TRUE(registry.failure());
    EXPECT_EQ(registry.failure()->name, "a");
    EXPECT_EQ(registry.failure()->error_type, "Extension.ExitError");
}

TEST_F(ExtensionRegistryTest, ExitErrorFromReadyReleasesTheBlockedNext) {
    std::string id = register_external("ext");
    auto& n = next_async(id);
    wait_all_ready();
    EXPECT_FALSE(registry.exit_error(id, "E", ""));
    ASSERT_EQ(n.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_TRUE(n.get().refused);
    EXPECT_EQ(registry.failure()->error_type, "Extension.ExitError");
}

TEST_F(ExtensionRegistryTest, ErrorAfterAnErrorIsAStateTransitionError) {
    std::string id = register_external("ext");
    EXPECT_FALSE(registry.init_error(id, "First", ""));
    auto again = registry.exit_error(id, "Second", "");
    ASSERT_TRUE(again);
    EXPECT_EQ(again->error_type, "Extension.InvalidExtensionState");
    EXPECT_EQ(again->message, not_allowed("InitError", "Exited", id));
    auto init_again = registry.init_error(id, "Second", "");
    ASSERT_TRUE(init_again);
    EXPECT_EQ(init_again->message, not_allowed("InitError", "InitError", id));
    ExtensionNext next = registry.next(id);
    ASSERT_TRUE(next.refused);
    EXPECT_EQ(next.refused->message, not_allowed("InitError", "Ready", id));
    EXPECT_EQ(registry.registered()[0].error_type, "First");
}

TEST_F(ExtensionRegistryTest, ErrorCallsCheckTheIdentifier) {
    for (bool at_init : {true, false}) {
        auto post = [&](const std::string& id) {
            return at_init ? registry.init_error(id, "T", "") : registry.exit_error(id, "T", "");
        };
        auto missing = post("");
        ASSERT_TRUE(missing);
        EXPECT_EQ(missing->error_type, "Extension.MissingExtensionIdentifier");
        EXPECT_EQ(missing->message, "Missing Lambda-Extension-Identifier header");
        auto bad = post("xyz");
        ASSERT_TRUE(bad);
        EXPECT_EQ(bad->error_type, "Extension.InvalidExtensionIdentifier");
        EXPECT_EQ(bad->message, "Invalid Lambda-Extension-Identifier");
        auto unknown = post(util::new_uuid());
        ASSERT_TRUE(unknown);
        EXPECT_EQ(unknown->status, 403);
        EXPECT_EQ(unknown->error_type, "Extension.UnknownExtensionIdentifier");
        EXPECT_EQ(unknown->message, "Unknown Lambda-Extension-Identifier");
    }
    EXPECT_FALSE(registry.failure());
}

// --- process exits and launch failures ---

TEST_F(ExtensionRegistryTest, ExitWhileRunningIsACrash) {
    std::string id = register_external("ext");
    next_async(id);
    wait_all_ready();
    auto waiting = std::async(std::launch::async, [this] {
        registry.dispatch(ExtensionEvent::invoke, "inv");
        return registry.wait_ready(later());
    });
    registry.exited("ext", "exit status 1");
    ASSERT_EQ(waiting.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ExtensionsWait::failed);
    auto f = registry.failure();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->name, "ext");
    EXPECT_EQ(f->error_type, "Extension.Crash");
    EXPECT_EQ(f->message, "exit status 1");
    EXPECT_EQ(state_of("ext"), "Exited");
}

TEST_F(ExtensionRegistryTest, ExitBeforeRegisteringIsACrash) {
    registry.launched("ext");
    auto waiting =
        std::async(std::launch::async, [this] { return registry.wait_registered(later()); });
    registry.exited("ext", "exit code 0");
    ASSERT_EQ(waiting.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ExtensionsWait::failed);
    ASSERT_TRUE(registry.failure());
    EXPECT_EQ(registry.failure()->error_type, "Extension.Crash");
    EXPECT_EQ(registry.failure()->message, "exit code 0");
}

TEST_F(ExtensionRegistryTest, ExitAfterShutdownIsNotACrash) {
    std::string id = register_external("ext");
    auto& n = next_async(id);
    wait_all_ready();
    registry.dispatch(ExtensionEvent::shutdown, "bye");
    ASSERT_EQ(n.wait_for(k_ext_generous), std::future_status::ready);
    registry.exited("ext", "exit code 0");
    EXPECT_FALSE(registry.failure());
}

TEST_F(ExtensionRegistryTest, ExitAfterCloseIsNotACrash) {
    register_external("ext");
    registry.close();
    registry.exited("ext", "signal: killed");
    EXPECT_FALSE(registry.failure());
}

TEST_F(ExtensionRegistryTest, ExitAfterInitErrorKeepsTheInitError) {
    std::string id = register_external("ext");
    EXPECT_FALSE(registry.init_error(id, "Extension.Bad", ""));
    registry.exited("ext", "exit status 1");
    ASSERT_TRUE(registry.failure());
    EXPECT_EQ(registry.failure()->error_type, "Extension.InitError");
}

TEST_F(ExtensionRegistryTest, FirstCrashWins) {
    register_external("a");
    register_external("b");
    registry.exited("b", "exit status 2");
    registry.exited("a", "exit status 1");
    ASSERT_TRUE(registry.failure());
    EXPECT_EQ(registry.failure()->name, "b");
    EXPECT_EQ(registry.failure()->message, "exit status 2");
}

TEST_F(ExtensionRegistryTest, ExitOfAnUnknownNameOrAnInternalIsIgnored) {
    ASSERT_FALSE(registry.register_extension("in-process", k_invoke_only).refused);
    registry.exited("in-process", "exit status 1");
    registry.exited("never-launched", "exit status 1");
    EXPECT_FALSE(registry.failure());
}

TEST_F(ExtensionRegistryTest, LaunchFailureIsALaunchError) {
    registry.launched("ok");
    registry.launched("broken");
    auto waiting =
        std::async(std::launch::async, [this] { return registry.wait_registered(later()); });
    registry.launch_failed("broken", "permission denied");
    ASSERT_EQ(waiting.wait_for(k_ext_generous), std::future_status::ready);
    EXPECT_EQ(waiting.get(), ExtensionsWait::failed);
    auto f = registry.failure();
    ASSERT_TRUE(f);
    EXPECT_EQ(f->name, "broken");
    EXPECT_EQ(f->error_type, "Extension.LaunchError");
    EXPECT_EQ(f->message, "permission denied");
}

}  // namespace

}  // namespace lambda_emu::core
