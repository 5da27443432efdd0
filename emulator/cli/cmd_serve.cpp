// lambda-emu serve: the Lambda Invoke API on a local port for one function or for the functions
// of a lambda-emu.json, each with a pool of execution environments.
#include <unistd.h>

#include <arpa/inet.h>
#include <CLI/CLI.hpp>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/function_options.h"
#include "cli/inputs.h"
#include "cli/stderr_sink.h"
#include "cli/stop_signal.h"
#include "cli/usage_error.h"
#include "config/config_file.h"
#include "frontend/async_invoker.h"
#include "frontend/http_gateway.h"
#include "frontend/http_listener.h"
#include "frontend/invoke_api.h"
#include "pool/function_pool.h"
#include "report/tail_sink.h"
#include "util/clock.h"

namespace lambda_emu::cli {

namespace {

constexpr int k_default_http_port = 9001;

struct ServeOptions {
    std::string bootstrap;
    std::string config;
    FunctionOptions function;
    int reserved_concurrency = config::k_default_reserved_concurrency;
    std::string host = "127.0.0.1";
    int port = 9000;
    int http_port = -1;  // Function URLs: off unless given
    bool throttle = false;
    int idle_timeout_s = 300;
    int prewarm = 0;
    double event_retry_delay_s = 60;
    std::string log_format = "text";
};

struct ServedFunction {
    model::FunctionConfig config;
    int reserved_concurrency = config::k_default_reserved_concurrency;
};

std::vector<ServedFunction> functions_of(const ServeOptions& o,
                                         std::vector<config::ApiEntry>& apis) {
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
            } catch (const UsageError& e) {
                throw UsageError(where + ": " + e.what());
            }
            if (!entry.env_file.empty()) {
                model::EnvList from_file = read_env_file(entry.env_file);
                // The file's variables first; the config's own "environment" wins.
                from_file.insert(from_file.end(), f.environment.begin(), f.environment.end());
                f.environment = std::move(from_file);
            }
            if (auto st = model::validate_env_size(f.environment); !st) {
                throw UsageError(where + ": " + st.error().message);
            }
            out.push_back({std::move(f), entry.reserved_concurrency});
        }
        return out;
    }
    out.push_back({function_from_options(o.function, o.bootstrap), o.reserved_concurrency});
    return out;
}

bool is_loopback(const std::string& host) {
    if (host == "localhost") return true;
    in_addr a{};
    return ::inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

int run_serve(const ServeOptions& o) {
    if (o.config.empty() == o.bootstrap.empty()) {
        throw UsageError("serve takes either BOOTSTRAP_OR_DIR or --config FILE");
    }
    if (o.port < 0 || o.port > 65535)
        throw UsageError("--port " + std::to_string(o.port) + ": must be 0 to 65535");
    if (o.reserved_concurrency < 1 || o.reserved_concurrency > config::k_max_reserved_concurrency) {
        throw UsageError("--reserved-concurrency " + std::to_string(o.reserved_concurrency) +
                         ": must be 1 to " + std::to_string(config::k_max_reserved_concurrency));
    }
    if (o.idle_timeout_s < 1) throw UsageError("--idle-timeout must be at least 1 second");
    if (o.prewarm < 0) throw UsageError("--prewarm must not be negative");
    if (o.event_retry_delay_s < 0) throw UsageError("--event-retry-delay must not be negative");
    std::vector<config::ApiEntry> apis;
    std::vector<ServedFunction> functions = functions_of(o, apis);
    if (o.http_port > 65535)
        throw UsageError("--http-port " + std::to_string(o.http_port) + ": must be 0 to 65535");
    // The config's APIs are HTTP front ends: served on --http-port, 9001 unless given.
    const int http_port = o.http_port < 0 && !apis.empty() ? k_default_http_port : o.http_port;

    const report::LogFormat format =
        o.log_format == "json" ? report::LogFormat::json : report::LogFormat::text;
    const util::Clock& clock = util::system_clock();
    std::vector<std::unique_ptr<FdLogSink>> sinks;
    std::vector<std::unique_ptr<report::TailSink>> tails;
    std::vector<std::unique_ptr<pool::FunctionPool>> pools;
    std::map<std::string, frontend::InvokeTarget> targets;
    int workers = 8;
    for (const auto& f : functions) {
        std::string prefix = functions.size() > 1 ? "[" + f.config.name + "] " : "";
        sinks.push_back(std::make_unique<FdLogSink>(STDERR_FILENO, format, prefix));
        tails.push_back(std::make_unique<report::TailSink>(*sinks.back(), format));
        pool::PoolOptions options;
        options.max_environments = f.reserved_concurrency;
        options.idle_timeout = std::chrono::seconds(o.idle_timeout_s);
        pools.push_back(
            std::make_unique<pool::FunctionPool>(f.config, *tails.back(), clock, options));
        targets[f.config.name] = {pools.back().get(), tails.back().get()};
        workers += 2 * f.reserved_concurrency;
    }

    frontend::AsyncInvoker async(
        workers / 2, std::chrono::milliseconds(static_cast<long>(o.event_retry_delay_s * 1000)));
    frontend::InvokeApi api(targets, async, frontend::InvokeApiOptions{o.throttle});
    auto listener = frontend::HttpListener::bind(
        o.host, static_cast<std::uint16_t>(o.port),
        [&api](const frontend::ApiRequest& r) { return api.handle(r); }, workers);
    if (!listener) throw UsageError("--host/--port: " + listener.error().message);
    frontend::HttpGateway gateway(targets, apis);
    std::unique_ptr<frontend::HttpListener> url_listener;
    std::thread url_thread;
    if (http_port >= 0) {
        auto bound = frontend::HttpListener::bind(
            o.host, static_cast<std::uint16_t>(http_port),
            [&gateway](const frontend::ApiRequest& r) { return gateway.handle(r); }, workers);
        if (!bound) throw UsageError("--host/--http-port: " + bound.error().message);
        url_listener = std::move(bound.value());
        url_thread = std::thread([&] { url_listener->serve(); });
    }
    if (!is_loopback(o.host)) {
        std::cerr
            << "lambda-emu: warning: listening on " << o.host
            << ", which is reachable from other machines; the Invoke API has no authentication\n";
    }

    for (auto& p : pools) {
        if (o.prewarm > 0) p->prewarm(o.prewarm);
    }

    // Spin idle environments down in the background.
    std::mutex reaper_mutex;
    std::condition_variable reaper_cv;
    bool stopping = false;
    std::thread reaper([&] {
        std::unique_lock lock(reaper_mutex);
        auto period = std::min<std::chrono::milliseconds>(
            std::chrono::seconds(1), std::chrono::seconds(o.idle_timeout_s) / 4);
        while (!reaper_cv.wait_for(lock, period, [&] { return stopping; })) {
            lock.unlock();
            for (auto& p : pools) p->reap_idle();
            lock.lock();
        }
    });

    set_stop_handler([&] {
        std::cerr << "lambda-emu: stopping: finishing in-flight invocations\n";
        api.stop_accepting();
        if (url_listener) url_listener->stop();
        listener.value()->stop();
    });
    std::cerr << "lambda-emu: serving " << functions.size() << " function"
              << (functions.size() == 1 ? "" : "s") << " on http://" << o.host << ":"
              << listener.value()->port()
              << " (Invoke API: POST /2015-03-31/functions/NAME/invocations):";
    for (const auto& f : functions) std::cerr << " " << f.config.name;
    std::cerr << std::endl;
    if (url_listener) {
        std::cerr << "lambda-emu: Function URLs on http://" << o.host << ":" << url_listener->port()
                  << "/lambda-url/NAME/PATH" << std::endl;
        for (const auto& line : gateway.describe()) {
            std::cerr << "lambda-emu: " << line << std::endl;
        }
    }

    listener.value()->serve();

    set_stop_handler(nullptr);
    if (url_listener) {
        url_listener->stop();
        url_thread.join();
    }
    async.stop();
    {
        std::lock_guard lock(reaper_mutex);
        stopping = true;
    }
    reaper_cv.notify_all();
    reaper.join();
    for (auto& p : pools) p->shutdown();
    std::cerr << "lambda-emu: stopped" << std::endl;
    return k_exit_ok;
}

}  // namespace

