// Scenarios 3 and 4: cold invocations and a burst of cold starts.
//
// lambda-emu serves a lambda-emu.json whose functions all run the echo runtime: the first
// invocation of each function is a cold start (a new environment: listener, spawn, Init, the
// invocation). A "warmup" function is invoked first, so the code paths of a cold start have run
// once in the process before any is timed. The client's connection is open before timing.
//
// Floor: floor_cold_invocation (floor_runtime.h): posix_spawn of the same runtime, its first
// /next answered by a bare listener, its /response read.

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <latch>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>

#include "floor_runtime.h"
#include "scenario_support.h"

namespace lambda_emu::harness {

namespace {

constexpr const char* k_event = R"({"action":"echo"})";

struct FunctionEntry {
    std::string name;
    int reserved_concurrency = 1;
    std::string timeline_file;  // ECHO_RUNTIME_TIMELINE, when set
};

std::string write_config(const Context& ctx, const std::string& file,
                         const std::vector<FunctionEntry>& functions) {
    nlohmann::ordered_json config;
    config["functions"] = nlohmann::ordered_json::array();
    for (const auto& f : functions) {
        nlohmann::ordered_json j;
        j["name"] = f.name;
        j["bootstrap"] = ctx.runtime;
        j["memory"] = 128;
        j["timeout"] = 10;
        j["reserved_concurrency"] = f.reserved_concurrency;
        if (!f.timeline_file.empty())
            j["environment"] = {{"ECHO_RUNTIME_TIMELINE", f.timeline_file}};
        config["functions"].push_back(std::move(j));
    }
    std::string path = ctx.work_dir + "/" + file;
    std::ofstream(path) << config.dump(2) << "\n";
    return path;
}

std::string cold_name(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "cold-%03d", i);
    return buf;
}

// "Init Duration: 1.23 ms" of the REPORT lines whose prefix is `prefix`.
std::vector<double> init_durations_ms(const std::string& log, const std::string& prefix) {
    static const std::regex k_init(R"(Init Duration: ([0-9.]+) ms)");
    std::vector<double> out;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) != 0 || line.find("REPORT") == std::string::npos) continue;
        std::smatch m;
        if (std::regex_search(line, m, k_init)) out.push_back(std::stod(m[1].str()));
    }
    return out;
}

std::string diag_name(int i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "diag-%03d", i);
    return buf;
}

