// Event (asynchronous) invocations: queued, run in the background, and retried twice on a
// function error, as the service does (after about 1 and then 2 minutes by default).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "pool/function_pool.h"

namespace lambda_emu::frontend {

class AsyncInvoker {
  public:
    // `first_retry_delay` before the first retry, twice that before the second.
    AsyncInvoker(int workers, std::chrono::milliseconds first_retry_delay, int max_retries = 2);
    ~AsyncInvoker();
    AsyncInvoker(const AsyncInvoker&) = delete;
    AsyncInvoker& operator=(const AsyncInvoker&) = delete;

    void submit(std::shared_ptr<pool::FunctionPool> pool, pool::InvokeRequest request);
    // Stop taking work; pending retries are dropped, running invocations finish.
    void stop();
    // Events accepted and not yet finished (queued, waiting to retry or running).
    std::size_t outstanding();

  private:
    struct Item {
        std::shared_ptr<pool::FunctionPool> pool;
        pool::InvokeRequest request;
        int attempt = 0;
        std::chrono::steady_clock::time_point due;
    };
    void work();

    std::chrono::milliseconds m_delay;
    int m_max_retries;
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Item> m_items;
    std::size_t m_running = 0;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

}  // namespace lambda_emu::frontend
