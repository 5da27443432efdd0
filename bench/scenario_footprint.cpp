// Scenario 6: lambda-emu's own memory (its process only, not the runtimes') and its start-up.
//
// Floors: an idle plain cpp-httplib server process with as many workers as serve starts for one
// function (8 + 2 x 10); a bare posix_spawn+waitpid of the static runtime (it exits at once
// without AWS_LAMBDA_RUNTIME_API) for --version; the plain server's spawn until it printed its
// port, for the start of serve.

#include <poll.h>
#include <unistd.h>

#include <thread>

#include "child_process.h"
#include "floor_runtime.h"
#include "proc_status.h"
#include "scenario_support.h"

namespace lambda_emu::harness {

namespace {

constexpr int k_default_concurrency = 10;
constexpr int k_listener_workers = 8 + 2 * k_default_concurrency;
constexpr auto k_settle = std::chrono::milliseconds(300);

double mb(std::uint64_t kb) { return static_cast<double>(kb) / 1024; }

// posix_spawn of `serve` until its "serving" line has been read from its stderr; microseconds.
double time_serve_start(const Context& ctx) {
    auto err = util::make_pipe();
    if (!err) throw ScenarioError("pipe");
    SpawnSpec spec;
    spec.argv = {ctx.lambda_emu, "serve", "--port", "0", ctx.runtime_dir};
    spec.stderr_fd = err->write_end.get();
    auto started = Clock::now();
    pid_t pid = spawn(spec);
    if (pid < 0) throw ScenarioError("cannot start lambda-emu serve");
    err->write_end.reset();
    std::string text;
    char buf[4096];
    double us = -1;
    while (us < 0) {
        pollfd p{err->read_end.get(), POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) break;
        ssize_t n = ::read(err->read_end.get(), buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.find(" on http://") != std::string::npos) us = micros(started, Clock::now());
    }
    // Not at once: a SIGTERM that arrives between the "serving" line and the start of
    // cpp-httplib's accept loop is lost (Server::stop() before listen_after_bind() is a no-op).
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    terminate(pid, std::chrono::seconds(10));
    if (us < 0) throw ScenarioError("lambda-emu serve did not start: " + text);
    return us;
}

}  // namespace

void run_footprint(const Context& ctx, Results& results) {
    const std::string name = "6 footprint";
    const Counts& n = ctx.counts;
    auto& d = results.details(name);

    // Idle: one function, no environment yet.
    {
        auto serve = start_serve(ctx, {ctx.runtime_dir}, "s6-idle");
        auto floor_server = start_floor(ctx, k_listener_workers);
        std::this_thread::sleep_for(k_settle);
        ProcStatus emu = read_proc_status(serve->pid());
        ProcStatus floor = read_proc_status(floor_server->pid());
        auto& row = results.value_at_most(name, "serve idle RSS", "MB", mb(emu.rss_kb),
                                          mb(floor.rss_kb), 10);
        row.note = std::to_string(emu.threads) + " threads; floor " + std::to_string(floor.threads);
        d["idle_rss_kb"] = emu.rss_kb;
        d["idle_threads"] = emu.threads;
        d["floor_idle_rss_kb"] = floor.rss_kb;
    }

    // Each idle environment: the same serve with and without `envs` prewarmed environments.
    {
        const int envs = n.idle_environments;
        const std::string concurrency = std::to_string(envs);
        auto bare = start_serve(ctx, {"--reserved-concurrency", concurrency, ctx.runtime_dir},
                                "s6-no-envs");
        auto warm = start_serve(
            ctx, {"--reserved-concurrency", concurrency, "--prewarm", concurrency, ctx.runtime_dir},
            "s6-envs");
        std::this_thread::sleep_for(k_settle);
        ProcStatus without = read_proc_status(bare->pid());
        ProcStatus with = read_proc_status(warm->pid());
        if (warm->count_lines("INIT_START") != envs)
            throw ScenarioError("expected " + concurrency + " prewarmed environments");
        double per_env_mb = (mb(with.rss_kb) - mb(without.rss_kb)) / envs;
        auto& row = results.value_at_most(name, "RSS per idle environment", "MB", per_env_mb,
                                          std::nullopt, 1.0);
        row.note = std::to_string(envs) + " environments; " +
                   std::to_string((with.threads - without.threads) / envs) + " threads each, " +
                   std::to_string((with.size_kb - without.size_kb) / 1024 / envs) +
                   " MB of address space each";
        d["environments"] = envs;
        d["rss_kb_without"] = without.rss_kb;
        d["rss_kb_with"] = with.rss_kb;
        d["threads_without"] = without.threads;
        d["threads_with"] = with.threads;
        d["vmsize_kb_without"] = without.size_kb;
        d["vmsize_kb_with"] = with.size_kb;
    }

    // lambda-emu --version, and a bare spawn of the static runtime.
    {
        std::vector<double> emu, floor;
        for (int i = 0; i < n.version_runs; ++i) {
            double f = time_spawn_wait({ctx.runtime}, 1);
            double e = time_spawn_wait({ctx.lambda_emu, "--version"}, 0);
            if (f < 0 || e < 0) throw ScenarioError("--version or the bare spawn failed");
            floor.push_back(f);
            emu.push_back(e);
        }
        results.value_at_most(name, "--version (p50)", "ms", percentile(emu, 50) / 1000,
                              percentile(floor, 50) / 1000, 10);
        d["version_us"] = to_json(summarize(emu));
        d["bare_spawn_us"] = to_json(summarize(floor));
    }

    // serve: from the spawn until it says it is serving.
    {
        std::vector<double> emu, floor;
        for (int i = 0; i < n.start_runs; ++i) {
            auto floor_server = FloorServer::start(ctx.self, k_listener_workers, false);
            if (!floor_server) throw ScenarioError(floor_server.error().message);
            floor.push_back(floor_server.value()->startup_us());
            floor_server.value().reset();
            emu.push_back(time_serve_start(ctx));
        }
        results.value_at_most(name, "start to serving (p50)", "ms", percentile(emu, 50) / 1000,
                              percentile(floor, 50) / 1000, 10);
        d["start_us"] = to_json(summarize(emu));
        d["floor_start_us"] = to_json(summarize(floor));
    }
}

}  // namespace lambda_emu::harness
