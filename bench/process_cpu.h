// CPU time and context switches of a process, for "what does one invocation cost lambda-emu".
#pragma once

#include <sys/types.h>

namespace lambda_emu::harness {

struct CpuUse {
    double cpu_us = 0;  // user + system time of its live threads (/proc/<pid>/task/*/schedstat)
    long long switches = 0;  // voluntary + involuntary context switches of its live threads

    CpuUse operator-(const CpuUse& earlier) const {
        return {cpu_us - earlier.cpu_us, switches - earlier.switches};
    }
    CpuUse& operator+=(const CpuUse& more) {
        cpu_us += more.cpu_us;
        switches += more.switches;
        return *this;
    }
};

// The whole machine's CPU time (/proc/stat), in clock ticks: busy = all but idle and iowait.
struct SystemCpu {
    long long busy = 0;
    long long total = 0;
};
SystemCpu read_system_cpu();
// Cores kept busy between two readings (0 to the number of cores).
double cores_busy(const SystemCpu& from, const SystemCpu& to);

// Threads that exit between two readings take their share with them: compare readings of a
// process whose threads live on (a warm steady state).
CpuUse read_cpu_use(pid_t pid);

}  // namespace lambda_emu::harness
