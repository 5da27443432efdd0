// lambda-emu serve: the Lambda Invoke API on a local port for one function or for the functions
// of a lambda-emu.json, each with a pool of execution environments.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "cli/serving.h"
#include "cli/stop_signal.h"
#include "cli/usage_error.h"

namespace lambda_emu::cli {

namespace {

struct ServeOptions {
    ServedFrom from;
    ServingOptions serving;
};

int run_serve(const ServeOptions& o) {
    if (o.from.config.empty() == o.from.bootstrap.empty()) {
        throw UsageError("serve takes either BOOTSTRAP_OR_DIR or --config FILE");
    }
    check_serving_options(o.serving);
    std::vector<config::ApiEntry> apis;
    std::vector<ServedFunction> functions = served_functions(o.from, apis);
    {
        Serving serving(functions, std::move(apis), o.serving);
        set_stop_handler([&serving] {
            std::cerr << "lambda-emu: stopping: finishing in-flight invocations\n";
            serving.stop();
        });
        serving.run();
        set_stop_handler(nullptr);
    }
    std::cerr << "lambda-emu: stopped" << std::endl;
    return k_exit_ok;
}

}  // namespace

// The options serve and watch share.
void add_serving_options(CLI::App& cmd, ServedFrom& from, ServingOptions& o) {
    cmd.add_option("bootstrap", from.bootstrap, "BOOTSTRAP_OR_DIR of the one function to serve");
    cmd.add_option("-c,--config", from.config, "lambda-emu.json naming the functions to serve");
    add_function_options(cmd, from.function);
    cmd.add_option("--reserved-concurrency", from.reserved_concurrency,
                   "Most environments of the function at once")
        ->capture_default_str();
    cmd.add_option("--host", o.host, "Address to listen on (loopback unless you mean it)")
        ->capture_default_str();
    cmd.add_option("--http-port", o.http_port,
                   "Serve the HTTP front ends on this port (0: any free port): every "
                   "function as a Function URL (/lambda-url/NAME/PATH), and the REST APIs, "
                   "HTTP APIs and ALBs of the config's \"apis\" at their base paths "
                   "(port 9001 when the config has apis and this is not given)");
    cmd.add_option("--port", o.port, "Port of the Invoke API (0: any free port)")
        ->capture_default_str();
    cmd.add_flag("--throttle", o.throttle,
                 "Answer 429 TooManyRequestsException when every environment is busy, "
                 "instead of waiting for one (up to the function's timeout)");
    cmd.add_option("--idle-timeout", o.idle_timeout_s,
                   "Seconds an environment may stay idle before it is spun down")
        ->capture_default_str();
    cmd.add_option("--prewarm", o.prewarm,
                   "Environments to start per function before serving (provisioned concurrency)")
        ->capture_default_str();
    cmd.add_option("--event-retry-delay", o.event_retry_delay_s,
                   "Seconds before the first retry of a failed Event invocation (the second "
                   "waits twice as long)")
        ->capture_default_str();
    cmd.add_flag("--no-spawn", o.no_spawn,
                 "Do not start the bootstrap: print the exact environment to start it by hand "
                 "(under gdb or an IDE) and wait for it on the Runtime API; one environment per "
                 "function, no Init limit");
}

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
        add_serving_options(*cmd, o->from, o->serving);
        return {cmd, [o] { return run_serve(*o); }};
    }};
}

}  // namespace lambda_emu::cli
