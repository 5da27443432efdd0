#include "sandbox/sandbox.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <unistd.h>

#include <filesystem>

#include "core/extension_registry.h"
#include "model/json_codec.h"
#include "runtime_api/extension_routes.h"
#include "runtime_api/routes.h"
#include "runtime_api/server.h"
#include "sandbox/extension_processes.h"
#include "supervisor/memory_meter.h"
#include "supervisor/monitor.h"
#include "supervisor/process.h"
#include "telemetry/dispatcher.h"
#include "util/time_format.h"

namespace lambda_emu::sandbox {

namespace {

constexpr std::uint64_t k_mib = 1024 * 1024;
// With external extensions, shutting an environment down takes at most this (lambda-facts
// section 2), of which the runtime gets up to k_runtime_shutdown_share for its graceful exit.
constexpr std::chrono::milliseconds k_extensions_shutdown{2000};
constexpr std::chrono::milliseconds k_runtime_shutdown_share{300};
// With an internal extension (in the runtime's process) the runtime gets 500 ms.
constexpr std::chrono::milliseconds k_runtime_shutdown_with_internal{500};
// What a telemetry flush may take before SHUTDOWN is sent.
constexpr std::chrono::milliseconds k_telemetry_flush{500};

const char* reason_word(ShutdownReason reason) {
    switch (reason) {
        case ShutdownReason::timeout:
            return "timeout";
        case ShutdownReason::failure:
            return "failure";
        case ShutdownReason::spindown:
            break;
    }
    return "spindown";
}

// {"eventType":"INVOKE","deadlineMs":...,"requestId":...,"invokedFunctionArn":...,"tracing":...}
std::string invoke_event(const model::Invocation& inv) {
    std::string body =
        "{\"eventType\":\"INVOKE\",\"deadlineMs\":" + std::to_string(util::epoch_ms(inv.deadline)) +
        ",\"requestId\":" + model::json_quote(inv.request_id) +
        ",\"invokedFunctionArn\":" + model::json_quote(inv.invoked_function_arn);
    if (!inv.trace_id.empty()) {
        body += ",\"tracing\":{\"type\":\"X-Amzn-Trace-Id\",\"value\":" +
                model::json_quote(inv.trace_id) + "}";
    }
    return body + "}";
}

std::string shutdown_event(ShutdownReason reason, util::SystemTime deadline) {
    return "{\"eventType\":\"SHUTDOWN\",\"deadlineMs\":" +
           std::to_string(util::epoch_ms(deadline)) + ",\"shutdownReason\":\"" +
           reason_word(reason) + "\"}";
}

// The environment's log stream: the caller's sink, then the telemetry subscribers.
class EnvironmentLog final : public model::LogSink {
  public:
    EnvironmentLog(model::LogSink& out, telemetry::Dispatcher& telemetry)
        : m_out(out), m_telemetry(telemetry) {}
    void emit(const model::LogEvent& event) override {
        m_out.emit(event);
        m_telemetry.emit(event);
    }

  private:
    model::LogSink& m_out;
    telemetry::Dispatcher& m_telemetry;
};

// The environment's memory: the runtime's process tree and every extension's.
class EnvironmentMeter final : public supervisor::MemoryMeter {
  public:
    void add_root(pid_t pid) { m_extra.push_back(pid); }
    supervisor::MemorySample sample(pid_t root) override {
        supervisor::MemorySample total = m_meter.sample(root);
        for (pid_t pid : m_extra) {
            supervisor::MemorySample s = m_meter.sample(pid);
            total.rss_bytes += s.rss_bytes;
            total.hwm_bytes += s.hwm_bytes;
            total.processes += s.processes;
        }
        return total;
    }

