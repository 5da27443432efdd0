// What the scenarios share: starting lambda-emu and the floor server, making callers, and
// timing a floor and lambda-emu round by round, alternately.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "floor_server.h"
#include "http_callers.h"
#include "load_driver.h"
#include "process_cpu.h"
#include "scenarios.h"
#include "serve_process.h"
#include "stats.h"

namespace lambda_emu::harness {

std::unique_ptr<ServeProcess> start_serve(const Context& ctx, const std::vector<std::string>& args,
                                          const std::string& log_name,
                                          const std::vector<std::string>& extra_env = {});
std::unique_ptr<FloorServer> start_floor(const Context& ctx, int workers);

using Callers = std::vector<std::unique_ptr<Caller>>;
// n Invoke API callers of `function`, each connected.
Callers invoke_callers(int port, const std::string& function, const std::string& payload, int n);
Callers floor_callers(int port, const std::string& payload, int n);

struct Paired {
    LoadResult floor;
    LoadResult lambda_emu;
    // CPU and context switches of the two servers while their calls ran (when pids were given).
    CpuUse floor_cpu;
    CpuUse lambda_emu_cpu;
    // The machine's busy cores while each side ran (all processes: client, servers, runtimes).
    double floor_cores = 0;
    double lambda_emu_cores = 0;
};
// Warm-up calls on both, then `rounds` rounds of: the floor, then lambda-emu.
Paired alternate(const Callers& floor, const Callers& lambda_emu, int warmup, int rounds,
                 int per_round, pid_t floor_pid = -1, pid_t lambda_emu_pid = -1);

// Throws ScenarioError naming `what` when the load failed.
void require_ok(const LoadResult& r, const std::string& what);

nlohmann::ordered_json to_json(const Summary& s);
// The JSON payload {"data":"xxx…"} of exactly `bytes` bytes.
std::string payload_of_size(std::size_t bytes);

}  // namespace lambda_emu::harness