// The runtime's steps of its first invocation, CLOCK_MONOTONIC ns: main, first /next sent,
// event received, /response sent.
std::optional<std::array<long long, 4>> read_timeline(const std::string& path) {
    for (int i = 0; i < 1000 && !timeline_written(path); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::ifstream in(path);
    std::array<long long, 4> t{};
    for (auto& v : t)
        if (!(in >> v)) return std::nullopt;
    return t;
}

long long ns_of(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

// Where a cold invocation's time goes, from the client's request (the floor's spawn) to its
// answer, split at the runtime's own steps.
struct Breakdown {
    std::vector<double> to_main, main_to_next, next_to_event, event_to_response, response_to_answer;

    void add(long long start_ns, const std::array<long long, 4>& t, long long end_ns) {
        to_main.push_back(static_cast<double>(t[0] - start_ns) / 1e3);
        main_to_next.push_back(static_cast<double>(t[1] - t[0]) / 1e3);
        next_to_event.push_back(static_cast<double>(t[2] - t[1]) / 1e3);
        event_to_response.push_back(static_cast<double>(t[3] - t[2]) / 1e3);
        response_to_answer.push_back(static_cast<double>(end_ns - t[3]) / 1e3);
    }
};

int count_prefixed(const std::string& log, const std::string& prefix, const std::string& needle) {
    std::istringstream in(log);
    int n = 0;
    for (std::string line; std::getline(in, line);)
        n += line.rfind(prefix, 0) == 0 && line.find(needle) != std::string::npos;
    return n;
}

void warm_up_cold_path(int port) {
    Callers warmup = invoke_callers(port, "warmup", k_event, 1);
    require_ok(drive(warmup, 3), "warm-up function");
}

}  // namespace

void run_cold(const Context& ctx, Results& results) {
    const std::string name = "3 cold invocation";
    const int samples = ctx.counts.cold_samples;
    std::vector<FunctionEntry> functions{{"warmup", 1, {}}};
    for (int i = 0; i < samples; ++i) functions.push_back({cold_name(i), 1, {}});
    std::vector<std::string> timelines;
    for (int i = 0; i < ctx.counts.cold_breakdown; ++i) {
        timelines.push_back(ctx.work_dir + "/timeline-" + diag_name(i) + ".txt");
        std::filesystem::remove(timelines.back());
        functions.push_back({diag_name(i), 1, timelines.back()});
    }
    std::string config = write_config(ctx, "s3-cold.json", functions);
    auto serve = start_serve(ctx, {"--config", config}, "s3-cold");
    warm_up_cold_path(serve->port());

    std::vector<double> emu_us, floor_us, floor_next_us, spawn_us;
    // The bare spawn floor: the runtime exits at once without AWS_LAMBDA_RUNTIME_API.
    time_spawn_wait({ctx.runtime}, 1);
    for (int i = 0; i < samples; ++i) {
        FloorColdSample f = floor_cold_invocation(ctx.runtime, k_event);
        if (!f.ok) throw ScenarioError("floor: " + f.error);
        floor_us.push_back(f.total_us);
        floor_next_us.push_back(f.spawn_to_next_us);
        double bare = time_spawn_wait({ctx.runtime}, 1);
        if (bare < 0) throw ScenarioError("bare spawn of " + ctx.runtime + " failed");
        spawn_us.push_back(bare);

        Callers one = invoke_callers(serve->port(), cold_name(i), k_event, 1);
        LoadResult r = drive(one, 1);
        require_ok(r, cold_name(i));
        emu_us.push_back(r.latencies_us.front());
    }
    std::string log = serve->log();
    int cold_starts = count_prefixed(log, "[cold-", "INIT_START");
    if (cold_starts != samples)
        throw ScenarioError("expected " + std::to_string(samples) + " cold starts, the log has " +
                            std::to_string(cold_starts));
    std::vector<double> init_ms = init_durations_ms(log, "[cold-");

    Summary emu = summarize(emu_us);
    Summary floor = summarize(floor_us);
    results.info(name, "p50 cold invocation", "ms", emu.p50 / 1000, floor.p50 / 1000);
    results.value_at_most(name, "p50 added beyond the floor", "ms", (emu.p50 - floor.p50) / 1000,
                          std::nullopt, 0.5);
    results.info(name, "p90 cold invocation", "ms", emu.p90 / 1000, floor.p90 / 1000);
    auto& next_row = results.info(name, "p50 Init Duration (REPORT)", "ms", percentile(init_ms, 50),
                                  percentile(floor_next_us, 50) / 1000);
    next_row.note = "floor: spawn until the first /next was read";
    // What lies outside spawn-to-first-/next: lambda-emu's set-up before the spawn, the
    // invocation itself and the client's HTTP exchange; the floor's: the invocation alone.
    std::vector<double> emu_rest_ms, floor_rest_ms;
    for (std::size_t i = 0; i < emu_us.size() && i < init_ms.size(); ++i)
        emu_rest_ms.push_back(emu_us[i] / 1000 - init_ms[i]);
    for (std::size_t i = 0; i < floor_us.size(); ++i)
        floor_rest_ms.push_back((floor_us[i] - floor_next_us[i]) / 1000);
    results.info(name, "p50 of the rest (cold - Init)", "ms", percentile(emu_rest_ms, 50),
                 percentile(floor_rest_ms, 50));
    results.info(name, "bare posix_spawn+waitpid", "ms", percentile(spawn_us, 50) / 1000);

    // The breakdown: more functions, whose runtimes write their timeline.
    Breakdown emu_steps, floor_steps;
    for (int i = 0; i < ctx.counts.cold_breakdown; ++i) {
        std::string floor_file = ctx.work_dir + "/timeline-floor.txt";
        std::filesystem::remove(floor_file);
        FloorColdSample f = floor_cold_invocation(ctx.runtime, k_event, floor_file);
        auto floor_timeline = read_timeline(floor_file);
        if (!f.ok || !floor_timeline) throw ScenarioError("floor timeline: " + f.error);
        floor_steps.add(f.started_ns, *floor_timeline,
                        f.started_ns + static_cast<long long>(f.total_us * 1000));

        Callers one = invoke_callers(serve->port(), diag_name(i), k_event, 1);
        auto t0 = Clock::now();
        bool ok = one.front()->call();
        auto t1 = Clock::now();
        if (!ok || !one.front()->verify()) throw ScenarioError(diag_name(i) + " failed");
        auto timeline = read_timeline(timelines[static_cast<std::size_t>(i)]);
        if (!timeline) throw ScenarioError("no timeline from " + diag_name(i));
        emu_steps.add(ns_of(t0), *timeline, ns_of(t1));
    }
    auto step = [&](const char* metric, const std::vector<double>& emu_us,
                    const std::vector<double>& floor_us, const char* note) {
        results
            .info(name, metric, "ms", percentile(emu_us, 50) / 1000,
                  percentile(floor_us, 50) / 1000)
            .note = note;
    };
    step("step: request -> runtime main()", emu_steps.to_main, floor_steps.to_main,
         "lambda-emu: Invoke API, set-up, spawn; floor: the spawn");
    step("step: main() -> first /next sent", emu_steps.main_to_next, floor_steps.main_to_next,
         "the runtime's own start");
    step("step: /next sent -> event received", emu_steps.next_to_event, floor_steps.next_to_event,
         "accept, read /next, Init's end, hand-over");
    step("step: event -> /response sent", emu_steps.event_to_response,
         floor_steps.event_to_response, "the runtime's handler");
    step("step: /response sent -> answer", emu_steps.response_to_answer,
         floor_steps.response_to_answer, "lambda-emu: read, wait for /next, REPORT, reply");
    auto steps_json = [](const Breakdown& b) {
        nlohmann::ordered_json j;
        j["request_to_main_us"] = to_json(summarize(b.to_main));
        j["main_to_next_us"] = to_json(summarize(b.main_to_next));
        j["next_to_event_us"] = to_json(summarize(b.next_to_event));
        j["event_to_response_us"] = to_json(summarize(b.event_to_response));
        j["response_to_answer_us"] = to_json(summarize(b.response_to_answer));
        return j;
    };
    auto& d = results.details(name);
    d["lambda_emu_us"] = to_json(emu);
    d["floor_us"] = to_json(floor);
    d["floor_spawn_to_next_us"] = to_json(summarize(floor_next_us));
    d["bare_spawn_wait_us"] = to_json(summarize(spawn_us));
    d["init_duration_ms"] = to_json(summarize(init_ms));
    d["rest_ms"] = to_json(summarize(emu_rest_ms));
    d["lambda_emu_steps"] = steps_json(emu_steps);
    d["floor_steps"] = steps_json(floor_steps);
    d["floor_rest_ms"] = to_json(summarize(floor_rest_ms));
}

void run_burst(const Context& ctx, Results& results) {
    const std::string name = "4 burst of 50 cold starts";
    const int size = ctx.counts.burst_size;
    std::vector<double> emu_ms, floor_ms, emu_first_ms;
    std::vector<int> cold_starts;
    std::vector<double> last_sent_ms;  // the harness's last request of a burst, from its start
    for (int b = 0; b < ctx.counts.bursts; ++b) {
        // The floor: `size` threads, each a bare cold invocation, all at once.
        {
            std::vector<FloorColdSample> samples(static_cast<std::size_t>(size));
            std::latch go(1);
            std::vector<std::thread> threads;
            threads.reserve(static_cast<std::size_t>(size));
            for (int i = 0; i < size; ++i) {
                threads.emplace_back([&, i] {
                    go.wait();
                    samples[static_cast<std::size_t>(i)] =
                        floor_cold_invocation(ctx.runtime, k_event);
                });
            }
            auto start = Clock::now();
            go.count_down();
            for (auto& t : threads) t.join();
            double wall = micros(start, Clock::now());
            for (const auto& s : samples)
                if (!s.ok) throw ScenarioError("floor: " + s.error);
            floor_ms.push_back(wall / 1000);
        }
        std::string config =
            write_config(ctx, "s4-burst.json", {{"warmup", 1, {}}, {"burst", size, {}}});
        auto serve = start_serve(ctx, {"--config", config}, "s4-burst");
        warm_up_cold_path(serve->port());
        LoadResult r;
        {
            Callers callers = invoke_callers(serve->port(), "burst", k_event, size);
            r = drive(callers, 1);
        }  // closed before serve stops: serve's stop waits for open client connections
        require_ok(r, "burst");
        emu_ms.push_back(r.wall_us / 1000);
        emu_first_ms.push_back(summarize(r.latencies_us).p50 / 1000);
        last_sent_ms.push_back(summarize(r.first_call_offsets_us).max / 1000);
        // A request that reaches lambda-emu after an environment of the burst has finished
        // reuses it (warm): counted, not an error.
        cold_starts.push_back(serve->count_lines("[burst] INIT_START"));
        serve->stop();
    }
    Summary emu = summarize(emu_ms);
    Summary floor = summarize(floor_ms);
    auto& row =
        results.value_at_most(name, "all answered (median burst)", "ms", emu.p50, floor.p50, 150);
    int fewest = *std::min_element(cold_starts.begin(), cold_starts.end());
    row.note = std::to_string(emu.count) +
               " bursts; cold starts per burst: " + std::to_string(fewest) +
               (fewest == size ? "" : " or more") + " of " + std::to_string(size);
    results.info(name, "all answered (worst burst)", "ms", emu.max, floor.max);
    results.info(name, "median answer within a burst", "ms", percentile(emu_first_ms, 50));
    results.info(name, "last request sent, after the start", "ms", percentile(last_sent_ms, 50))
        .note = "the harness's 50 client threads";
    auto& d = results.details(name);
    d["lambda_emu_burst_ms"] = emu_ms;
    d["floor_burst_ms"] = floor_ms;
    d["cold_starts_per_burst"] = cold_starts;
    d["last_request_sent_ms"] = last_sent_ms;
}

}  // namespace lambda_emu::harness
