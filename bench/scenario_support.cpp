#include "scenario_support.h"

namespace lambda_emu::harness {

std::unique_ptr<ServeProcess> start_serve(const Context& ctx, const std::vector<std::string>& args,
                                          const std::string& log_name,
                                          const std::vector<std::string>& extra_env) {
    auto serve = ServeProcess::start(ctx.lambda_emu, args, ctx.log_path(log_name), extra_env);
    if (!serve) throw ScenarioError(serve.error().message);
    return std::move(serve.value());
}

std::unique_ptr<FloorServer> start_floor(const Context& ctx, int workers) {
    auto floor = FloorServer::start(ctx.self, workers);
    if (!floor) throw ScenarioError("floor server: " + floor.error().message);
    return std::move(floor.value());
}

Callers invoke_callers(int port, const std::string& function, const std::string& payload, int n) {
    Callers out;
    for (int i = 0; i < n; ++i) {
        auto caller = std::make_unique<InvokeCaller>(port, function, payload);
        if (!caller->connect()) throw ScenarioError(caller->error());
        out.push_back(std::move(caller));
    }
    return out;
}

Callers floor_callers(int port, const std::string& payload, int n) {
    Callers out;
    for (int i = 0; i < n; ++i) out.push_back(std::make_unique<FloorCaller>(port, payload));
    return out;
}

void require_ok(const LoadResult& r, const std::string& what) {
    if (!r.ok()) throw ScenarioError(what + ": " + r.error);
}

Paired alternate(const Callers& floor, const Callers& lambda_emu, int warmup, int rounds,
                 int per_round, pid_t floor_pid, pid_t lambda_emu_pid) {
    if (warmup > 0) {
        require_ok(drive(floor, warmup), "floor warm-up");
        require_ok(drive(lambda_emu, warmup), "lambda-emu warm-up");
    }
    auto cpu = [](pid_t pid) { return pid > 0 ? read_cpu_use(pid) : CpuUse{}; };
    Paired p;
    SystemCpu floor_system, emu_system;
    for (int r = 0; r < rounds; ++r) {
        CpuUse before = cpu(floor_pid);
        SystemCpu system_before = read_system_cpu();
        p.floor.add(drive(floor, per_round));
        SystemCpu system_after = read_system_cpu();
        p.floor_cpu += cpu(floor_pid) - before;
        floor_system.busy += system_after.busy - system_before.busy;
        floor_system.total += system_after.total - system_before.total;
        require_ok(p.floor, "floor");
        before = cpu(lambda_emu_pid);
        system_before = read_system_cpu();
        p.lambda_emu.add(drive(lambda_emu, per_round));
        system_after = read_system_cpu();
        p.lambda_emu_cpu += cpu(lambda_emu_pid) - before;
        emu_system.busy += system_after.busy - system_before.busy;
        emu_system.total += system_after.total - system_before.total;
        require_ok(p.lambda_emu, "lambda-emu");
    }
    p.floor_cores = cores_busy({}, floor_system);
    p.lambda_emu_cores = cores_busy({}, emu_system);
    return p;
}

nlohmann::ordered_json to_json(const Summary& s) {
    nlohmann::ordered_json j;
    j["count"] = s.count;
    j["p50"] = s.p50;
    j["p90"] = s.p90;
    j["p99"] = s.p99;
    j["max"] = s.max;
    j["mean"] = s.mean;
    return j;
}

std::string payload_of_size(std::size_t bytes) {
    const std::string head = "{\"data\":\"";
    const std::string tail = "\"}";
    std::size_t fill = bytes > head.size() + tail.size() ? bytes - head.size() - tail.size() : 0;
    return head + std::string(fill, 'x') + tail;
}

}  // namespace lambda_emu::harness
