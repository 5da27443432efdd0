// lambda-emu invoke: run a bootstrap in a fresh execution environment, as Lambda would, and
// print the payload (stdout) and the function's log stream (stderr).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"
#include "cli/function_options.h"
#include "cli/inputs.h"
#include "cli/stderr_sink.h"
#include "cli/usage_error.h"
#include "events/batch_response.h"
#include "events/http_response.h"
#include "frontend/invoke_client.h"
#include "model/limits.h"
#include "pool/function_pool.h"
#include "report/level_filter.h"
#include "util/clock.h"

namespace lambda_emu::cli {

namespace {

struct InvokeOptions {
    std::vector<std::string> args;  // [-] BOOTSTRAP_OR_DIR
    std::string event;
    std::string payload;
    bool payload_given = false;
    FunctionOptions function;
    int count = 1;
    // --remote: through the Invoke API of a running serve or watch.
    bool remote = false;
    std::string host = "127.0.0.1";
    int port = 9000;
    std::string function_name;  // --function
};

// Sends the invocations to a running serve/watch: the payload to stdout, the log tail to stderr.
int run_remote(const InvokeOptions& o, const std::string& payload) {
    if (o.function_name.empty()) throw UsageError("--remote needs --function NAME");
    if (o.port < 1 || o.port > 65535)
        throw UsageError("--port " + std::to_string(o.port) + ": must be 1 to 65535");
    bool any_failed = false;
    for (int i = 0; i < o.count; ++i) {
        auto r = frontend::invoke_remote(o.host, static_cast<std::uint16_t>(o.port),
                                         o.function_name, payload);
        if (!r) {
            std::cerr << "lambda-emu: --remote: " << r.error().message << std::endl;
            return k_exit_function_failed;
        }
        std::cerr << r->log_tail;
        if (!r->log_tail.empty() && r->log_tail.back() != '\n') std::cerr << '\n';
        if (!r->error_type.empty()) {
            std::cerr << "lambda-emu: --remote: " << r->status << " " << r->error_type << ": "
                      << r->payload << std::endl;
            return k_exit_function_failed;
        }
        std::cout << r->payload;
        if (o.count > 1) std::cout << '\n';
        std::cout << std::flush;
        any_failed = any_failed || !r->function_error.empty();
    }
    return any_failed ? k_exit_function_failed : k_exit_ok;
}

int run_invoke(const InvokeOptions& o) {
    check_log_options(o.function.log);
    if (o.remote) {
        if (o.args.size() > 1 || (o.args.size() == 1 && o.args[0] != "-")) {
            throw UsageError(
                "invoke --remote takes no BOOTSTRAP_OR_DIR (the function is --function NAME); "
                "only '-' to read the event from standard input");
        }
        if (!o.event.empty() && o.payload_given) {
            throw UsageError("give the event once: --event FILE, --payload JSON, or -");
        }
        std::string payload = "{}";
        if (!o.event.empty()) payload = read_event_file(o.event);
        if (o.args.size() == 1) payload = read_event_file("-");
        if (o.payload_given) payload = check_payload(o.payload);
        return run_remote(o, payload);
    }
    if (o.args.empty() || o.args.size() > 2 || (o.args.size() == 2 && o.args[0] != "-")) {
        throw UsageError(
            "invoke takes one BOOTSTRAP_OR_DIR (optionally preceded by '-' to read "
            "the event from standard input)");
    }
    bool event_from_stdin = o.args.size() == 2;
    int sources =
        (o.event.empty() ? 0 : 1) + (o.payload_given ? 1 : 0) + (event_from_stdin ? 1 : 0);
    if (sources > 1) throw UsageError("give the event once: --event FILE, --payload JSON, or -");
    if (o.count < 1)
        throw UsageError("--count " + std::to_string(o.count) + ": must be at least 1");
    model::FunctionConfig config = function_from_options(o.function, o.args.back());

    std::string payload = "{}";
    if (!o.event.empty()) payload = read_event_file(o.event);
    if (event_from_stdin) payload = read_event_file("-");
    if (o.payload_given) payload = check_payload(o.payload);

    FdLogSink sink(STDERR_FILENO, display_format(config));
    report::LevelFilter filter(sink, report::thresholds_of(config));
    pool::FunctionPool pool(config, filter, util::system_clock());
    const events::HttpEventKind http_kind = events::http_event_kind(payload);
    bool any_failed = false;
    for (int i = 0; i < o.count; ++i) {
        pool::InvokeRequest request;
        request.payload = payload;
        model::Outcome outcome = pool.invoke(request);
        any_failed = any_failed || outcome.failed();
        if (auto batch = events::interpret_batch(payload, outcome.body, outcome.failed())) {
            sink.emit(model::NoticeEvent{util::system_clock().system_now(), outcome.request_id,
                                         batch->describe()});
        }
        if (http_kind != events::HttpEventKind::none) {
            events::HttpReply reply = events::http_reply(http_kind, outcome.body, outcome.failed(),
                                                         events::alb_multi_value_event(payload));
            std::string head = std::string("HTTP response through the ") +
                               events::front_end_name(http_kind) +
                               (reply.problem.empty() ? "" : " (" + reply.problem + ")") + ":\n";
            sink.emit(model::NoticeEvent{util::system_clock().system_now(), outcome.request_id,
                                         head + reply.describe()});
        }
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
            "timeout, crash, out of memory, init error), 2 bad usage. With --remote, the "
            "invocation goes to a running `serve` or `watch` through its Invoke API instead.");
        cmd->add_option("args", options->args,
                        "[-] BOOTSTRAP_OR_DIR ('-' reads the event from stdin)")
            ->expected(0, 2);
        cmd->add_option("-e,--event", options->event,
                        "Event JSON file, a fixture's short name (sqs, s3-put, apigw...), or '-' "
                        "for standard input");
        cmd->add_option("-p,--payload", options->payload, "Event JSON given inline")
            ->each([options](const std::string&) { options->payload_given = true; });
        add_function_options(*cmd, options->function);
        cmd->add_option("-n,--count", options->count,
                        "Invoke N times in the same environment: the first is a cold start, the "
                        "rest warm")
            ->capture_default_str();
        cmd->add_flag("--remote", options->remote,
                      "Invoke --function NAME of a running serve/watch through its Invoke API: "
                      "the payload to stdout, the log tail (START ... REPORT) to stderr");
        cmd->add_option("--function", options->function_name, "With --remote: the function name");
        cmd->add_option("--host", options->host, "With --remote: the Invoke API's address")
            ->capture_default_str();
        cmd->add_option("--port", options->port, "With --remote: the Invoke API's port")
            ->capture_default_str();
        return {cmd, [options] { return run_invoke(*options); }};
    }};
}

}  // namespace lambda_emu::cli
