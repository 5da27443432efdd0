#include "pool/function_pool.h"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "model/billing.h"
#include "model/error_types.h"
#include "model/json_codec.h"
#include "model/limits.h"
#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::pool {

namespace {

namespace et = model::error_types;
using model::OutcomeKind;
using sandbox::InitResult;
using sandbox::InvokeResult;

std::string seconds_two_decimals(int seconds) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(seconds));
    return buf;
}

std::string exit_message(const std::string& request_id, const std::string& description,
                         bool clean) {
    return "RequestId: " + request_id + " Error: " +
           (clean ? std::string("Runtime exited without providing a reason")
                  : "Runtime exited with error: " + description);
}

const char* init_status(InitResult::Kind kind) {
    return kind == InitResult::Kind::ready     ? "success"
           : kind == InitResult::Kind::timeout ? "timeout"
                                               : "error";
}

std::string init_error_type(const InitResult& r) {
    switch (r.kind) {
        case InitResult::Kind::error:
            return model::reported_error_type(r.error_type);
        case InitResult::Kind::exited:
            return et::k_runtime_exit;
        case InitResult::Kind::extension_error:
            return r.error_type;
        default:
            return {};
    }
}

sandbox::ShutdownReason shutdown_reason(model::OutcomeKind kind) {
    return kind == OutcomeKind::timeout ? sandbox::ShutdownReason::timeout
                                        : sandbox::ShutdownReason::failure;
}

// How long a request waits for an environment that has answered to be free again.
constexpr std::chrono::milliseconds k_finishing_grace{10};

// The Init phase's limit: 10 s on demand; max(130 s, timeout) when provisioned.
std::chrono::milliseconds init_limit(const model::FunctionConfig& config) {
    if (config.initialization_type == "provisioned-concurrency") {
        return std::max<std::chrono::milliseconds>(std::chrono::seconds(130),
                                                   std::chrono::seconds(config.timeout_s));
    }
    return model::k_on_demand_init_limit;
}

}  // namespace

struct RunningInvocation {
    std::unique_ptr<sandbox::Sandbox> env;
    model::Outcome out;
    std::optional<double> init_duration_ms;
    std::optional<std::string> platform_line;  // written before END
    double duration_ms = 0;
    util::SteadyTime deadline{};
    bool ended = false;
    bool finishing = false;  // answered: counted in m_finishing until released
};

AnsweredInvocation::AnsweredInvocation(FunctionPool& pool,
                                       std::unique_ptr<RunningInvocation> running)
    : m_pool(&pool), m_running(std::move(running)) {}

AnsweredInvocation::AnsweredInvocation(AnsweredInvocation&& other) noexcept
    : m_pool(other.m_pool), m_running(std::move(other.m_running)) {}

AnsweredInvocation::~AnsweredInvocation() {
    if (m_running) end();
}

model::Outcome& AnsweredInvocation::outcome() { return m_running->out; }

model::Outcome& AnsweredInvocation::end() {
    if (!m_running->ended) m_pool->end(*m_running);
    return m_running->out;
}

struct FunctionPool::Lease {
    std::unique_ptr<sandbox::Sandbox> warm;  // an idle environment taken from the pool
    std::optional<double> init_duration_ms;  // a normal cold start
    bool suppressed_init = false;            // Init failed before: re-run it inside the invocation
    std::string start_error;                 // the runtime could not be started at all
};

FunctionPool::FunctionPool(model::FunctionConfig config, model::LogSink& sink,
                           const util::Clock& clock, PoolOptions options)
    : m_config(std::move(config)), m_sink(sink), m_clock(clock), m_options(std::move(options)) {}

FunctionPool::~FunctionPool() { shutdown(); }

void FunctionPool::shutdown() {
    std::vector<IdleEnvironment> idle;
    {
        std::lock_guard lock(m_mutex);
        m_shut_down = true;
        idle.swap(m_idle);
        for (sandbox::Sandbox* starting : m_starting) starting->cancel_init();
        m_cv.notify_all();
    }
    for (auto& entry : idle) entry.env->shutdown(m_options.shutdown_grace);
}