  private:
    supervisor::ProcMemoryMeter m_meter;
    std::vector<pid_t> m_extra;  // set before the runtime starts, read-only afterwards
};

class LocalSandbox final : public Sandbox, public supervisor::MonitorListener {
  public:
    LocalSandbox(const model::FunctionConfig& config, model::LogSink& sink,
                 const util::Clock& clock, const SandboxOptions& options)
        : m_config(config),
          m_clock(clock),
          m_options(options),
          m_exchange(clock),
          m_registry(clock),
          m_telemetry(clock, config.log_format == "JSON"),
          m_log(sink, m_telemetry),
          m_extensions([this](const std::string& name,
                              std::string_view line) { on_extension_output(name, line); },
                       [this](const std::string& name, const supervisor::ExitStatus& status) {
                           on_extension_exit(name, status);
                       }) {}

    ~LocalSandbox() override { shutdown(std::chrono::milliseconds(0), ShutdownReason::spindown); }

    util::Status start(const std::optional<model::InitStartEvent>& init_start) {
        runtime_api::ServerOptions server_options;
        server_options.body_limit = runtime_api::body_limit_for;
        server_options.body_observer = [this](const runtime_api::HttpRequest& head) {
            // The head of an answer: where responseLatency ends and responseDuration begins.
            if (head.method == "POST" &&
                (head.target.ends_with("/response") || head.target.ends_with("/error"))) {
                m_answer_head_at = m_clock.steady_now().time_since_epoch().count();
            }
            return runtime_api::response_stream_observer(head, m_exchange);
        };
        m_api_context = {m_config.name, m_config.version, m_config.handler, m_config.account_id};
        auto server = runtime_api::HttpServer::listen(
            "127.0.0.1", 0,
            [this](const runtime_api::HttpRequest& req) { return handle_request(req); },
            server_options);
        if (!server) return server.error();
        m_server = std::move(server.value());
        m_address = "127.0.0.1:" + std::to_string(m_server->port());

        m_spec.executable = m_config.bootstrap;
        m_spec.argv = {m_config.bootstrap};
        m_spec.working_dir = m_config.task_root;
        m_spec.discard_output = !m_options.measure;
        m_spec.env = runtime_environment(
            m_config, m_address, new_log_stream_name(m_config.version, m_clock.system_now()),
            m_options.host);
        if (init_start) m_log.emit(*init_start);
        m_spawned_at = m_clock.steady_now();
        if (m_config.extensions.empty()) return start_runtime();
        // Extensions first: the runtime starts once every one of them has registered.
        if (!m_options.external_runtime && ::access(m_config.bootstrap.c_str(), X_OK) != 0) {
            return util::make_error(m_config.bootstrap + ": not an executable file");
        }
        std::vector<std::string> env = extension_environment(m_spec.env);
        for (const auto& path : m_config.extensions) {
            std::string name = std::filesystem::path(path).filename().string();
            m_registry.launched(name);
            std::string dir = std::filesystem::path(path).parent_path().string();
            if (auto st = m_extensions.launch(path, env, dir); !st) {
                m_registry.launch_failed(name, st.error().message);
                break;
            }
        }
        for (pid_t pid : m_extensions.pids()) m_meter.add_root(pid);
        return util::Ok{};
    }

    util::Status start_runtime() {
        supervisor::SpawnSpec& spec = m_spec;
        if (m_options.external_runtime) {
            m_options.external_runtime({spec.env, spec.executable, spec.working_dir});
            return util::Ok{};
        }
        auto child = supervisor::spawn(spec);
        if (!child) return child.error();
        m_child = std::move(child.value());
        m_runtime_pid = m_child.pid();
        if (m_killed) kill_now();  // an extension failed while the runtime was starting
        m_monitor = std::make_unique<supervisor::ProcessMonitor>(m_child, *this, m_meter,
                                                                 m_options.memory_sample_interval);
        m_monitor->set_sampling(m_options.measure);
        return util::Ok{};
    }

