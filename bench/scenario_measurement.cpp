// Scenario 7: what the memory meter and the log capture cost a warm invocation.
//
// With the switch (LAMBDA_EMU_BENCH_UNMEASURED=1 in serve's environment; serve acknowledges it
// with a "measurement off" line on stderr), scenario 1 runs twice, measured and unmeasured,
// round by round. Without it, the scenario is reported as not measured, and two parts are
// measured instead:
//   - one memory sample (supervisor::ProcMemoryMeter::sample, what the invocation path runs) of
//     an idle runtime, timed in this process;
//   - one captured log line per invocation: the echo runtime with and without
//     ECHO_RUNTIME_LOG_LINES=1, round by round.

#include <dirent.h>

#include <fstream>

#include "scenario_support.h"
#include "supervisor/memory_meter.h"

namespace lambda_emu::harness {

namespace {

constexpr const char* k_switch = "LAMBDA_EMU_BENCH_UNMEASURED=1";
constexpr const char* k_switch_ack = "measurement off";
constexpr const char* k_small_payload = R"({"action":"echo"})";

// The first child of `pid` (any of its threads'): the prewarmed runtime of a serve.
pid_t first_child(pid_t pid) {
    std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = ::opendir(task_dir.c_str());
    if (!dir) return -1;
    pid_t found = -1;
    while (dirent* e = ::readdir(dir)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::ifstream in(task_dir + "/" + e->d_name + "/children");
        pid_t child = -1;
        if (in >> child && child > 0) {
            found = child;
            break;
        }
    }
    ::closedir(dir);
    return found;
}

std::vector<std::string> warm_args(const Context& ctx, const std::string& log_lines) {
    return {"--reserved-concurrency",
            "1",
            "--prewarm",
            "1",
            "--env",
            "ECHO_RUNTIME_LOG_LINES=" + log_lines,
            ctx.runtime_dir};
}

}  // namespace

void run_measurement_cost(const Context& ctx, Results& results, const WarmBaseline& one) {
    const std::string name = "7 measurement cost";
    const Counts& n = ctx.counts;
    auto& d = results.details(name);

    auto measured = start_serve(ctx, warm_args(ctx, "0"), "s7-measured");
    auto unmeasured = start_serve(ctx, warm_args(ctx, "0"), "s7-unmeasured", {k_switch});
    if (unmeasured->count_lines(k_switch_ack) > 0) {
        Paired p;
        {
            Callers on = invoke_callers(measured->port(), ctx.function, k_small_payload, 1);
            Callers off = invoke_callers(unmeasured->port(), ctx.function, k_small_payload, 1);
            // "floor" = unmeasured, "lambda_emu" = measured.
            p = alternate(off, on, n.warm_warmup, n.warm_rounds, n.warm_per_round);
        }
        Summary on = summarize(p.lambda_emu.latencies_us);
        Summary off = summarize(p.floor.latencies_us);
        auto& row =
            results.ratio_at_most(name, "p50, measured vs unmeasured", "us", on.p50, off.p50, 1.05);
        row.note = "floor column: meter and log capture off";
        d["measured_us"] = to_json(on);
        d["unmeasured_us"] = to_json(off);
    } else {
        Row row;
        row.scenario = name;
        row.metric = "p50, measured vs unmeasured";
        row.target = "<= 1.05x";
        row.verdict = Verdict::not_measured;
        row.note = std::string("needs ") + k_switch + ": see bench/README.md";
        results.add(std::move(row));
        d["switch"] = std::string("absent: serve did not print '") + k_switch_ack + "'";
    }
    unmeasured->stop();

    // One memory sample of the idle runtime, as the invocation path takes it.
    {
        pid_t runtime = first_child(measured->pid());
        if (runtime <= 0) throw ScenarioError("no runtime process under lambda-emu serve");
        supervisor::ProcMemoryMeter meter;
        std::vector<double> us;
        for (int i = 0; i < n.meter_samples; ++i) {
            auto t0 = Clock::now();
            auto sample = meter.sample(runtime);
            us.push_back(micros(t0, Clock::now()));
            if (sample.processes != 1) throw ScenarioError("the runtime is gone");
        }
        Summary s = summarize(us);
        auto& row = results.info(name, "one memory sample (p50)", "us", s.p50, one.p50_us);
        row.note = "floor column: scenario 1's p50; ratio = its share";
        d["memory_sample_us"] = to_json(s);
    }

    // One captured log line per invocation.
    {
        auto logging = start_serve(ctx, warm_args(ctx, "1"), "s7-log-lines");
        Paired p;
        {
            Callers quiet = invoke_callers(measured->port(), ctx.function, k_small_payload, 1);
            Callers loud = invoke_callers(logging->port(), ctx.function, k_small_payload, 1);
            p = alternate(quiet, loud, n.warm_warmup, n.warm_rounds, n.warm_per_round);
        }
        Summary loud = summarize(p.lambda_emu.latencies_us);
        Summary quiet = summarize(p.floor.latencies_us);
        auto& row = results.info(name, "p50 with one log line", "us", loud.p50, quiet.p50);
        row.note = "floor column: the runtime writes no line";
        d["one_log_line_us"] = to_json(loud);
        d["no_log_line_us"] = to_json(quiet);
        d["log_lines_captured"] = logging->count_lines("echo ");
    }
}

}  // namespace lambda_emu::harness