int FunctionPool::reap_idle() {
    if (m_options.idle_timeout.count() <= 0) return 0;
    std::vector<IdleEnvironment> expired;
    {
        std::lock_guard lock(m_mutex);
        util::SteadyTime now = m_clock.steady_now();
        for (auto it = m_idle.begin(); it != m_idle.end();) {
            if (now - it->idle_since >= m_options.idle_timeout) {
                expired.push_back(std::move(*it));
                it = m_idle.erase(it);
            } else {
                ++it;
            }
        }
        if (!expired.empty()) m_cv.notify_all();
    }
    for (auto& entry : expired) entry.env->shutdown(m_options.shutdown_grace);
    return static_cast<int>(expired.size());
}

PoolStats FunctionPool::stats() {
    std::lock_guard lock(m_mutex);
    return {m_busy, static_cast<int>(m_idle.size())};
}

FunctionPool::Started FunctionPool::start_environment(const model::FunctionConfig& config,
                                                      model::InitPhase phase,
                                                      std::optional<util::SteadyTime> deadline) {
    model::InitStartEvent init_start{m_clock.system_now(), config.name, config.version,
                                     config.initialization_type, phase};
    Started s;
    auto started = sandbox::Sandbox::start(config, m_sink, m_clock, m_options.sandbox, init_start);
    if (!started) {
        m_sink.emit(init_start);
        s.start_error = started.error().message;
        return s;
    }
    s.env = std::move(started.value());
    // A runtime started by hand (--no-spawn) may take as long as the person needs.
    auto limit = m_options.sandbox.external_runtime ? std::chrono::hours(24) : init_limit(config);
    {
        // shutdown() ends the Init of an environment that is still starting.
        std::lock_guard lock(m_mutex);
        if (m_shut_down) s.env->cancel_init();
        m_starting.insert(s.env.get());
    }
    s.init = s.env->wait_init(deadline ? *deadline : s.env->spawned_at() + limit);
    {
        std::lock_guard lock(m_mutex);
        m_starting.erase(s.env.get());
    }
    s.env->log().emit(model::InitReportEvent{m_clock.system_now(), phase,
                                             config.initialization_type, init_status(s.init.kind),
                                             init_error_type(s.init), s.init.duration_ms});
    return s;
}

bool FunctionPool::prewarm(int n) {
    model::FunctionConfig provisioned = m_config;
    provisioned.initialization_type = "provisioned-concurrency";
    bool all_ready = true;
    for (int i = 0; i < n; ++i) {
        {
            std::lock_guard lock(m_mutex);
            if (m_shut_down ||
                m_busy + static_cast<int>(m_idle.size()) >= m_options.max_environments) {
                return all_ready;
            }
            ++m_busy;
        }
        Started s = start_environment(provisioned, model::InitPhase::init, std::nullopt);
        std::unique_ptr<sandbox::Sandbox> env =
            s.env && s.init.kind == InitResult::Kind::ready ? std::move(s.env) : nullptr;
        all_ready = all_ready && env != nullptr;
        std::unique_lock lock(m_mutex);
        --m_busy;
        if (env && !m_shut_down) m_idle.push_back({std::move(env), m_clock.steady_now()});
        m_cv.notify_all();
    }
    return all_ready;
}

bool FunctionPool::reserve(Lease& lease, std::optional<util::SteadyTime> deadline) {
    std::unique_lock lock(m_mutex);
    auto room = [&] {
        return m_busy + static_cast<int>(m_idle.size()) < m_options.max_environments;
    };
    auto free = [&] { return m_shut_down || !m_idle.empty() || room(); };
    // An environment that has answered is back on /next in moments: a request that comes
    // meanwhile (a client's next one, on another connection) waits for it briefly rather than
    // starting another environment or being throttled.
    if (m_finishing > 0 && m_idle.empty()) {
        m_cv.wait_for(lock, k_finishing_grace, [&] {
            return m_shut_down || !m_idle.empty() || (room() && m_finishing == 0);
        });
    }
    if (!deadline) {
        m_cv.wait(lock, free);
    } else if (!m_cv.wait_for(lock, *deadline - m_clock.steady_now(), free)) {
        return false;
    }
    if (m_shut_down) return false;
    ++m_busy;
    if (!m_idle.empty()) {
        // The most recently used environment: the others age towards their spin-down.
        lease.warm = std::move(m_idle.back().env);
        m_idle.pop_back();
    } else if (m_pending_resets > 0) {
        --m_pending_resets;
        lease.suppressed_init = true;
    }
    return true;
}

