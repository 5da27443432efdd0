// lambda-emu bench: cold-start and warm distributions of one or more functions, side by side,
// with the cost per 1M invocations; a table on stdout, and --json/--csv/--html files.
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "bench/runner.h"
#include "cli/bench_options.h"
#include "cli/commands.h"
#include "cli/function_options.h"
#include "cli/inputs.h"
#include "cli/log_options.h"
#include "cli/serving.h"
#include "cli/stderr_sink.h"
#include "cli/usage_error.h"
#include "report/bench_tables.h"
#include "report/level_filter.h"
#include "util/clock.h"
#include "util/fd.h"
#include "util/time_format.h"

namespace lambda_emu::cli {

namespace {

namespace fs = std::filesystem;

constexpr int k_max_burst = 1000;  // the service's default account concurrency

struct BenchOptions {
    std::string function;
    std::vector<std::string> vs;
    int cold = 10;
    int warm = 20;
    int burst = 0;
    std::vector<int> memory;
    std::string event;
    std::string payload;
    int timeout_s = 0;  // 0: each function's own (3 s for a bootstrap)
    std::vector<std::string> env;
    std::vector<std::string> env_files;
    std::string handler = "bootstrap";
    bool no_memory_limit = false;
    std::string config;
    std::vector<std::string> extensions;
    LogOptions log;
    std::string log_file;  // --log: where the functions' logs go ("-": stderr); empty: discarded
    CostOptions cost;
    RunOutputs outputs;
};

// The functions' log streams during a run (--log FILE): each candidate's through its level
// filter, in its own format, "[label] " before every line when there are several.
class BenchLogs {
  public:
    BenchLogs(const std::string& path, std::vector<bench::Candidate>& candidates) {
        if (path.empty()) return;
        int fd = STDERR_FILENO;
        if (path != "-") {
            m_file = util::Fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
            if (!m_file.valid()) throw UsageError("--log " + path + ": " + util::errno_text(errno));
            fd = m_file.get();
        }
        for (auto& c : candidates) {
            std::string prefix = candidates.size() > 1 ? "[" + c.label + "] " : "";
            m_out.push_back(std::make_unique<FdLogSink>(fd, display_format(c.config), prefix));
            m_filters.push_back(std::make_unique<report::LevelFilter>(
                *m_out.back(), report::thresholds_of(c.config)));
            c.log = m_filters.back().get();
        }
    }

  private:
    util::Fd m_file;
    std::vector<std::unique_ptr<FdLogSink>> m_out;
    std::vector<std::unique_ptr<report::LevelFilter>> m_filters;
};

// "[LABEL=]FUNCTION": the label, and what names the function.
std::pair<std::string, std::string> split_label(const std::string& spec) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) return {"", spec};
    std::error_code ec;
    if (fs::exists(spec, ec)) return {"", spec};  // a path with '=' in it
    return {spec.substr(0, eq), spec.substr(eq + 1)};
}

// Short labels for paths: the fewest trailing directory names that tell them apart
// (build/examples/bench/cpp/fib/bootstrap and examples/bench/python/fib: cpp/fib, python/fib).
std::vector<std::string> short_labels(const std::vector<std::string>& paths) {
    std::vector<std::vector<std::string>> parts;
    for (const auto& p : paths) {
        std::vector<std::string> names;
        fs::path path = fs::path(p).lexically_normal();
        for (const auto& part : path) {
            std::string s = part.string();
            if (!s.empty() && s != "/" && s != ".") names.push_back(s);
        }
        if (names.size() > 1 && names.back() == "bootstrap") names.pop_back();
        if (names.empty()) names.push_back(p);
        parts.push_back(std::move(names));
    }
    auto label = [&](std::size_t i, std::size_t depth) {
        const auto& names = parts[i];
        std::size_t from = names.size() > depth ? names.size() - depth : 0;
        std::string out;
        for (std::size_t k = from; k < names.size(); ++k)
            out += (out.empty() ? "" : "/") + names[k];
        return out;
    };
    for (std::size_t depth = 1;; ++depth) {
        std::vector<std::string> labels;
        bool deepest = true;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            labels.push_back(label(i, depth));
            if (parts[i].size() > depth) deepest = false;
        }
        auto sorted = labels;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end() || deepest) {
            return labels;
        }
    }
}

