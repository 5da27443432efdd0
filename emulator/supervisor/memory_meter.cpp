#include "supervisor/memory_meter.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "util/fd.h"

namespace lambda_emu::supervisor {

namespace {

// Reads a small /proc file whole; empty when it is gone.
std::string read_small(const std::string& path) {
    util::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return {};
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n <= 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
}

std::uint64_t kb_field(const std::string& status, const char* name) {
    auto at = status.find(name);
    if (at == std::string::npos) return 0;
    return std::strtoull(status.c_str() + at + std::strlen(name), nullptr, 10) * 1024;
}

void children_of(pid_t pid, std::vector<pid_t>& out) {
    std::string task_dir = "/proc/" + std::to_string(pid) + "/task";
    DIR* dir = ::opendir(task_dir.c_str());
    if (!dir) return;
    while (dirent* entry = ::readdir(dir)) {
        if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
        std::string list = read_small(task_dir + "/" + entry->d_name + "/children");
        const char* p = list.c_str();
        char* end = nullptr;
        for (;;) {
            long child = std::strtol(p, &end, 10);
            if (end == p) break;
            out.push_back(static_cast<pid_t>(child));
            p = end;
        }
    }
    ::closedir(dir);
}

}  // namespace

MemorySample ProcMemoryMeter::sample(pid_t root) {
    MemorySample s;
    std::vector<pid_t> pending{root};
    while (!pending.empty()) {
        pid_t pid = pending.back();
        pending.pop_back();
        std::string status = read_small("/proc/" + std::to_string(pid) + "/status");
        if (status.empty()) continue;
        s.rss_bytes += kb_field(status, "VmRSS:");
        s.hwm_bytes += kb_field(status, "VmHWM:");
        ++s.processes;
        children_of(pid, pending);
    }
    return s;
}

}  // namespace lambda_emu::supervisor
