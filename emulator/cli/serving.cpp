#include "cli/serving.h"

#include <unistd.h>

#include <arpa/inet.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string_view>

#include "cli/extensions.h"
#include "cli/inputs.h"
#include "cli/log_options.h"
#include "cli/usage_error.h"
#include "util/clock.h"

namespace lambda_emu::cli {

namespace {

bool is_loopback(const std::string& host) {
    if (host == "localhost") return true;
    in_addr a{};
    return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

std::string shell_quote(const std::string& s) {
    if (!s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                          "0123456789_-./=:,+@%") == std::string::npos) {
        return s;
    }
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

}  // namespace

std::string describe_external_runtime(const std::string& function,
                                      const sandbox::ExternalRuntime& runtime) {
    std::string text = "lambda-emu: --no-spawn: " + function +
                       " waits for its runtime; start it yourself (under a debugger or an IDE) "
                       "with these variables:\n";
    std::string command = "cd " + shell_quote(runtime.task_root) + " && env -i";
    for (const auto& kv : runtime.env) {
        text += "  " + kv + "\n";
        command += " " + shell_quote(kv);
    }
    command += " " + shell_quote(runtime.bootstrap);
    return text + "lambda-emu: --no-spawn: as one command: " + command + "\n";
}

std::vector<ServedFunction> served_functions(const ServedFrom& o,
                                             std::vector<config::ApiEntry>& apis) {
    check_log_options(o.function.log);
    std::vector<ServedFunction> out;
    if (!o.config.empty()) {
        auto file = config::load_config(o.config);
        if (!file) throw UsageError(file.error().message);
        apis = file->apis;
        for (auto& entry : file->functions) {
            model::FunctionConfig f = entry.function;
            std::string where = o.config + ": function '" + f.name + "'";
            try {
                Bootstrap b = resolve_bootstrap(f.bootstrap);
                f.bootstrap = b.executable;
                f.task_root = b.directory;
                f.extensions = function_extensions(f.task_root, f.extensions, "extensions");
            } catch (const UsageError& e) {
                throw UsageError(where + ": " + e.what());
            }
            apply_log_options(o.function.log, f);
            if (!entry.env_file.empty()) {
                model::EnvList from_file = read_env_file(entry.env_file);
                // The file's variables first; the config's own "environment" wins.
                from_file.insert(from_file.end(), f.environment.begin(), f.environment.end());
                f.environment = std::move(from_file);
            }
            if (auto st = model::validate_env_size(f.environment); !st) {
                throw UsageError(where + ": " + st.error().message);
            }
            std::string dir =
                std::filesystem::absolute(o.config).parent_path().lexically_normal().string();
            out.push_back({std::move(f), entry.reserved_concurrency, entry.build, dir, entry.watch,
                           entry.env_file});
        }
        return out;
    }
    if (o.reserved_concurrency < 1 || o.reserved_concurrency > config::k_max_reserved_concurrency) {
        throw UsageError("--reserved-concurrency " + std::to_string(o.reserved_concurrency) +
                         ": must be 1 to " + std::to_string(config::k_max_reserved_concurrency));
    }
    ServedFunction f;
    f.config = function_from_options(o.function, o.bootstrap);
    f.reserved_concurrency = o.reserved_concurrency;
    out.push_back(std::move(f));
    return out;
}

void check_serving_options(const ServingOptions& o) {
    if (o.port < 0 || o.port > 65535)
        throw UsageError("--port " + std::to_string(o.port) + ": must be 0 to 65535");
    if (o.http_port > 65535)
        throw UsageError("--http-port " + std::to_string(o.http_port) + ": must be 0 to 65535");
    if (o.idle_timeout_s < 1) throw UsageError("--idle-timeout must be at least 1 second");
    if (o.prewarm < 0) throw UsageError("--prewarm must not be negative");
    if (o.event_retry_delay_s < 0) throw UsageError("--event-retry-delay must not be negative");
}

Serving::Serving(const std::vector<ServedFunction>& functions, std::vector<config::ApiEntry> apis,
                 const ServingOptions& options)
    : m_options(options), m_prefix_names(functions.size() > 1) {
    int workers = 8;
    for (const auto& f : functions) {
        FunctionLog& log = make_log(f.config);
        m_functions.put(f.config.name, {make_pool(f, *log.filter), log.tail.get()});
        workers += 2 * f.reserved_concurrency;
    }
    m_async = std::make_unique<frontend::AsyncInvoker>(
        workers / 2,
        std::chrono::milliseconds(static_cast<long>(options.event_retry_delay_s * 1000)));
    m_api = std::make_unique<frontend::InvokeApi>(m_functions, *m_async,
                                                  frontend::InvokeApiOptions{options.throttle});
    auto listener = frontend::HttpListener::bind(
        options.host, static_cast<std::uint16_t>(options.port),
        [this](const frontend::ApiRequest& r) { return m_api->handle(r); }, workers);
    if (!listener) throw UsageError("--host/--port: " + listener.error().message);
    m_listener = std::move(listener.value());
    // The config's APIs are HTTP front ends: served on --http-port, 9001 unless given.
    const int http_port =
        options.http_port < 0 && !apis.empty() ? k_default_http_port : options.http_port;
    m_gateway = std::make_unique<frontend::HttpGateway>(m_functions, std::move(apis));
    if (http_port >= 0) {
        auto bound = frontend::HttpListener::bind(
            options.host, static_cast<std::uint16_t>(http_port),
            [this](const frontend::ApiRequest& r) { return m_gateway->handle(r); }, workers);
        if (!bound) throw UsageError("--host/--http-port: " + bound.error().message);
        m_http_listener = std::move(bound.value());
        m_http_thread = std::thread([this] { m_http_listener->serve(); });
    }
    if (!is_loopback(options.host)) {
        std::cerr
            << "lambda-emu: warning: listening on " << options.host
            << ", which is reachable from other machines; the Invoke API has no authentication\n";
    }
    if (!options.no_spawn && options.prewarm > 0) {
        for (const auto& target : m_functions.targets()) target.pool->prewarm(options.prewarm);
    }
    // Spin idle environments down in the background.
    m_reaper = std::thread([this] {
        std::unique_lock lock(m_reaper_mutex);
        auto period = std::min<std::chrono::milliseconds>(
            std::chrono::seconds(1), std::chrono::seconds(m_options.idle_timeout_s) / 4);
        while (!m_reaper_cv.wait_for(lock, period, [&] { return m_stopping; })) {
            lock.unlock();
            for (const auto& target : m_functions.targets()) target.pool->reap_idle();
            lock.lock();
        }
    });
}

namespace {

// The benchmark harness's switch (bench/README.md, scenario 7), not an option for users: the
// environments skip memory samples and output capture, to measure what measuring costs.
bool unmeasured() {
    const char* value = std::getenv("LAMBDA_EMU_BENCH_UNMEASURED");
    return value != nullptr && std::string_view(value) == "1";
}

}  // namespace

Serving::FunctionLog& Serving::make_log(const model::FunctionConfig& config) {
    const report::LogFormat format = display_format(config);
    auto log = std::make_unique<FunctionLog>();
    log->out = std::make_unique<FdLogSink>(STDERR_FILENO, format,
                                           m_prefix_names ? "[" + config.name + "] " : "");
    log->tail = std::make_unique<report::TailSink>(*log->out, format);
    log->filter = std::make_unique<report::LevelFilter>(*log->tail, report::thresholds_of(config));
    std::lock_guard lock(m_logs_mutex);
    m_logs.push_back(std::move(log));
    return *m_logs.back();
}

std::shared_ptr<pool::FunctionPool> Serving::make_pool(const ServedFunction& f,
                                                       model::LogSink& sink) {
    pool::PoolOptions options;
    options.sandbox.measure = !unmeasured();
    options.max_environments = f.reserved_concurrency;
    if (m_options.no_spawn) {
        options.max_environments = 1;
        options.sandbox.external_runtime =
            [name = f.config.name](const sandbox::ExternalRuntime& runtime) {
                std::cerr << describe_external_runtime(name, runtime) << std::flush;
            };
    }
    options.idle_timeout = std::chrono::seconds(m_options.idle_timeout_s);
    return std::make_shared<pool::FunctionPool>(f.config, sink, util::system_clock(), options);
}

void Serving::run() {
    auto names = m_functions.names();
    // Whole lines, each in one write: environments may be logging already.
    std::string text = "lambda-emu: serving " + std::to_string(names.size()) + " function" +
                       (names.size() == 1 ? "" : "s") + " on http://" + m_options.host + ":" +
                       std::to_string(m_listener->port()) +
                       " (Invoke API: POST /2015-03-31/functions/NAME/invocations):";
    for (const auto& name : names) text += " " + name;
    text += "\n";
    if (m_http_listener) {
        text += "lambda-emu: Function URLs on http://" + m_options.host + ":" +
                std::to_string(m_http_listener->port()) + "/lambda-url/NAME/PATH\n";
        for (const auto& line : m_gateway->describe()) text += "lambda-emu: " + line + "\n";
    }
    if (unmeasured()) {
        text +=
            "lambda-emu: measurement off (LAMBDA_EMU_BENCH_UNMEASURED=1): no memory figures, "
            "no function output\n";
    }
    std::cerr << text << std::flush;
    if (m_options.no_spawn) {
        // Each function's environment starts now and prints how to start its runtime; waiting
        // for the person to do so must not hold up serving.
        m_no_spawn_prewarm = std::thread([this] {
            for (const auto& target : m_functions.targets()) target.pool->prewarm(1);
        });
    }
    m_listener->serve();
}

void Serving::stop() {
    m_api->stop_accepting();
    if (m_http_listener) m_http_listener->stop();
    m_listener->stop();
}

void Serving::replace(const ServedFunction& function) {
    FunctionLog& log = make_log(function.config);
    auto previous =
        m_functions.put(function.config.name, {make_pool(function, *log.filter), log.tail.get()});
    if (previous) previous->pool->shutdown();
}

Serving::~Serving() {
    stop();
    for (const auto& target : m_functions.targets()) target.pool->shutdown();
    if (m_no_spawn_prewarm.joinable()) m_no_spawn_prewarm.join();
    if (m_http_thread.joinable()) m_http_thread.join();
    m_async->stop();
    {
        std::lock_guard lock(m_reaper_mutex);
        m_stopping = true;
    }
    m_reaper_cv.notify_all();
    m_reaper.join();
    for (const auto& target : m_functions.targets()) target.pool->shutdown();
}

}  // namespace lambda_emu::cli