std::vector<bench::Candidate> candidates(const BenchOptions& o) {
    std::vector<std::string> specs{o.function};
    specs.insert(specs.end(), o.vs.begin(), o.vs.end());
    std::string config = o.config;
    if (config.empty() && fs::exists("lambda-emu.json")) config = "lambda-emu.json";
    std::vector<ServedFunction> configured;
    if (!config.empty()) {
        std::vector<config::ApiEntry> apis;
        ServedFrom from;
        from.config = config;
        configured = served_functions(from, apis);
    }
    FunctionOptions fo;
    if (o.timeout_s > 0) fo.timeout_s = o.timeout_s;
    fo.env = o.env;
    fo.env_files = o.env_files;
    fo.handler = o.handler;
    fo.no_memory_limit = o.no_memory_limit;
    fo.extensions = o.extensions;
    fo.log = o.log;

    std::vector<bench::Candidate> out;
    std::vector<std::string> path_specs;
    std::vector<std::size_t> unlabelled_paths;
    for (const auto& spec : specs) {
        auto [label, what] = split_label(spec);
        bench::Candidate c;
        std::error_code ec;
        auto named = std::find_if(configured.begin(), configured.end(),
                                  [&](const ServedFunction& f) { return f.config.name == what; });
        if (!fs::exists(what, ec) && named != configured.end()) {
            c.config = named->config;
            if (o.timeout_s > 0) c.config.timeout_s = o.timeout_s;
            apply_log_options(o.log, c.config);
            c.label = label.empty() ? what : label;
        } else {
            if (!fs::exists(what, ec) && !configured.empty()) {
                std::string names;
                for (const auto& f : configured)
                    names += (names.empty() ? "" : ", ") + f.config.name;
                throw UsageError(what + ": neither a bootstrap, a directory, nor a function of " +
                                 config + " (functions: " + names + ")");
            }
            c.config = function_from_options(fo, what);
            c.label = label;
            if (label.empty()) {
                path_specs.push_back(what);
                unlabelled_paths.push_back(out.size());
            }
        }
        out.push_back(std::move(c));
    }
    auto labels = short_labels(path_specs);
    for (std::size_t i = 0; i < unlabelled_paths.size(); ++i) {
        out[unlabelled_paths[i]].label = labels[i];
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        for (std::size_t k = 0; k < i; ++k) {
            if (out[i].label == out[k].label) {
                throw UsageError("two functions are both labelled '" + out[i].label +
                                 "': name them LABEL=FUNCTION");
            }
        }
    }
    return out;
}

std::string machine_description() {
    std::string cpu;
    std::ifstream info("/proc/cpuinfo");
    for (std::string line; std::getline(info, line);) {
        if (line.rfind("model name", 0) == 0) {
            auto colon = line.find(':');
            if (colon != std::string::npos) cpu = line.substr(colon + 2);
            break;
        }
    }
    struct utsname u {};
    ::uname(&u);
    std::string out = cpu.empty() ? std::string(u.machine) : cpu;
    out += ", " + std::to_string(std::thread::hardware_concurrency()) + " CPUs, " + u.sysname +
           " " + u.release;
    return out;
}

// A bar on stderr while it runs, only when stderr is a terminal.
class ProgressBar {
  public:
    ProgressBar() : m_tty(::isatty(STDERR_FILENO) == 1) {}
    void update(int done, int total) {
        if (!m_tty || total <= 0) return;
        const int width = 30;
        const int filled = done * width / total;
        std::cerr << "\r  [" << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(width - filled), '.') << "] " << done
                  << "/" << total << std::flush;
        if (done == total) std::cerr << "\r" << std::string(width + 24, ' ') << "\r" << std::flush;
    }

  private:
    bool m_tty;
};

void check(const BenchOptions& o) {
    if (o.cold < 0) throw UsageError("--cold " + std::to_string(o.cold) + ": must be 0 or more");
    if (o.warm < 0) throw UsageError("--warm " + std::to_string(o.warm) + ": must be 0 or more");
    if (o.cold == 0 && o.warm == 0)
        throw UsageError("--cold and --warm are both 0: nothing to run");
    if (o.burst < 0 || o.burst > k_max_burst) {
        throw UsageError("--burst " + std::to_string(o.burst) + ": must be 1 to " +
                         std::to_string(k_max_burst));
    }
    if (o.burst > 0 && o.cold == 0) throw UsageError("--burst needs --cold N above 0");
    const int timeout = o.timeout_s > 0 ? o.timeout_s : model::k_default_timeout_s;
    for (int m : o.memory) check_memory_and_timeout(m, timeout);
    check_memory_and_timeout(model::k_default_memory_mb, timeout);
    if (!o.event.empty() && !o.payload.empty()) {
        throw UsageError("--event and --payload: give one of them");
    }
    check_log_options(o.log);
}