    InitResult wait_init(util::SteadyTime deadline) override {
        InitResult r;
        if (!m_config.extensions.empty()) {
            core::ExtensionsWait registered = m_registry.wait_registered(deadline);
            if (registered != core::ExtensionsWait::ready) {
                return init_failed_in_extensions(registered, r);
            }
            if (auto st = start_runtime(); !st) {
                r.kind = InitResult::Kind::exited;
                r.exit_description = st.error().message;
                r.duration_ms = util::to_ms(m_clock.steady_now() - m_spawned_at);
                return fail_init(r);
            }
        }
        core::WaitResult w = m_exchange.wait_init(deadline);
        if (m_registry.failure()) return init_failed_in_extensions(core::ExtensionsWait::failed, r);
        auto end = w == core::WaitResult::ready ? m_exchange.first_next_at() : m_clock.steady_now();
        if (w == core::WaitResult::ready) {
            // Init ends when the runtime and every extension have called next.
            m_registry.close_registration();
            core::ExtensionsWait ready = m_registry.wait_ready(deadline);
            if (ready != core::ExtensionsWait::ready) return init_failed_in_extensions(ready, r);
            end = std::max(end, m_registry.last_ready_at());
        }
        r.duration_ms = util::to_ms(end - m_spawned_at);
        switch (w) {
            case core::WaitResult::ready:
                if (m_monitor && m_options.measure) {
                    m_monitor->sample_now();
                    m_monitor->set_sampling(false);
                    m_monitor->flush();
                }
                end_of_init();
                return r;
            case core::WaitResult::init_error:
                r.kind = InitResult::Kind::error;
                r.error_type = m_exchange.init_error_type();
                r.error_body = m_exchange.init_error_body();
                break;
            case core::WaitResult::exited: {
                r.kind = InitResult::Kind::exited;
                auto exit = m_exchange.exit_info();
                r.exit_description = exit ? exit->description : "";
                r.exit_clean = exit && exit->clean;
                break;
            }
            default:
                r.kind = InitResult::Kind::timeout;
                break;
        }
        return fail_init(r);
    }

    InvokeResult invoke(model::Invocation invocation, util::SteadyTime deadline) override {
        InvokeResult r;
        {
            std::lock_guard lock(m_request_mutex);
            m_request_id = invocation.request_id;
        }
        m_overhead.reset();
        // Extensions receive INVOKE before the runtime receives the event.
        m_registry.dispatch(core::ExtensionEvent::invoke, invoke_event(invocation));
        m_exchange.submit(std::move(invocation));
        core::WaitResult w = wait_answer_sampling(deadline);
        util::SteadyTime now = m_clock.steady_now();
        util::SteadyTime handed = m_exchange.handed_over_at();
        switch (w) {
            case core::WaitResult::answered:
                r.kind = InvokeResult::Kind::answered;
                r.answer = m_exchange.take_answer();
                r.duration_ms = util::to_ms(m_exchange.answered_at() - handed);
                m_answered = true;
                break;
            case core::WaitResult::exited: {
                r.kind = m_oom ? InvokeResult::Kind::out_of_memory : InvokeResult::Kind::exited;
                auto exit = m_exchange.exit_info();
                r.exit_description = exit ? exit->description : "";
                r.exit_clean = exit && exit->clean;
                r.duration_ms = util::to_ms(now - (handed > util::SteadyTime{} ? handed : now));
                break;
            }
            default:
                r.kind = InvokeResult::Kind::timeout;
                kill_now();
                break;
        }
        if (r.kind != InvokeResult::Kind::answered && r.kind != InvokeResult::Kind::timeout) {
            if (auto f = m_registry.failure()) {
                r.kind = InvokeResult::Kind::extension_error;
                r.error_type = f->error_type;
                r.message = f->message;
            }
        }
        return r;
    }

