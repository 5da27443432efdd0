#include "proc_status.h"

#include <fstream>
#include <sstream>
#include <string>

namespace lambda_emu::harness {

ProcStatus read_proc_status(pid_t pid) {
    ProcStatus s;
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);) {
        std::istringstream fields(line);
        std::string name;
        std::uint64_t value = 0;
        fields >> name >> value;
        if (name == "VmRSS:") {
            s.rss_kb = value;
            s.ok = true;
        } else if (name == "VmSize:") {
            s.size_kb = value;
        } else if (name == "Threads:") {
            s.threads = static_cast<int>(value);
        }
    }
    return s;
}

}  // namespace lambda_emu::harness