int run_bench(BenchOptions o) {
    if (o.memory.empty()) o.memory.push_back(model::k_default_memory_mb);
    check(o);
    report::BenchRun run;
    apply_cost_options(o.cost, run);

    bench::BenchPlan plan;
    plan.cold = o.cold;
    plan.warm = o.warm;
    plan.burst = o.burst;
    plan.memory_sizes = o.memory;
    if (!o.event.empty()) plan.payload = read_event_file(o.event);
    if (!o.payload.empty()) plan.payload = check_payload(o.payload);
    auto functions = candidates(o);
    BenchLogs logs(o.log_file, functions);

    for (const auto& c : functions) {
        run.functions.push_back(c.label);
        run.bootstraps.push_back(c.config.bootstrap);
    }
    run.memory_sizes = o.memory;
    run.event = !o.event.empty() ? o.event : !o.payload.empty() ? "--payload" : "{}";
    run.cold = o.cold;
    run.warm = o.warm;
    run.burst = o.burst;
    run.started = util::iso8601_ms(util::system_clock().system_now());
    run.machine = machine_description();

    std::cout << "lambda-emu bench: ";
    for (std::size_t i = 0; i < functions.size(); ++i) {
        std::cout << (i == 0 ? "" : " vs ") << functions[i].label;
    }
    std::cout << "; " << o.cold << " cold"
              << (o.burst > 0 ? " (bursts of " + std::to_string(o.burst) + ")" : "") << ", "
              << o.warm << " warm; event " << run.event << "; "
              << report::architecture_name(run.architecture) << "\n"
              << std::flush;

    ProgressBar bar;
    bench::run_bench(functions, plan, run,
                     [&bar](int done, int total) { bar.update(done, total); });
    report::compute_stats(run);
    std::cout << "\n" << report::bench_table(run) << std::flush;
    write_run_outputs(o.outputs, run);
    bool failed = std::any_of(run.samples.begin(), run.samples.end(),
                              [](const report::BenchSample& s) { return s.failed; });
    return failed ? k_exit_function_failed : k_exit_ok;
}

}  // namespace

Command bench_command() {
    return {[](CLI::App& parent) -> Registered {
        auto o = std::make_shared<BenchOptions>();
        CLI::App* cmd = parent.add_subcommand(
            "bench",
            "Measure cold starts (each in a fresh environment: spawn, Init, first invocation) "
            "and warm invocations of FUNCTION, and of each --vs FUNCTION interleaved with it, at "
            "each --memory size: n, min, p50, p95, p99, max, mean and standard deviation of Init "
            "Duration, first and warm Duration, Billed Duration and Max Memory Used; the failures; "
            "ratios of the medians; and the cost per 1M invocations. A FUNCTION is a bootstrap, a "
            "directory holding one, or a function of lambda-emu.json, optionally as "
            "LABEL=FUNCTION. Exit status 0 when every invocation succeeded, 1 when any failed, 2 "
            "for bad arguments.");
        cmd->add_option("function", o->function, "[LABEL=]FUNCTION")->required();
        cmd->add_option("--vs", o->vs, "Another [LABEL=]FUNCTION to compare (repeatable)")
            ->allow_extra_args(false);
        cmd->add_option("--cold", o->cold, "Cold starts per function and memory size")
            ->capture_default_str();
        cmd->add_option("--warm", o->warm,
                        "Warm invocations per function and memory size, after "
                        "the cold starts")
            ->capture_default_str();
        cmd->add_option("--burst", o->burst,
                        "Cold starts in bursts of C simultaneous invocations on an idle function, "
                        "until --cold samples are collected");
        cmd->add_option("-m,--memory", o->memory,
                        "Memory size in MB (repeatable: a matrix; default 128); the limit is "
                        "enforced")
            ->allow_extra_args(false);
        cmd->add_option("-e,--event", o->event,
                        "Event JSON file, a fixture's short name (apigw, sqs...), or - for stdin "
                        "(default: {})");
        cmd->add_option("-p,--payload", o->payload, "Event as inline JSON");
        cmd->add_option("-t,--timeout", o->timeout_s,
                        "Timeout in seconds (1-900; default: the function's own, 3 for a "
                        "bootstrap)");
        cmd->add_option("--env", o->env, "Environment variable KEY=VALUE (repeatable)")
            ->allow_extra_args(false);
        cmd->add_option("--env-file", o->env_files, "File of KEY=VALUE lines (repeatable)")
            ->allow_extra_args(false);
        cmd->add_option("--handler", o->handler, "Handler string given to the runtime as _HANDLER")
            ->capture_default_str();
        cmd->add_flag("--no-memory-limit", o->no_memory_limit,
                      "Measure memory but do not kill a function that exceeds --memory");
        cmd->add_option("-c,--config", o->config,
                        "lambda-emu.json whose functions can be named (default: ./lambda-emu.json "
                        "if present)");
        cmd->add_option("--extension", o->extensions,
                        "An external extension for each FUNCTION given as a path, besides those "
                        "of its extensions/ directory (repeatable)")
            ->allow_extra_args(false);
        add_log_options(*cmd, o->log);
        cmd->add_option("--log", o->log_file,
                        "Write every invocation's log (START ... REPORT, or the JSON records with "
                        "--log-format json) to FILE ('-': stderr); by default it is discarded");
        add_cost_options(*cmd, o->cost);
        add_output_options(*cmd, o->outputs);
        return {cmd, [o] { return run_bench(*o); }};
    }};
}

}  // namespace lambda_emu::cli