    std::optional<SettleFailure> settle(util::SteadyTime deadline) override {
        if (m_options.measure) {
            if (m_answered) {
                // The last sample is taken while the runtime is on its way back to /next.
                if (m_monitor) m_monitor->sample_now();
                // Lines the function writes after answering belong to this invocation too:
                // wait until the runtime is back on /next (or gone), within the deadline.
                if (m_exchange.wait_back(deadline) == core::WaitResult::timed_out) kill_now();
            }
            if (m_monitor) {
                m_monitor->set_sampling(false);
                m_monitor->flush();
            }
        }
        m_spans = m_answered ? answer_spans() : std::vector<model::Span>{};
        m_answered = false;
        std::optional<SettleFailure> failure;
        if (m_registry.has_registered()) {
            if (!m_killed) {
                // The invocation ends for the environment when every extension is back on
                // event/next; the time they take after the runtime is the extension overhead.
                util::SystemTime start_wall = m_clock.system_now();
                util::SteadyTime start = m_clock.steady_now();
                core::ExtensionsWait w = m_registry.wait_ready(deadline);
                if (w == core::ExtensionsWait::ready) {
                    double ms = util::to_ms(std::max(start, m_registry.last_ready_at()) - start);
                    m_overhead = model::Span{"extensionOverhead", start_wall, ms};
                } else {
                    if (w == core::ExtensionsWait::timed_out) failure = SettleFailure{true, {}, {}};
                    kill_now();
                }
            }
            if (auto f = m_registry.failure()) {
                failure = SettleFailure{false, f->error_type, f->message};
            }
            m_extensions.flush();
        }
        std::lock_guard lock(m_request_mutex);
        m_request_id.clear();
        return failure;
    }

    std::optional<model::Span> extension_overhead() const override { return m_overhead; }

    std::vector<model::Span> runtime_spans() const override { return m_spans; }

    model::LogSink& log() override { return m_log; }

    std::uint64_t peak_memory_bytes() override { return m_peak_bytes; }

    void cancel_init() override {
        m_exchange.close();
        m_registry.close();
    }

    bool usable() const override { return !m_killed && m_exchange.state() != core::EnvState::dead; }