std::unique_ptr<sandbox::Sandbox> FunctionPool::ready_environment(Lease& lease) {
    if (lease.warm) return std::move(lease.warm);
    if (lease.suppressed_init) return nullptr;
    // A cold start: Init runs under its limit before the invocation begins.
    Started s = start_environment(m_config, model::InitPhase::init, std::nullopt);
    if (s.env && s.init.kind == InitResult::Kind::ready) {
        lease.init_duration_ms = s.init.duration_ms;
        return std::move(s.env);
    }
    if (s.env) s.env->shutdown(std::chrono::milliseconds(0), sandbox::ShutdownReason::failure);
    lease.start_error = s.start_error;
    lease.suppressed_init = true;
    return nullptr;
}

void FunctionPool::release(std::unique_ptr<sandbox::Sandbox> env, bool finishing,
                           sandbox::ShutdownReason reason) {
    std::unique_lock lock(m_mutex);
    --m_busy;
    if (finishing) --m_finishing;
    if (env && env->usable() && !m_shut_down) {
        m_idle.push_back({std::move(env), m_clock.steady_now()});
    } else if (env) {
        ++m_pending_resets;
    }
    m_cv.notify_all();
    lock.unlock();
    if (env) env->shutdown(std::chrono::milliseconds(0), reason);
}

model::Outcome FunctionPool::invoke(const InvokeRequest& request) {
    Lease lease;
    if (reserve(lease, std::nullopt)) return run(request, lease);
    model::Outcome out;
    out.request_id = request.request_id.empty() ? util::new_uuid() : request.request_id;
    out.kind = OutcomeKind::init_error;
    out.error_type = et::k_sandbox_failure;
    out.body =
        model::error_body(et::k_sandbox_failure,
                          "RequestId: " + out.request_id + " Error: the function is shutting down");
    return out;
}

std::optional<model::Outcome> FunctionPool::try_invoke(const InvokeRequest& request,
                                                       Admission admission) {
    Lease lease;
    auto deadline = admission == Admission::throttle
                        ? m_clock.steady_now()
                        : m_clock.steady_now() + std::chrono::seconds(m_config.timeout_s);
    if (!reserve(lease, deadline)) return std::nullopt;
    return run(request, lease);
}

std::optional<AnsweredInvocation> FunctionPool::try_invoke_answer(const InvokeRequest& request,
                                                                  Admission admission) {
    Lease lease;
    auto deadline = admission == Admission::throttle
                        ? m_clock.steady_now()
                        : m_clock.steady_now() + std::chrono::seconds(m_config.timeout_s);
    if (!reserve(lease, deadline)) return std::nullopt;
    return AnsweredInvocation(*this, begin(request, lease));
}

model::Outcome FunctionPool::run(const InvokeRequest& request, Lease& lease) {
    std::unique_ptr<RunningInvocation> running = begin(request, lease);
    end(*running);
    return std::move(running->out);
}

