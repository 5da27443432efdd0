// The functions being served, by name: what the Invoke API and the HTTP front ends invoke.
// `watch` replaces a function's pool after a rebuild and holds requests while it builds.
// Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pool/function_pool.h"
#include "report/tail_sink.h"

namespace lambda_emu::frontend {

struct InvokeTarget {
    std::shared_ptr<pool::FunctionPool> pool;
    report::TailSink* tail = nullptr;  // for X-Amz-Log-Type: Tail and the front ends' notices
};

class FunctionDirectory {
  public:
    // Adds the function, or replaces its target; returns the target it replaced, if any.
    std::optional<InvokeTarget> put(const std::string& name, InvokeTarget target);
    // The function's target, waiting while it is held; nullopt for an unknown name.
    std::optional<InvokeTarget> find(const std::string& name) const;
    // From hold() to release(), find() of the function waits (a rebuild is under way).
    void hold(const std::string& name);
    void release(const std::string& name);
    std::vector<std::string> names() const;
    std::vector<InvokeTarget> targets() const;

  private:
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_cv;
    std::map<std::string, InvokeTarget> m_targets;
    std::set<std::string> m_held;
};

}  // namespace lambda_emu::frontend
