#include "load_driver.h"

#include <latch>
#include <mutex>
#include <thread>

#include "stats.h"

namespace lambda_emu::harness {

void LoadResult::add(const LoadResult& more) {
    latencies_us.insert(latencies_us.end(), more.latencies_us.begin(), more.latencies_us.end());
    wall_us += more.wall_us;
    calls += more.calls;
    if (error.empty()) error = more.error;
}

LoadResult drive(const std::vector<std::unique_ptr<Caller>>& callers, int per_caller) {
    LoadResult result;
    std::mutex mutex;
    std::latch ready(static_cast<std::ptrdiff_t>(callers.size()) + 1);
    std::latch go(1);
    std::vector<std::thread> threads;
    std::vector<Clock::time_point> finished(callers.size());
    std::vector<Clock::time_point> first(callers.size());
    for (std::size_t i = 0; i < callers.size(); ++i) {
        threads.emplace_back([&, i] {
            Caller& caller = *callers[i];
            std::vector<double> latencies;
            latencies.reserve(static_cast<std::size_t>(per_caller));
            std::string error;
            ready.count_down();
            go.wait();
            for (int n = 0; n < per_caller; ++n) {
                auto t0 = Clock::now();
                if (n == 0) first[i] = t0;
                bool ok = caller.call();
                auto t1 = Clock::now();
                if (!ok) {
                    error = caller.error();
                    break;
                }
                if (!caller.verify()) {
                    error = "the answer was not the payload";
                    break;
                }
                latencies.push_back(micros(t0, t1));
            }
            finished[i] = Clock::now();
            std::lock_guard lock(mutex);
            result.latencies_us.insert(result.latencies_us.end(), latencies.begin(),
                                       latencies.end());
            if (result.error.empty()) result.error = error;
        });
    }
    ready.arrive_and_wait();
    auto start = Clock::now();
    go.count_down();
    for (auto& t : threads) t.join();
    Clock::time_point last = start;
    for (auto& f : finished) last = std::max(last, f);
    result.wall_us = micros(start, last);
    if (per_caller > 0)
        for (auto& f : first) result.first_call_offsets_us.push_back(micros(start, f));
    result.calls = result.latencies_us.size();
    return result;
}

}  // namespace lambda_emu::harness
