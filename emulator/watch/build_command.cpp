#include "watch/build_command.h"

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "supervisor/line_splitter.h"
#include "supervisor/process.h"

extern char** environ;

namespace lambda_emu::watch {

BuildResult BuildCommand::run(const std::function<void(const std::string& line)>& on_line) {
    auto started = std::chrono::steady_clock::now();
    BuildResult result;
    supervisor::SpawnSpec spec;
    spec.executable = "/bin/sh";
    spec.argv = {"/bin/sh", "-c", m_command};
    for (char** e = environ; e && *e; ++e) spec.env.emplace_back(*e);
    spec.working_dir = m_directory;
    auto child = supervisor::spawn(spec);
    if (!child) {
        result.failure = "cannot start /bin/sh: " + child.error().message;
        return result;
    }
    {
        std::lock_guard lock(m_mutex);
        if (m_cancelled) child->kill_and_reap();
        m_running = child->pid();
    }
    supervisor::LineSplitter out_lines;
    supervisor::LineSplitter err_lines;
    auto emit = [&](std::string_view line) { on_line(std::string(line)); };
    bool out_open = true;
    bool err_open = true;
    char buf[16 * 1024];
    while (out_open || err_open) {
        pollfd fds[2] = {{out_open ? child->stdout_fd().get() : -1, POLLIN, 0},
                         {err_open ? child->stderr_fd().get() : -1, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        for (int i = 0; i < 2; ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
            auto& lines = i == 0 ? out_lines : err_lines;
            if (n > 0) {
                lines.feed(std::string_view(buf, static_cast<std::size_t>(n)), emit);
            } else {
                lines.finish(emit);
                (i == 0 ? out_open : err_open) = false;
            }
        }
    }
    std::optional<supervisor::ExitStatus> status;
    while (!(status = child->try_reap())) {
        pollfd pfd{child->pidfd(), POLLIN, 0};
        ::poll(&pfd, 1, 100);
    }
    {
        std::lock_guard lock(m_mutex);
        m_running = -1;
        if (m_cancelled) result.failure = "cancelled";
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.ok = result.failure.empty() && !status->signaled && status->code == 0;
    if (result.failure.empty() && !result.ok) result.failure = status->describe();
    return result;
}

void BuildCommand::cancel() {
    std::lock_guard lock(m_mutex);
    m_cancelled = true;
    if (m_running > 0) ::kill(-m_running, SIGKILL);
}

}  // namespace lambda_emu::watch
