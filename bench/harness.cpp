// lambda-emu's benchmark harness (issue 8): runs every scenario against lambda-emu serve and
// against its floor in the same run, prints one table and writes the figures as JSON.
//
//   lambda-emu-bench --lambda-emu BIN --runtime BOOTSTRAP --work-dir DIR --json FILE [--quick]
//                    [--only 1,3,5]
//   lambda-emu-bench --floor-server WORKERS     (the floor's plain HTTP server; internal)
//
// Exit status: 0 when every scenario ran (targets missed or not), 1 when one could not run,
// 2 on bad usage.

#include <signal.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>
#include <thread>

#include "child_process.h"
#include "floor_server.h"
#include "results.h"
#include "scenarios.h"

namespace lambda_emu::harness {

namespace {

struct Options {
    std::string lambda_emu;
    std::string runtime;
    std::string work_dir;
    std::string json;
    bool quick = false;
    std::set<int> only;
};

[[noreturn]] void usage(const std::string& why) {
    std::cerr << "lambda-emu-bench: " << why
              << "\nusage: lambda-emu-bench --lambda-emu BIN --runtime BOOTSTRAP --work-dir DIR "
                 "--json FILE [--quick] [--only 1,2,...]\n";
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--lambda-emu") {
            o.lambda_emu = value();
        } else if (arg == "--runtime") {
            o.runtime = value();
        } else if (arg == "--work-dir") {
            o.work_dir = value();
        } else if (arg == "--json") {
            o.json = value();
        } else if (arg == "--quick") {
            o.quick = true;
        } else if (arg == "--only") {
            std::istringstream list(value());
            for (std::string item; std::getline(list, item, ',');) o.only.insert(std::stoi(item));
        } else {
            usage("unknown argument " + arg);
        }
    }
    if (o.lambda_emu.empty() || o.runtime.empty() || o.work_dir.empty() || o.json.empty())
        usage("--lambda-emu, --runtime, --work-dir and --json are required");
    return o;
}

Counts quick_counts() {
    Counts c;
    c.warm_warmup = 200;
    c.warm_rounds = 2;
    c.warm_per_round = 500;
    c.cold_samples = 5;
    c.cold_breakdown = 3;
    c.bursts = 1;
    c.large_samples = 3;
    c.idle_environments = 5;
    c.version_runs = 5;
    c.start_runs = 3;
    c.meter_samples = 200;
    return c;
}

std::string first_line_with(const std::string& path, const std::string& prefix) {
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind(prefix, 0) == 0) {
            auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    }
    return "";
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return one + " " + five + " " + fifteen;
}

nlohmann::ordered_json machine() {
    nlohmann::ordered_json m;
    utsname u{};
    ::uname(&u);
    m["cpu"] = first_line_with("/proc/cpuinfo", "model name");
    m["cores"] = std::thread::hardware_concurrency();
    m["kernel"] = std::string(u.sysname) + " " + u.release;
    std::time_t now = std::time(nullptr);
    char date[64];
    std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    m["date"] = date;
    m["load_average_at_start"] = load_average();
    return m;
}

std::string self_path() {
    std::error_code ec;
    auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ec ? std::string() : p.string();
}

int run(const Options& o) {
    Context ctx;
    ctx.lambda_emu = std::filesystem::absolute(o.lambda_emu).string();
    ctx.runtime = std::filesystem::absolute(o.runtime).string();
    ctx.runtime_dir = std::filesystem::path(ctx.runtime).parent_path().string();
    ctx.function = std::filesystem::path(ctx.runtime_dir).filename().string();
    ctx.self = self_path();
    ctx.work_dir = std::filesystem::absolute(o.work_dir).string();
    ctx.quick = o.quick;
    if (o.quick) ctx.counts = quick_counts();
    std::filesystem::create_directories(ctx.work_dir);

    Results results;
    nlohmann::ordered_json m = machine();
    std::cout << "lambda-emu bench" << (o.quick ? " (--quick: small counts, a smoke run)" : "")
              << ": " << m["cpu"].get<std::string>() << ", " << m["cores"].get<unsigned>()
              << " cores, " << m["date"].get<std::string>() << ", load average "
              << m["load_average_at_start"].get<std::string>() << "\n"
              << std::flush;

    WarmBaseline one;
    struct Step {
        int number;
        const char* title;
        std::function<void()> run;
    };
    std::vector<Step> steps = {
        {1, "1 warm, 1 connection", [&] { one = run_warm_single(ctx, results); }},
        {2, "2 warm, 4 connections", [&] { run_warm_multi(ctx, results, one); }},
        {3, "3 cold invocation", [&] { run_cold(ctx, results); }},
        {4, "4 burst of 50 cold starts", [&] { run_burst(ctx, results); }},
        {5, "5 6 MB each way", [&] { run_large(ctx, results); }},
        {6, "6 footprint", [&] { run_footprint(ctx, results); }},
        {7, "7 measurement cost", [&] { run_measurement_cost(ctx, results, one); }},
    };
    int failed = 0;
    for (const auto& step : steps) {
        if (!o.only.empty() && !o.only.count(step.number)) continue;
        if ((step.number == 2 || step.number == 7) && one.throughput == 0 &&
            (o.only.empty() || !o.only.count(1))) {
            // They compare with scenario 1: run it first, without reporting it twice.
            Results scratch;
            try {
                one = run_warm_single(ctx, scratch);
            } catch (const std::exception&) {
            }
        }
        auto started = std::chrono::steady_clock::now();
        std::cerr << "bench: scenario " << step.title << "..." << std::flush;
        try {
            step.run();
        } catch (const std::exception& e) {
            ++failed;
            Row row;
            row.scenario = step.title;
            row.metric = "(could not run)";
            row.verdict = Verdict::miss;
            row.note = e.what();
            results.add(std::move(row));
        }
        std::cerr << " "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started)
                         .count()
                  << " ms\n";
    }
    m["load_average_at_end"] = load_average();

    std::cout << "\n";
    results.print_table(std::cout);
    std::cout << "\nload average at the end: " << m["load_average_at_end"].get<std::string>()
              << "; targets missed: " << results.misses() << "\n";

    nlohmann::ordered_json out;
    out["machine"] = m;
    out["quick"] = o.quick;
    out["lambda_emu"] = ctx.lambda_emu;
    out["runtime"] = ctx.runtime;
    nlohmann::ordered_json body = results.to_json();
    out["rows"] = body["rows"];
    out["details"] = body["details"];
    std::ofstream(o.json) << out.dump(2) << "\n";
    std::cout << "JSON: " << o.json << "\n";
    return failed == 0 ? 0 : 1;
}

}  // namespace

}  // namespace lambda_emu::harness

int main(int argc, char** argv) {
    using namespace lambda_emu::harness;
    if (argc >= 2 && std::strcmp(argv[1], k_floor_server_flag) == 0) {
        ::signal(SIGPIPE, SIG_IGN);
        return run_floor_server(argc >= 3 ? std::atoi(argv[2]) : 16);
    }
    ::signal(SIGPIPE, SIG_IGN);
    Options o = parse(argc, argv);
    install_cleanup(o.quick ? std::chrono::seconds(240) : std::chrono::seconds(1500));
    int rc = run(o);
    kill_all_children();
    return rc;
}