std::unique_ptr<RunningInvocation> FunctionPool::begin(const InvokeRequest& request, Lease& lease) {
    auto running = std::make_unique<RunningInvocation>();
    running->env = ready_environment(lease);
    std::unique_ptr<sandbox::Sandbox>& env = running->env;
    running->init_duration_ms = lease.init_duration_ms;

    model::Outcome& out = running->out;
    out.request_id = request.request_id.empty() ? util::new_uuid() : request.request_id;
    const std::string& id = out.request_id;
    const auto timeout = std::chrono::seconds(m_config.timeout_s);

    util::SteadyTime started_at = m_clock.steady_now();
    util::SystemTime started_wall = m_clock.system_now();
    (env ? env->log() : m_sink).emit(model::StartEvent{started_wall, id, m_config.version});
    util::SteadyTime deadline = started_at + timeout;
    running->deadline = deadline;

    std::optional<std::string>& platform_line = running->platform_line;
    double& duration_ms = running->duration_ms;
    bool decided = false;

    auto fail = [&](OutcomeKind kind, const std::string& type, std::string body) {
        out.kind = kind;
        out.error_type = type;
        out.body = std::move(body);
        decided = true;
    };
    auto timed_out = [&] {
        std::string after =
            "Task timed out after " + seconds_two_decimals(m_config.timeout_s) + " seconds";
        platform_line = util::iso8601_ms(m_clock.system_now()) + " " + id + " " + after;
        fail(OutcomeKind::timeout, et::k_timed_out,
             model::error_body(et::k_timed_out, "RequestId: " + id + " Error: " + after));
        duration_ms = static_cast<double>(m_config.timeout_s) * 1000.0;
    };

    double init_inside_ms = 0;
    if (!env && lease.start_error.empty()) {
        // Suppressed init: Init runs again inside this invocation, under its timeout.
        Started started = start_environment(m_config, model::InitPhase::invoke, deadline);
        if (!started.env) {
            lease.start_error = started.start_error;
        } else {
            env = std::move(started.env);
            const InitResult& r = started.init;
            init_inside_ms = util::to_ms(m_clock.steady_now() - started_at);
            switch (r.kind) {
                case InitResult::Kind::ready:
                    break;
                case InitResult::Kind::timeout:
                    timed_out();
                    break;
                case InitResult::Kind::error:
                    fail(OutcomeKind::init_error, model::reported_error_type(r.error_type),
                         r.error_body.empty() ? model::error_body(r.error_type, "") : r.error_body);
                    duration_ms = init_inside_ms;
                    break;
                case InitResult::Kind::extension_error:
                    fail(OutcomeKind::extension_error, r.error_type,
                         model::error_body(r.error_type,
                                           "RequestId: " + id + " Error: " + r.error_body));
                    duration_ms = init_inside_ms;
                    break;
                case InitResult::Kind::exited:
                    platform_line = exit_message(id, r.exit_description, r.exit_clean) + "\n" +
                                    et::k_runtime_exit;
                    fail(OutcomeKind::init_error, et::k_runtime_exit,
                         model::error_body(et::k_runtime_exit,
                                           exit_message(id, r.exit_description, r.exit_clean)));
                    duration_ms = init_inside_ms;
                    break;
            }
        }
    }
    if (!lease.start_error.empty() && !decided) {
        fail(OutcomeKind::init_error, "Runtime.InvalidEntrypoint",
             model::error_body("Runtime.InvalidEntrypoint",
                               "RequestId: " + id + " Error: " + lease.start_error));
    }

    if (!decided && env) {
        model::Invocation inv;
        inv.request_id = id;
        inv.payload = request.payload;
        inv.deadline = started_wall + timeout;
        inv.invoked_function_arn =
            request.invoked_function_arn.empty() ? m_config.arn() : request.invoked_function_arn;
        inv.trace_id = util::new_trace_id(started_wall);
        inv.client_context = request.client_context;
        inv.cognito_identity = request.cognito_identity;
        inv.content_type = request.content_type;
        inv.stream = request.stream;
        InvokeResult r = env->invoke(std::move(inv), deadline);
        duration_ms = r.duration_ms + init_inside_ms;
        if (r.kind == InvokeResult::Kind::answered) {
            std::lock_guard lock(m_mutex);
            ++m_finishing;
            running->finishing = true;
        }
        switch (r.kind) {
            case InvokeResult::Kind::answered: {
                auto& a = r.answer;
                out.produced_bytes = a.body_bytes;
                using K = core::RuntimeAnswer::Kind;
                if (a.kind == K::response) {
                    out.kind = OutcomeKind::success;
                    out.body = std::move(a.body);
                } else if (a.kind == K::error) {
                    fail(OutcomeKind::function_error, a.error_type,
                         a.body.empty() ? model::error_body(a.error_type, "") : std::move(a.body));
                } else if (a.kind == K::too_large) {
                    fail(
                        OutcomeKind::response_too_large, et::k_response_too_large,
                        R"({"errorMessage":"Response payload size exceeded maximum allowed payload size ()" +
                            std::to_string(model::k_max_response_bytes) +
                            R"( bytes).","errorType":"Function.ResponseSizeTooLarge"})");
                } else {
                    fail(OutcomeKind::function_error, et::k_invalid_response_mode,
                         model::error_body(
                             et::k_invalid_response_mode,
                             "RequestId: " + id + " Error: Invalid function response mode"));
                }
                break;
            }
            case InvokeResult::Kind::timeout:
                timed_out();
                break;
            case InvokeResult::Kind::extension_error:
                fail(OutcomeKind::extension_error, r.error_type,
                     model::error_body(r.error_type, "RequestId: " + id + " Error: " + r.message));
                break;
            case InvokeResult::Kind::exited:
            case InvokeResult::Kind::out_of_memory: {
                bool oom = r.kind == InvokeResult::Kind::out_of_memory;
                const char* type = oom ? et::k_out_of_memory : et::k_runtime_exit;
                std::string message = exit_message(id, r.exit_description, r.exit_clean);
                platform_line = message + "\n" + type;
                fail(oom ? OutcomeKind::out_of_memory : OutcomeKind::runtime_exit, type,
                     model::error_body(type, message));
                break;
            }
        }
    }
    if (env) out.environment = env->runtime_api_address();
    return running;
}

