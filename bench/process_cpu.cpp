#include "process_cpu.h"

#include <dirent.h>

#include <fstream>
#include <string>
#include <thread>

namespace lambda_emu::harness {

SystemCpu read_system_cpu() {
    SystemCpu s;
    std::ifstream in("/proc/stat");
    std::string cpu;
    in >> cpu;
    long long v[8] = {};
    for (auto& x : v) in >> x;
    // user nice system idle iowait irq softirq steal
    s.total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
    s.busy = s.total - v[3] - v[4];
    return s;
}

double cores_busy(const SystemCpu& from, const SystemCpu& to) {
    long long total = to.total - from.total;
    if (total <= 0) return 0;
    return static_cast<double>(to.busy - from.busy) / static_cast<double>(total) *
           static_cast<double>(std::thread::hardware_concurrency());
}

CpuUse read_cpu_use(pid_t pid) {
    CpuUse use;
    std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = ::opendir(task_dir.c_str());
    if (!dir) return use;
    while (dirent* e = ::readdir(dir)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string task = task_dir + "/" + e->d_name;
        std::ifstream schedstat(task + "/schedstat");
        long long on_cpu_ns = 0;
        if (schedstat >> on_cpu_ns) use.cpu_us += static_cast<double>(on_cpu_ns) / 1000;
        std::ifstream status(task + "/status");
        for (std::string line; std::getline(status, line);) {
            if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
                line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
                use.switches += std::stoll(line.substr(line.find(':') + 1));
            }
        }
    }
    ::closedir(dir);
    return use;
}

}  // namespace lambda_emu::harness
