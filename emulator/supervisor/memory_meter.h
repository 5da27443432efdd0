// Resident memory of a process and all its descendants, read from /proc. (cgroup v2 memory
// accounting is not used: see ARCHITECTURE.md.)
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace lambda_emu::supervisor {

struct MemorySample {
    std::uint64_t rss_bytes = 0;  // sum of VmRSS now
    std::uint64_t hwm_bytes = 0;  // sum of each live process's VmHWM (its own peak)
    int processes = 0;
};

class MemoryMeter {
  public:
    virtual ~MemoryMeter() = default;
    virtual MemorySample sample(pid_t root) = 0;
};

// Walks /proc/<pid>/task/<tid>/children from root.
class ProcMemoryMeter final : public MemoryMeter {
  public:
    MemorySample sample(pid_t root) override;
};

}  // namespace lambda_emu::supervisor
