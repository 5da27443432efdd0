// Scenarios 1 and 2: warm invocations through the Invoke API on keep-alive connections.
//
// Floor: the same payload echoed twice by a plain cpp-httplib server (a child process) over two
// keep-alive connections, with the client library and settings the harness uses for lambda-emu:
// two loopback HTTP round trips, which is what a warm invocation is at least (client to
// lambda-emu, lambda-emu to the runtime and back).

#include "scenario_support.h"

namespace lambda_emu::harness {

namespace {

constexpr const char* k_small_payload = R"({"action":"echo"})";
constexpr int k_floor_workers = 16;

}  // namespace

WarmBaseline run_warm_single(const Context& ctx, Results& results) {
    const std::string name = "1 warm, 1 connection";
    const Counts& n = ctx.counts;
    auto serve = start_serve(
        ctx, {"--reserved-concurrency", "1", "--prewarm", "1", ctx.runtime_dir}, "s1-warm");
    auto floor_server = start_floor(ctx, k_floor_workers);
    Paired p;
    {
        Callers emu = invoke_callers(serve->port(), ctx.function, k_small_payload, 1);
        Callers floor = floor_callers(floor_server->port(), k_small_payload, 1);
        p = alternate(floor, emu, n.warm_warmup, n.warm_rounds, n.warm_per_round,
                      floor_server->pid(), serve->pid());
    }
    Summary emu = summarize(p.lambda_emu.latencies_us);
    Summary floor = summarize(p.floor.latencies_us);
    results.ratio_at_most(name, "p50 latency", "us", emu.p50, floor.p50, 1.5);
    results.ratio_at_most(name, "p99 latency", "us", emu.p99, floor.p99, 3.0);
    results.value_at_least(name, "throughput", "inv/s", p.lambda_emu.throughput(),
                           p.floor.throughput(), 15000);
    auto per_call = [](const CpuUse& use, const LoadResult& r) {
        double calls = static_cast<double>(std::max<std::size_t>(r.calls, 1));
        return std::pair{use.cpu_us / calls, static_cast<double>(use.switches) / calls};
    };
    auto [emu_cpu, emu_switches] = per_call(p.lambda_emu_cpu, p.lambda_emu);
    auto [floor_cpu, floor_switches] = per_call(p.floor_cpu, p.floor);
    results.info(name, "server CPU per invocation", "us", emu_cpu, floor_cpu).note =
        "lambda-emu's process (not the runtime); floor: the plain server";
    results.info(name, "server context switches per inv.", "", emu_switches, floor_switches);

    // Below the library: the floor as two raw-socket round trips, and lambda-emu driven by a
    // raw-socket client (what the target's absolute throughput allows on this machine).
    Paired raw;
    {
        Callers emu_raw;
        auto caller =
            std::make_unique<RawInvokeCaller>(serve->port(), ctx.function, k_small_payload);
        if (!caller->connect()) throw ScenarioError(caller->error());
        emu_raw.push_back(std::move(caller));
        Callers floor_raw;
        floor_raw.push_back(
            std::make_unique<RawFloorCaller>(floor_server->raw_port(), k_small_payload));
        raw = alternate(floor_raw, emu_raw, n.warm_warmup, n.warm_rounds, n.warm_per_round);
    }
    Summary emu_raw = summarize(raw.lambda_emu.latencies_us);
    Summary floor_raw = summarize(raw.floor.latencies_us);
    results.info(name, "p50, raw-socket client and floor", "us", emu_raw.p50, floor_raw.p50).note =
        "floor: two round trips on raw sockets, no HTTP library";
    results.info(name, "throughput, raw-socket client", "inv/s", raw.lambda_emu.throughput(),
                 raw.floor.throughput());
    auto& d = results.details(name);
    d["lambda_emu_us"] = to_json(emu);
    d["floor_us"] = to_json(floor);
    d["lambda_emu_throughput"] = p.lambda_emu.throughput();
    d["floor_throughput"] = p.floor.throughput();
    d["lambda_emu_cpu_us_per_invocation"] = emu_cpu;
    d["floor_cpu_us_per_invocation"] = floor_cpu;
    d["lambda_emu_switches_per_invocation"] = emu_switches;
    d["floor_switches_per_invocation"] = floor_switches;
    d["raw_client_lambda_emu_us"] = to_json(emu_raw);
    d["raw_floor_us"] = to_json(floor_raw);
    d["raw_client_lambda_emu_throughput"] = raw.lambda_emu.throughput();
    d["raw_floor_throughput"] = raw.floor.throughput();
    d["reports_logged"] = serve->count_lines("REPORT RequestId:");
    return {emu.p50, p.lambda_emu.throughput()};
}

void run_warm_multi(const Context& ctx, Results& results, const WarmBaseline& one) {
    const std::string name = "2 warm, 4 connections";
    const Counts& n = ctx.counts;
    constexpr int k_connections = 4;
    auto serve = start_serve(ctx,
                             {"--reserved-concurrency", std::to_string(k_connections), "--prewarm",
                              std::to_string(k_connections), ctx.runtime_dir},
                             "s2-warm4");
    auto floor_server = start_floor(ctx, k_floor_workers);
    // Round by round: four connections, then one, on lambda-emu and on the floor, so that the
    // 4-to-1 scaling is measured in the same minute (scenario 1 ran earlier, under other load).
    Paired four, single;
    {
        Callers emu = invoke_callers(serve->port(), ctx.function, k_small_payload, k_connections);
        Callers emu_one = invoke_callers(serve->port(), ctx.function, k_small_payload, 1);
        Callers floor = floor_callers(floor_server->port(), k_small_payload, k_connections);
        Callers floor_one = floor_callers(floor_server->port(), k_small_payload, 1);
        int per_caller = std::max(1, n.warm_per_round / k_connections);
        int warmup = std::max(1, n.warm_warmup / k_connections);
        for (int r = 0; r < n.warm_rounds; ++r) {
            Paired p = alternate(floor, emu, r == 0 ? warmup : 0, 1, per_caller,
                                 floor_server->pid(), serve->pid());
            Paired q = alternate(floor_one, emu_one, r == 0 ? warmup : 0, 1, n.warm_per_round);
            four.floor.add(p.floor);
            four.lambda_emu.add(p.lambda_emu);
            four.floor_cpu += p.floor_cpu;
            four.lambda_emu_cpu += p.lambda_emu_cpu;
            four.floor_cores += p.floor_cores / n.warm_rounds;
            four.lambda_emu_cores += p.lambda_emu_cores / n.warm_rounds;
            single.floor.add(q.floor);
            single.lambda_emu.add(q.lambda_emu);
        }
    }
    if (serve->count_lines("INIT_START") != k_connections)
        throw ScenarioError("expected " + std::to_string(k_connections) + " environments");
    Summary emu = summarize(four.lambda_emu.latencies_us);
    Summary floor = summarize(four.floor.latencies_us);
    double emu_scaling = four.lambda_emu.throughput() / single.lambda_emu.throughput();
    double floor_scaling = four.floor.throughput() / single.floor.throughput();
    results.info(name, "throughput", "inv/s", four.lambda_emu.throughput(),
                 four.floor.throughput());
    results.info(name, "p50 latency", "us", emu.p50, floor.p50);
    auto& row = results.value_at_least(name, "throughput / 1 connection's", "x", emu_scaling,
                                       floor_scaling, 1.3);
    row.note = "1 connection measured alternately here; floor column: the floor's own scaling";
    results.info(name, "throughput / scenario 1's", "x",
                 four.lambda_emu.throughput() / one.throughput);
    results.info(name, "machine's cores busy", "", four.lambda_emu_cores, four.floor_cores).note =
        "every process, the harness's client included";
    results.info(name, "server CPU per invocation", "us",
                 four.lambda_emu_cpu.cpu_us / static_cast<double>(four.lambda_emu.calls),
                 four.floor_cpu.cpu_us / static_cast<double>(four.floor.calls));
    auto& d = results.details(name);
    d["lambda_emu_us"] = to_json(emu);
    d["floor_us"] = to_json(floor);
    d["lambda_emu_throughput"] = four.lambda_emu.throughput();
    d["floor_throughput"] = four.floor.throughput();
    d["lambda_emu_throughput_one_connection"] = single.lambda_emu.throughput();
    d["floor_throughput_one_connection"] = single.floor.throughput();
    d["scenario_1_throughput"] = one.throughput;
    d["lambda_emu_cores_busy"] = four.lambda_emu_cores;
    d["floor_cores_busy"] = four.floor_cores;
}

}  // namespace lambda_emu::harness
