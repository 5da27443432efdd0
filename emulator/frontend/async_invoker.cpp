#include "frontend/async_invoker.h"

#include <algorithm>

namespace lambda_emu::frontend {

AsyncInvoker::AsyncInvoker(int workers, std::chrono::milliseconds first_retry_delay,
                           int max_retries)
    : m_delay(first_retry_delay), m_max_retries(max_retries) {
    for (int i = 0; i < workers; ++i) m_threads.emplace_back([this] { work(); });
}

AsyncInvoker::~AsyncInvoker() { stop(); }

void AsyncInvoker::submit(std::shared_ptr<pool::FunctionPool> pool, pool::InvokeRequest request) {
    std::lock_guard lock(m_mutex);
    if (m_stopping) return;
    m_items.push_back({std::move(pool), std::move(request), 0, std::chrono::steady_clock::now()});
    m_cv.notify_one();
}

std::size_t AsyncInvoker::outstanding() {
    std::lock_guard lock(m_mutex);
    return m_items.size() + m_running;
}

void AsyncInvoker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
        m_items.clear();
        m_cv.notify_all();
    }
    for (auto& t : m_threads) {
        if (t.joinable()) t.join();
    }
}

void AsyncInvoker::work() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        if (m_stopping) return;
        auto now = std::chrono::steady_clock::now();
        auto due = std::find_if(m_items.begin(), m_items.end(),
                                [&](const Item& i) { return i.due <= now; });
        if (due == m_items.end()) {
            if (m_items.empty()) {
                m_cv.wait(lock);
            } else {
                auto next =
                    std::min_element(m_items.begin(), m_items.end(),
                                     [](const Item& a, const Item& b) { return a.due < b.due; });
                m_cv.wait_until(lock, next->due);
            }
            continue;
        }
        Item item = std::move(*due);
        m_items.erase(due);
        ++m_running;
        lock.unlock();
        model::Outcome outcome = item.pool->invoke(item.request);
        lock.lock();
        --m_running;
        if (outcome.failed() && item.attempt < m_max_retries && !m_stopping) {
            // A retry is the same event under the same request id, as the service redelivers it.
            ++item.attempt;
            item.due = std::chrono::steady_clock::now() + m_delay * (1 << (item.attempt - 1));
            m_items.push_back(std::move(item));
            m_cv.notify_one();
        }
    }
}

}  // namespace lambda_emu::frontend
