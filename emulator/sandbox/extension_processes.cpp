#include "sandbox/extension_processes.h"

#include <signal.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <filesystem>
#include <thread>

#include "supervisor/memory_meter.h"
#include "supervisor/monitor.h"

namespace lambda_emu::sandbox {

namespace {

constexpr std::array<std::string_view, 10> k_withheld = {
    "AWS_EXECUTION_ENV",          "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_XRAY_CONTEXT_MISSING",
    "AWS_XRAY_DAEMON_ADDRESS",    "LAMBDA_RUNTIME_DIR",
    "LAMBDA_TASK_ROOT",           "_AWS_XRAY_DAEMON_ADDRESS",
    "_AWS_XRAY_DAEMON_PORT",      "_HANDLER"};

}  // namespace

std::vector<std::string> extension_environment(const std::vector<std::string>& runtime_env) {
    std::vector<std::string> out;
    for (const auto& entry : runtime_env) {
        std::string_view key = std::string_view(entry).substr(0, entry.find('='));
        if (std::find(k_withheld.begin(), k_withheld.end(), key) == k_withheld.end()) {
            out.push_back(entry);
        }
    }
    return out;
}

struct ExtensionProcesses::Process final : supervisor::MonitorListener {
    Process(ExtensionProcesses& owner, std::string name) : owner(owner), name(std::move(name)) {}

    void on_output(std::string_view line) override { owner.m_on_line(name, line); }
    void on_exit(const supervisor::ExitStatus& status) override {
        exited = true;
        owner.m_on_exit(name, status);
    }
    void on_sample(const supervisor::MemorySample&) override {}

    ExtensionProcesses& owner;
    std::string name;
    supervisor::ChildProcess child;
    supervisor::ProcMemoryMeter meter;  // unused: the sandbox measures the environment as a whole
    std::unique_ptr<supervisor::ProcessMonitor> monitor;
    std::atomic<bool> exited{false};
};

ExtensionProcesses::ExtensionProcesses(LineFn on_line, ExitFn on_exit)
    : m_on_line(std::move(on_line)), m_on_exit(std::move(on_exit)) {}

ExtensionProcesses::~ExtensionProcesses() { kill_all(); }

util::Status ExtensionProcesses::launch(const std::string& path,
                                        const std::vector<std::string>& env,
                                        const std::string& working_dir) {
    auto p = std::make_unique<Process>(*this, std::filesystem::path(path).filename().string());
    supervisor::SpawnSpec spec;
    spec.executable = path;
    spec.argv = {path};
    spec.env = env;
    spec.working_dir = working_dir;
    auto child = supervisor::spawn(spec);
    if (!child) return child.error();
    p->child = std::move(child.value());
    p->monitor = std::make_unique<supervisor::ProcessMonitor>(p->child, *p, p->meter,
                                                              std::chrono::milliseconds(100));
    m_processes.push_back(std::move(p));
    return util::Ok{};
}

std::vector<pid_t> ExtensionProcesses::pids() const {
    std::vector<pid_t> out;
    for (const auto& p : m_processes) out.push_back(p->child.pid());
    return out;
}

bool ExtensionProcesses::wait_exited(const util::Clock& clock, util::SteadyTime deadline) const {
    auto all_exited = [&] {
        return std::all_of(m_processes.begin(), m_processes.end(),
                           [](const auto& p) { return p->exited.load(); });
    };
    while (!all_exited()) {
        if (clock.steady_now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
}

void ExtensionProcesses::kill_except(const std::vector<std::string>& keep) {
    for (const auto& p : m_processes) {
        if (std::find(keep.begin(), keep.end(), p->name) == keep.end()) {
            p->child.signal_group(SIGKILL);
        }
    }
}

void ExtensionProcesses::flush() {
    for (const auto& p : m_processes) {
        if (p->monitor) p->monitor->flush();
    }
}

void ExtensionProcesses::kill_all() {
    for (const auto& p : m_processes) p->child.signal_group(SIGKILL);
    for (const auto& p : m_processes) {
        if (p->monitor) {
            p->monitor->flush();
            p->monitor->stop();
        }
        p->child.kill_and_reap();
    }
}

}  // namespace lambda_emu::sandbox
