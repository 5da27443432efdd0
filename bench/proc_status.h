// A process's own memory and threads, from /proc/<pid>/status (its descendants not included).
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace lambda_emu::harness {

struct ProcStatus {
    std::uint64_t rss_kb = 0;   // VmRSS
    std::uint64_t size_kb = 0;  // VmSize (virtual: thread stacks and malloc arenas reserved)
    int threads = 0;
    bool ok = false;
};

ProcStatus read_proc_status(pid_t pid);

}  // namespace lambda_emu::harness