Command serve_command() {
    return {[](CLI::App& parent) -> Registered {
        auto o = std::make_shared<ServeOptions>();
        CLI::App* cmd = parent.add_subcommand(
            "serve",
            "Serve the Lambda Invoke API (POST /2015-03-31/functions/NAME/invocations) for "
            "BOOTSTRAP_OR_DIR, or for every function of --config FILE, as the AWS CLI and SDKs "
            "call it with --endpoint-url. Each concurrent invocation gets its own execution "
            "environment (a cold start), idle ones are reused warm and spun down after "
            "--idle-timeout. Logs go to stderr. Stops on SIGINT/SIGTERM, leaving no process.");
        cmd->add_option("bootstrap", o->bootstrap, "BOOTSTRAP_OR_DIR of the one function to serve");
        cmd->add_option("-c,--config", o->config, "lambda-emu.json naming the functions to serve");
        add_function_options(*cmd, o->function);
        cmd->add_option("--reserved-concurrency", o->reserved_concurrency,
                        "Most environments of the function at once")
            ->capture_default_str();
        cmd->add_option("--host", o->host, "Address to listen on (loopback unless you mean it)")
            ->capture_default_str();
        cmd->add_option("--http-port", o->http_port,
                        "Serve the HTTP front ends on this port (0: any free port): every "
                        "function as a Function URL (/lambda-url/NAME/PATH), and the REST APIs, "
                        "HTTP APIs and ALBs of the config's \"apis\" at their base paths "
                        "(port 9001 when the config has apis and this is not given)");
        cmd->add_option("--port", o->port, "Port to listen on (0: any free port)")
            ->capture_default_str();
        cmd->add_flag("--throttle", o->throttle,
                      "Answer 429 TooManyRequestsException when every environment is busy, "
                      "instead of waiting for one (up to the function's timeout)");
        cmd->add_option("--idle-timeout", o->idle_timeout_s,
                        "Seconds an environment may stay idle before it is spun down")
            ->capture_default_str();
        cmd->add_option(
               "--prewarm", o->prewarm,
               "Environments to start per function before serving (provisioned concurrency)")
            ->capture_default_str();
        cmd->add_option("--event-retry-delay", o->event_retry_delay_s,
                        "Seconds before the first retry of a failed Event invocation (the second "
                        "waits twice as long)")
            ->capture_default_str();
        cmd->add_option("--log-format", o->log_format, "text or json")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        return {cmd, [o] { return run_serve(*o); }};
    }};
}

}  // namespace lambda_emu::cli
