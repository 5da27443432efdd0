// lambda-emu invoke: run a bootstrap in a fresh execution environment, as Lambda would, and
// print the payload (stdout) and the function's log stream (stderr).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/stderr_sink.h"
#include "cli/usage_error.h"
#include "model/limits.h"
#include "pool/function_pool.h"
#include "util/clock.h"

namespace lambda_emu::cli {

namespace {

struct InvokeOptions {
    std::vector<std::string> args;  // [-] BOOTSTRAP_OR_DIR
    std::string event;
    std::string payload;
    bool payload_given = false;
    int memory_mb = model::k_default_memory_mb;
    int timeout_s = model::k_default_timeout_s;
    std::vector<std::string> env;
    std::vector<std::string> env_files;
    std::string function_name;
    std::string handler = "bootstrap";
    int count = 1;
    std::string log_format = "text";
    bool no_memory_limit = false;
};

int run_invoke(const InvokeOptions& o) {
    if (o.args.empty() || o.args.size() > 2 || (o.args.size() == 2 && o.args[0] != "-")) {
        throw UsageError("invoke takes one BOOTSTRAP_OR_DIR (optionally preceded by '-' to read "
                         "the event from standard input)");
    }
    bool event_from_stdin = o.args.size() == 2;
    int sources = (o.event.empty() ? 0 : 1) + (o.payload_given ? 1 : 0) + (event_from_stdin ? 1 : 0);
    if (sources > 1) throw UsageError("give the event once: --event FILE, --payload JSON, or -");
    if (o.memory_mb < model::k_min_memory_mb || o.memory_mb > model::k_max_memory_mb) {
        throw UsageError("--memory " + std::to_string(o.memory_mb) + ": must be " +
                         std::to_string(model::k_min_memory_mb) + " to " +
                         std::to_string(model::k_max_memory_mb) + " MB");
    }
    if (o.timeout_s < model::k_min_timeout_s || o.timeout_s > model::k_max_timeout_s) {
        throw UsageError("--timeout " + std::to_string(o.timeout_s) + ": must be " +
                         std::to_string(model::k_min_timeout_s) + " to " +
                         std::to_string(model::k_max_timeout_s) + " seconds");
    }
    if (o.count < 1) throw UsageError("--count " + std::to_string(o.count) + ": must be at least 1");

    Bootstrap bootstrap = resolve_bootstrap(o.args.back());

    model::FunctionConfig config;
    config.bootstrap = bootstrap.executable;
    config.task_root = bootstrap.directory;
    config.name = o.function_name.empty()
                      ? std::filesystem::path(bootstrap.directory).filename().string()
                      : o.function_name;
    if (auto st = model::validate_function_name(config.name); !st) {
        throw UsageError((o.function_name.empty() ? "the bootstrap's directory gives " : "--function-name: ") +
                         st.error().message + (o.function_name.empty() ? "; pass --function-name" : ""));
    }
    config.handler = o.handler;
    config.memory_mb = o.memory_mb;
    config.timeout_s = o.timeout_s;
    config.enforce_memory_limit = !o.no_memory_limit;
    for (const auto& file : o.env_files) {
        for (auto& kv : read_env_file(file)) config.environment.push_back(std::move(kv));
    }
    for (const auto& e : o.env) config.environment.push_back(parse_env_assignment(e, "--env"));
    if (auto st = model::validate_env_size(config.environment); !st) {
        throw UsageError(st.error().message);
    }

    std::string payload = "{}";
    if (!o.event.empty()) payload = read_event_file(o.event);
    if (event_from_stdin) payload = read_event_file("-");
    if (o.payload_given) payload = check_payload(o.payload);

    FdLogSink sink(STDERR_FILENO,
                   o.log_format == "json" ? report::LogFormat::json : report::LogFormat::text);
    pool::FunctionPool pool(config, sink, util::system_clock());
    bool any_failed = false;
    for (int i = 0; i < o.count; ++i) {
        pool::InvokeRequest request;
        request.payload = payload;
        model::Outcome outcome = pool.invoke(request);
        any_failed = any_failed || outcome.failed();
        std::cout << outcome.body << '\n' << std::flush;
    }
    pool.shutdown();
    return any_failed ? k_exit_function_failed : k_exit_ok;
}

}  // namespace

Command invoke_command() {
    return {[](CLI::App& parent) -> Registered {
        auto options = std::make_shared<InvokeOptions>();
        CLI::App* cmd = parent.add_subcommand(
            "invoke",
            "Run BOOTSTRAP (or DIR/bootstrap) in a fresh execution environment with one event, as "
            "Lambda would: the response payload goes to stdout, the function's log with START, END "
            "and REPORT lines to stderr. Exit status: 0 success, 1 the function failed (error, "
            "timeout, crash, out of memory, init error), 2 bad usage.");
        cmd->add_option("args", options->args, "[-] BOOTSTRAP_OR_DIR ('-' reads the event from stdin)")
            ->required()
            ->expected(1, 2);
        cmd->add_option("-e,--event", options->event, "Event JSON file ('-' for standard input)");
        cmd->add_option("-p,--payload", options->payload, "Event JSON given inline")
            ->each([options](const std::string&) { options->payload_given = true; });
        cmd->add_option("-m,--memory", options->memory_mb,
                        "Memory size in MB (128-10240); the limit is enforced")
            ->capture_default_str();
        cmd->add_option("-t,--timeout", options->timeout_s, "Timeout in seconds (1-900)")
            ->capture_default_str();
        cmd->add_option("--env", options->env, "Environment variable KEY=VALUE (repeatable)");
        cmd->add_option("--env-file", options->env_files,
                        "File of KEY=VALUE lines ('#' comments); --env wins over it");
        cmd->add_option("--function-name", options->function_name,
                        "Function name (default: the bootstrap's directory name)");
        cmd->add_option("--handler", options->handler, "Handler string given to the runtime as _HANDLER")
            ->capture_default_str();
        cmd->add_option("-n,--count", options->count,
                        "Invoke N times in the same environment: the first is a cold start, the "
                        "rest warm")
            ->capture_default_str();
        cmd->add_option("--log-format", options->log_format,
                        "text: START/END/REPORT lines; json: the platform.* records")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        cmd->add_flag("--no-memory-limit", options->no_memory_limit,
                      "Measure memory but do not kill a function that exceeds --memory");
        return {cmd, [options] { return run_invoke(*options); }};
    }};
}

}  // namespace lambda_emu::cli
