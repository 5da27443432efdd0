// What `serve` and `watch` share: the functions' pools, the Invoke API and the HTTP front ends on
// their listeners, and the reaper of idle environments. `watch` also replaces a function's pool
// after a rebuild.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/function_options.h"
#include "cli/stderr_sink.h"
#include "config/config_file.h"
#include "frontend/async_invoker.h"
#include "frontend/function_directory.h"
#include "frontend/http_gateway.h"
#include "frontend/http_listener.h"
#include "frontend/invoke_api.h"
#include "model/function_config.h"
#include "report/level_filter.h"
#include "report/tail_sink.h"
#include "sandbox/sandbox.h"

namespace CLI {
class App;
}

namespace lambda_emu::cli {

struct ServingOptions {
    std::string host = "127.0.0.1";
    int port = 9000;
    int http_port = -1;  // the HTTP front ends: off unless given (or the config has apis)
    bool throttle = false;
    int idle_timeout_s = 300;
    int prewarm = 0;
    double event_retry_delay_s = 60;
    // Do not spawn the runtime: print how to start it (under a debugger) and wait for it. One
    // environment per function, started at once.
    bool no_spawn = false;
};

struct ServedFunction {
    model::FunctionConfig config;
    int reserved_concurrency = config::k_default_reserved_concurrency;
    // From lambda-emu.json, for watch: the build command (run in build_dir) and watched paths.
    std::string build;
    std::string build_dir;
    std::vector<std::string> watch;
    std::string env_file;
};

inline constexpr int k_default_http_port = 9001;

// Where the functions to serve come from: a config file, or one BOOTSTRAP_OR_DIR with options.
struct ServedFrom {
    std::string config;
    std::string bootstrap;
    FunctionOptions function;
    int reserved_concurrency = config::k_default_reserved_concurrency;
};

// The functions of --config FILE (its apis into `apis`), or the one function of
// BOOTSTRAP_OR_DIR; throws UsageError naming the file, function and reason. A config's functions
// get their extensions (those of their directory's extensions/, then the file's "extensions")
// and the command line's --log-format and levels, which win over the file's.
std::vector<ServedFunction> served_functions(const ServedFrom& from,
                                             std::vector<config::ApiEntry>& apis);

// Registers BOOTSTRAP_OR_DIR, --config, the function options and the serving options on a
// command (serve, watch).
void add_serving_options(CLI::App& cmd, ServedFrom& from, ServingOptions& options);

// What --no-spawn prints: the runtime's variables, one per line, and the whole as one shell
// command ("lambda-emu: --no-spawn: as one command: cd ... && env -i ... BOOTSTRAP").
std::string describe_external_runtime(const std::string& function,
                                      const sandbox::ExternalRuntime& runtime);

// Checks the options shared by serve and watch; throws UsageError.
void check_serving_options(const ServingOptions& o);

class Serving {
  public:
    // Binds the listeners (throws UsageError when it cannot) and starts the pools.
    Serving(const std::vector<ServedFunction>& functions, std::vector<config::ApiEntry> apis,
            const ServingOptions& options);
    // Stops and shuts every environment down.
    ~Serving();
    Serving(const Serving&) = delete;
    Serving& operator=(const Serving&) = delete;

    // Prints where it serves, then serves until stop().
    void run();
    // Stop accepting (new requests get 503), let run() return. Safe from any thread.
    void stop();

    // New invocations of the function go to fresh environments of `function` (a new build, a
    // new configuration); the old environments get SHUTDOWN, the idle ones now and the busy ones
    // once their invocation ends.
    void replace(const ServedFunction& function);
    // Requests for the function wait from hold() to release() (a build is running).
    void hold(const std::string& name) { m_functions.hold(name); }
    void release(const std::string& name) { m_functions.release(name); }

  private:
    std::shared_ptr<pool::FunctionPool> make_pool(const ServedFunction& function,
                                                  model::LogSink& sink);

    // One function's log stream: its pool → the level filter → the tail (for X-Amz-Log-Result) →
    // stderr, in the function's own format. A reload makes a new one; the old stays for the old
    // pool's last invocations.
    struct FunctionLog {
        std::unique_ptr<FdLogSink> out;
        std::unique_ptr<report::TailSink> tail;
        std::unique_ptr<report::LevelFilter> filter;
    };
    FunctionLog& make_log(const model::FunctionConfig& config);

    ServingOptions m_options;
    bool m_prefix_names = false;
    std::mutex m_logs_mutex;
    std::vector<std::unique_ptr<FunctionLog>> m_logs;
    frontend::FunctionDirectory m_functions;
    std::unique_ptr<frontend::AsyncInvoker> m_async;
    std::unique_ptr<frontend::InvokeApi> m_api;
    std::unique_ptr<frontend::HttpGateway> m_gateway;
    std::unique_ptr<frontend::HttpListener> m_listener;
    std::unique_ptr<frontend::HttpListener> m_http_listener;
    std::thread m_http_thread;
    std::mutex m_reaper_mutex;
    std::condition_variable m_reaper_cv;
    bool m_stopping = false;
    std::thread m_reaper;
    std::thread m_no_spawn_prewarm;  // --no-spawn: waits for the runtimes started by hand
};

}  // namespace lambda_emu::cli