void FunctionPool::after_the_answer(RunningInvocation& running,
                                    const sandbox::SettleFailure& failure) {
    // The caller may have the runtime's answer already (the service returns it before the
    // extensions are done); the invocation itself, its REPORT and its outcome, failed.
    model::Outcome& out = running.out;
    const std::string& id = out.request_id;
    if (failure.timeout) {
        std::string after =
            "Task timed out after " + seconds_two_decimals(m_config.timeout_s) + " seconds";
        running.platform_line = util::iso8601_ms(m_clock.system_now()) + " " + id + " " + after;
        out.kind = OutcomeKind::timeout;
        out.error_type = et::k_timed_out;
        out.body = model::error_body(et::k_timed_out, "RequestId: " + id + " Error: " + after);
        running.duration_ms = static_cast<double>(m_config.timeout_s) * 1000.0;
        return;
    }
    out.kind = OutcomeKind::extension_error;
    out.error_type = failure.error_type;
    out.body =
        model::error_body(failure.error_type, "RequestId: " + id + " Error: " + failure.message);
}

void FunctionPool::end(RunningInvocation& running) {
    running.ended = true;
    std::unique_ptr<sandbox::Sandbox>& env = running.env;
    model::Outcome& out = running.out;
    const std::string& id = out.request_id;
    std::uint64_t peak_bytes = 0;
    if (env) {
        std::optional<sandbox::SettleFailure> failure = env->settle(running.deadline);
        peak_bytes = env->peak_memory_bytes();
        bool answered = out.kind == OutcomeKind::success ||
                        out.kind == OutcomeKind::function_error ||
                        out.kind == OutcomeKind::response_too_large;
        if (failure && answered) after_the_answer(running, *failure);
    }
    const double duration_ms = running.duration_ms;

    util::SystemTime now = m_clock.system_now();
    model::LogSink& log = env ? env->log() : m_sink;
    if (running.platform_line) {
        log.emit(model::PlatformLineEvent{now, id, *running.platform_line});
    }

    model::Metrics& m = out.metrics;
    m.init_duration_ms = running.init_duration_ms;
    m.duration_ms = duration_ms;
    m.billed_duration_ms = model::billed_duration_ms(duration_ms, running.init_duration_ms);
    m.memory_size_mb = m_config.memory_mb;
    m.max_memory_used_mb = out.kind == OutcomeKind::out_of_memory
                               ? m_config.memory_mb
                               : model::memory_mb_rounded_up(peak_bytes);

    log.emit(model::RuntimeDoneEvent{now, id, out.kind, out.error_type, duration_ms,
                                     out.produced_bytes,
                                     env ? env->runtime_spans() : std::vector<model::Span>{}});
    log.emit(model::EndEvent{now, id});
    log.emit(model::ReportEvent{now, id, out.kind, out.error_type, m,
                                env ? env->extension_overhead() : std::nullopt});
    release(std::move(env), running.finishing, shutdown_reason(out.kind));
}

}  // namespace lambda_emu::pool
