#include "frontend/function_directory.h"

namespace lambda_emu::frontend {

std::optional<InvokeTarget> FunctionDirectory::put(const std::string& name, InvokeTarget target) {
    std::optional<InvokeTarget> previous;
    {
        std::lock_guard lock(m_mutex);
        auto it = m_targets.find(name);
        if (it != m_targets.end()) previous = std::move(it->second);
        m_targets[name] = std::move(target);
    }
    m_cv.notify_all();
    return previous;
}

std::optional<InvokeTarget> FunctionDirectory::find(const std::string& name) const {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return !m_held.count(name); });
    auto it = m_targets.find(name);
    if (it == m_targets.end()) return std::nullopt;
    return it->second;
}

void FunctionDirectory::hold(const std::string& name) {
    std::lock_guard lock(m_mutex);
    m_held.insert(name);
}

void FunctionDirectory::release(const std::string& name) {
    {
        std::lock_guard lock(m_mutex);
        m_held.erase(name);
    }
    m_cv.notify_all();
}

std::vector<std::string> FunctionDirectory::names() const {
    std::lock_guard lock(m_mutex);
    std::vector<std::string> out;
    for (const auto& [name, target] : m_targets) out.push_back(name);
    return out;
}

std::vector<InvokeTarget> FunctionDirectory::targets() const {
    std::lock_guard lock(m_mutex);
    std::vector<InvokeTarget> out;
    for (const auto& [name, target] : m_targets) out.push_back(target);
    return out;
}

}  // namespace lambda_emu::frontend
