// Scenario 5: the largest request the Invoke API takes (6,291,456 bytes) echoed back as the
// response, on a prewarmed environment.
//
// Floor: the same payload echoed twice by the plain cpp-httplib server over two connections:
// 6 MB moved four times over loopback, as in a lambda-emu invocation (client to lambda-emu,
// lambda-emu to the runtime, and back).

#include "proc_status.h"
#include "scenario_support.h"

namespace lambda_emu::harness {

namespace {

constexpr std::size_t k_max_sync_request = 6291456;

}  // namespace

void run_large(const Context& ctx, Results& results) {
    const std::string name = "5 6 MB each way";
    const std::string payload = payload_of_size(k_max_sync_request);
    auto serve = start_serve(
        ctx, {"--reserved-concurrency", "1", "--prewarm", "1", ctx.runtime_dir}, "s5-large");
    auto floor_server = start_floor(ctx, 16);
    ProcStatus before = read_proc_status(serve->pid());
    Paired p;
    {
        Callers emu = invoke_callers(serve->port(), ctx.function, payload, 1);
        Callers floor = floor_callers(floor_server->port(), payload, 1);
        // One call at a time, alternately, so that drift hits both alike.
        p = alternate(floor, emu, 2, ctx.counts.large_samples, 1);
    }
    ProcStatus after = read_proc_status(serve->pid());
    Summary emu = summarize(p.lambda_emu.latencies_us);
    Summary floor = summarize(p.floor.latencies_us);
    results.ratio_at_most(name, "p50 round trip", "ms", emu.p50 / 1000, floor.p50 / 1000, 3.0);
    results.info(name, "p90 round trip", "ms", emu.p90 / 1000, floor.p90 / 1000);
    auto& rss = results.info(
        name, "lambda-emu RSS growth, kept after", "MB",
        (static_cast<double>(after.rss_kb) - static_cast<double>(before.rss_kb)) / 1024);
    rss.note = "RSS " + std::to_string(before.rss_kb / 1024) + " MB before, " +
               std::to_string(after.rss_kb / 1024) + " MB after, the environment idle";
    auto& d = results.details(name);
    d["payload_bytes"] = payload.size();
    d["lambda_emu_us"] = to_json(emu);
    d["floor_us"] = to_json(floor);
    d["rss_kb_before"] = before.rss_kb;
    d["rss_kb_after"] = after.rss_kb;
}

}  // namespace lambda_emu::harness
