#include "sandbox/sandbox.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "runtime_api/routes.h"
#include "runtime_api/server.h"
#include "supervisor/memory_meter.h"
#include "supervisor/monitor.h"
#include "supervisor/process.h"

namespace lambda_emu::sandbox {

namespace {

constexpr std::uint64_t k_mib = 1024 * 1024;

class LocalSandbox final : public Sandbox, public supervisor::MonitorListener {
  public:
    LocalSandbox(const model::FunctionConfig& config, model::LogSink& sink,
                 const util::Clock& clock, const SandboxOptions& options)
        : m_config(config), m_sink(sink), m_clock(clock), m_options(options), m_exchange(clock) {}

    ~LocalSandbox() override { shutdown(std::chrono::milliseconds(0)); }

    util::Status start() {
        runtime_api::ServerOptions server_options;
        server_options.body_limit = runtime_api::body_limit_for;
        server_options.body_observer = [this](const runtime_api::HttpRequest& head) {
            return runtime_api::response_stream_observer(head, m_exchange);
        };
        auto server = runtime_api::HttpServer::listen(
            "127.0.0.1", 0,
            [this](const runtime_api::HttpRequest& req) {
                return runtime_api::handle_runtime_request(req, m_exchange);
            },
            server_options);
        if (!server) return server.error();
        m_server = std::move(server.value());
        m_address = "127.0.0.1:" + std::to_string(m_server->port());

        supervisor::SpawnSpec spec;
        spec.executable = m_config.bootstrap;
        spec.argv = {m_config.bootstrap};
        spec.working_dir = m_config.task_root;
        spec.discard_output = !m_options.measure;
        spec.env = runtime_environment(m_config, m_address,
                                       new_log_stream_name(m_config.version, m_clock.system_now()),
                                       m_options.host);
        m_spawned_at = m_clock.steady_now();
        if (m_options.external_runtime) {
            m_options.external_runtime({spec.env, spec.executable, spec.working_dir});
            return util::Ok{};
        }
        auto child = supervisor::spawn(spec);
        if (!child) return child.error();
        m_child = std::move(child.value());
        m_monitor = std::make_unique<supervisor::ProcessMonitor>(m_child, *this, m_meter,
                                                                 m_options.memory_sample_interval);
        m_monitor->set_sampling(m_options.measure);
        return util::Ok{};
    }

    InitResult wait_init(util::SteadyTime deadline) override {
        InitResult r;
        core::WaitResult w = m_exchange.wait_init(deadline);
        auto end = w == core::WaitResult::ready ? m_exchange.first_next_at() : m_clock.steady_now();
        r.duration_ms = util::to_ms(end - m_spawned_at);
        switch (w) {
            case core::WaitResult::ready:
                if (m_monitor && m_options.measure) {
                    m_monitor->sample_now();
                    m_monitor->set_sampling(false);
                    m_monitor->flush();
                }
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
        kill_now();
        return r;
    }

    InvokeResult invoke(model::Invocation invocation, util::SteadyTime deadline) override {
        InvokeResult r;
        {
            std::lock_guard lock(m_request_mutex);
            m_request_id = invocation.request_id;
        }
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
        return r;
    }

    void settle(util::SteadyTime deadline) override {
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
        m_answered = false;
        std::lock_guard lock(m_request_mutex);
        m_request_id.clear();
    }

    std::uint64_t peak_memory_bytes() override { return m_peak_bytes; }

    void cancel_init() override { m_exchange.close(); }

    bool usable() const override { return !m_killed && m_exchange.state() != core::EnvState::dead; }

    void shutdown(std::chrono::milliseconds grace) override {
        if (m_shut_down.exchange(true)) return;
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

    void kill_now() {
        m_killed = true;
        m_child.signal_group(SIGKILL);
    }

    // --- MonitorListener ---
    void on_output(std::string_view line) override {
        std::string request_id;
        {
            std::lock_guard lock(m_request_mutex);
            request_id = m_request_id;
        }
        m_sink.emit(model::FunctionLineEvent{m_clock.system_now(), std::move(request_id),
                                             std::string(line)});
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
    model::LogSink& m_sink;
    const util::Clock& m_clock;
    SandboxOptions m_options;
    core::RuntimeExchange m_exchange;
    std::unique_ptr<runtime_api::HttpServer> m_server;
    std::string m_address;
    supervisor::ProcMemoryMeter m_meter;
    supervisor::ChildProcess m_child;
    std::unique_ptr<supervisor::ProcessMonitor> m_monitor;
    util::SteadyTime m_spawned_at{};
    std::mutex m_request_mutex;
    std::string m_request_id;
    std::atomic<std::uint64_t> m_peak_bytes{0};
    std::atomic<bool> m_oom{false};
    std::atomic<bool> m_killed{false};
    std::atomic<bool> m_shut_down{false};
    bool m_answered = false;  // the invocation in progress was answered; settle() finishes it
};

}  // namespace

util::Result<std::unique_ptr<Sandbox>> Sandbox::start(const model::FunctionConfig& config,
                                                      model::LogSink& sink,
                                                      const util::Clock& clock,
                                                      const SandboxOptions& options) {
    auto sandbox = std::make_unique<LocalSandbox>(config, sink, clock, options);
    if (auto st = sandbox->start(); !st) return st.error();
    return std::unique_ptr<Sandbox>(std::move(sandbox));
}

}  // namespace lambda_emu::sandbox