    void shutdown(std::chrono::milliseconds grace, ShutdownReason reason) override {
        if (m_shut_down.exchange(true)) return;
        bool extensions = m_extensions.size() > 0;
        util::SteadyTime started = m_clock.steady_now();
        util::SystemTime started_wall = m_clock.system_now();
        auto registered = m_registry.registered();
        bool internal = std::any_of(registered.begin(), registered.end(),
                                    [](const auto& e) { return !e.external; });
        if (internal && grace.count() > 0) {
            grace = k_runtime_shutdown_with_internal;  // the internal extension exits with it
        } else if (extensions) {
            grace = std::min(grace, k_runtime_shutdown_share);
        }
        if (m_child.pid() > 0 && !m_killed && grace.count() > 0) {
            m_child.signal_group(SIGTERM);
            auto until = std::chrono::steady_clock::now() + grace;
            while (m_exchange.state() != core::EnvState::dead &&
                   std::chrono::steady_clock::now() < until) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
        kill_now();
        m_exchange.close();
        if (extensions) {
            // SHUTDOWN to the extensions that asked for it, the rest killed at once; every one
            // gone by the deadline.
            util::SteadyTime deadline = started + k_extensions_shutdown;
            std::vector<std::string> keep;
            for (const auto& e : m_registry.registered()) {
                if (std::find(e.events.begin(), e.events.end(), "SHUTDOWN") != e.events.end()) {
                    keep.push_back(e.name);
                }
            }
            m_extensions.kill_except(keep);
            m_registry.dispatch(core::ExtensionEvent::shutdown,
                                shutdown_event(reason, started_wall + k_extensions_shutdown));
            // The records still buffered arrive after SHUTDOWN, as after the service thaws a
            // frozen environment: subscribers wait for them on SHUTDOWN.
            m_telemetry.flush(std::min(deadline, m_clock.steady_now() + k_telemetry_flush));
            (void)m_extensions.wait_exited(m_clock, deadline);
        }
        m_extensions.kill_all();
        m_registry.close();
        m_telemetry.stop();
        if (m_monitor) {
            m_monitor->flush();
            m_monitor->stop();
        }
        m_child.kill_and_reap();
        if (m_server) m_server->stop();
    }

    std::string runtime_api_address() const override { return m_address; }
    util::SteadyTime spawned_at() const override { return m_spawned_at; }

  private:
    // The spans of an answered invocation (see Sandbox::runtime_spans).
    std::vector<model::Span> answer_spans() const {
        util::SteadyTime handed = m_exchange.handed_over_at();
        util::SteadyTime answered = m_exchange.answered_at();
        util::SteadyTime head{util::SteadyTime::duration(m_answer_head_at.load())};
        if (head < handed || head > answered) head = answered;
        util::SteadyTime now = m_clock.steady_now();
        util::SystemTime now_wall = m_clock.system_now();
        auto wall = [&](util::SteadyTime t) {
            return now_wall - std::chrono::duration_cast<util::SystemTime::duration>(now - t);
        };
        std::vector<model::Span> spans = {
            {"responseLatency", wall(handed), util::to_ms(head - handed)},
            {"responseDuration", wall(head), util::to_ms(answered - head)}};
        util::SteadyTime back = m_exchange.last_next_at();
        if (m_options.measure && back >= answered) {
            spans.push_back({"runtimeOverhead", wall(answered), util::to_ms(back - answered)});
        }
        return spans;
    }

    runtime_api::HttpResponse handle_request(const runtime_api::HttpRequest& req) {
        if (!runtime_api::is_extension_request(req.target)) {
            return runtime_api::handle_runtime_request(req, m_exchange);
        }
        runtime_api::HttpResponse r = runtime_api::handle_extension_request(
            req, m_registry, m_api_context,
            [this](std::string_view api, const std::string& name, const std::string& body) {
                return subscribe(api, name, body);
            });
        // An extension that reported an error takes the environment down with it.
        if (m_registry.failure() && !m_shut_down) kill_now();
        return r;
    }

    runtime_api::HttpResponse subscribe(std::string_view api_version, const std::string& name,
                                        const std::string& body) {
        telemetry::Api api =
            api_version == "2020-08-15" ? telemetry::Api::logs : telemetry::Api::telemetry;
        auto parsed = telemetry::parse_subscription(api, body);
        if (!parsed) {
            return runtime_api::api_error(400, "ValidationError", parsed.error().message);
        }
        std::vector<std::string> types = parsed->types;
        if (auto refused = m_telemetry.subscribe(name, std::move(parsed.value()))) {
            return runtime_api::api_error(refused->status, refused->error_type, refused->message);
        }
        m_log.emit(model::SubscriptionEvent{m_clock.system_now(), name, std::move(types),
                                            api == telemetry::Api::logs});
        runtime_api::HttpResponse r;
        r.status = 200;
        r.headers.emplace_back("Content-Type", "text/plain");
        r.body = "OK";
        return r;
    }

    // The EXTENSION lines at the end of Init (also when it failed), then no more
    // subscriptions.
    void end_of_init() {
        util::SystemTime now = m_clock.system_now();
        for (const auto& e : m_registry.registered()) {
            m_log.emit(model::ExtensionStateEvent{now, e.name, e.state, e.events, e.error_type});
        }
        m_telemetry.close_subscriptions();
    }

    InitResult fail_init(InitResult& r) {
        kill_now();
        end_of_init();
        return r;
    }

    InitResult init_failed_in_extensions(core::ExtensionsWait w, InitResult& r) {
        r.duration_ms = util::to_ms(m_clock.steady_now() - m_spawned_at);
        if (auto f = m_registry.failure()) {
            r.kind = InitResult::Kind::extension_error;
            r.error_type = f->error_type;
            r.error_body = f->message;
        } else {
            r.kind = w == core::ExtensionsWait::closed ? InitResult::Kind::timeout
                                                       : InitResult::Kind::timeout;
        }
        return fail_init(r);
    }

    void on_extension_output(const std::string& name, std::string_view line) {
        std::string request_id;
        {
            std::lock_guard lock(m_request_mutex);
            request_id = m_request_id;
        }
        m_log.emit(model::FunctionLineEvent{m_clock.system_now(), std::move(request_id),
                                            std::string(line), name});
    }

    void on_extension_exit(const std::string& name, const supervisor::ExitStatus& status) {
        bool clean = !status.signaled && status.code == 0;
        m_registry.exited(name, clean ? "exit code 0" : status.describe());
        if (m_registry.failure() && !m_shut_down) kill_now();
    }

    // Until the answer, the runtime's exit or the deadline. Memory is sampled periodically only
    // once the function has run for a sampling interval: a shorter invocation is measured by the
    // sample at its answer, without waking the monitor at all.
    core::WaitResult wait_answer_sampling(util::SteadyTime deadline) {
        if (!m_monitor || !m_options.measure) return m_exchange.wait_answer(deadline);
        util::SteadyTime first =
            std::min(deadline, m_clock.steady_now() + m_options.memory_sample_interval);
        core::WaitResult w = m_exchange.wait_answer(first);
        if (w != core::WaitResult::timed_out || first == deadline) return w;
        m_monitor->set_sampling(true);
        return m_exchange.wait_answer(deadline);
    }

    // Safe from any thread: extensions' threads call it while the runtime may be starting.
    void kill_now() {
        m_killed = true;
        pid_t pid = m_runtime_pid.load();
        if (pid > 0) ::kill(-pid, SIGKILL);
    }

    // --- MonitorListener ---
    void on_output(std::string_view line) override {
        std::string request_id;
        {
            std::lock_guard lock(m_request_mutex);
            request_id = m_request_id;
        }
        m_log.emit(model::FunctionLineEvent{
            m_clock.system_now(), std::move(request_id), std::string(line), {}});
    }

    void on_exit(const supervisor::ExitStatus& status) override {
        bool clean = !status.signaled && status.code == 0;
        m_exchange.runtime_exited(core::RuntimeExit{clean, status.describe()});
    }

    void on_sample(const supervisor::MemorySample& sample) override {
        std::uint64_t peak = std::max(sample.hwm_bytes, sample.rss_bytes);
        std::uint64_t old = m_peak_bytes.load();
        while (peak > old && !m_peak_bytes.compare_exchange_weak(old, peak)) {
        }
        std::uint64_t limit = static_cast<std::uint64_t>(m_config.memory_mb) * k_mib;
        if (m_config.enforce_memory_limit && sample.rss_bytes > limit && !m_oom.exchange(true)) {
            m_child.signal_group(SIGKILL);
        }
    }

    model::FunctionConfig m_config;
    const util::Clock& m_clock;
    SandboxOptions m_options;
    core::RuntimeExchange m_exchange;
    core::ExtensionRegistry m_registry;
    telemetry::Dispatcher m_telemetry;
    EnvironmentLog m_log;
    runtime_api::ExtensionApiContext m_api_context;
    std::unique_ptr<runtime_api::HttpServer> m_server;
    std::string m_address;
    supervisor::SpawnSpec m_spec;  // the runtime's
    EnvironmentMeter m_meter;
    supervisor::ChildProcess m_child;
    std::unique_ptr<supervisor::ProcessMonitor> m_monitor;
    util::SteadyTime m_spawned_at{};
    std::mutex m_request_mutex;
    std::string m_request_id;
    std::atomic<std::uint64_t> m_peak_bytes{0};
    std::atomic<bool> m_oom{false};
    std::atomic<bool> m_killed{false};
    std::atomic<pid_t> m_runtime_pid{0};  // the runtime's group, for kill_now()
    std::atomic<bool> m_shut_down{false};
    bool m_answered = false;  // the invocation in progress was answered; settle() finishes it
    std::optional<model::Span> m_overhead;
    std::vector<model::Span> m_spans;
    std::atomic<util::SteadyTime::rep> m_answer_head_at{0};  // steady ticks
    // Last: their monitor threads call back into the members above until kill_all().
    ExtensionProcesses m_extensions;
};

}  // namespace

util::Result<std::unique_ptr<Sandbox>> Sandbox::start(
    const model::FunctionConfig& config, model::LogSink& sink, const util::Clock& clock,
    const SandboxOptions& options, const std::optional<model::InitStartEvent>& init_start) {
    auto sandbox = std::make_unique<LocalSandbox>(config, sink, clock, options);
    if (auto st = sandbox->start(init_start); !st) return st.error();
    return std::unique_ptr<Sandbox>(std::move(sandbox));
}

}  // namespace lambda_emu::sandbox
