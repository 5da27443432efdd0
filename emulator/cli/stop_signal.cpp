#include "cli/stop_signal.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include "supervisor/process.h"

namespace lambda_emu::cli {

namespace {

// Held while a handler runs, so that set_stop_handler() returns only once no handler is running
// and the handler's captures may be destroyed.
std::mutex g_mutex;
std::function<void()> g_handler;

}  // namespace

void set_stop_handler(std::function<void()> handler) {
    std::lock_guard lock(g_mutex);
    g_handler = std::move(handler);
}

void install_stop_signal_thread() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([set] {
        bool asked = false;
        for (;;) {
            int sig = 0;
            if (sigwait(&set, &sig) != 0) continue;
            {
                std::lock_guard lock(g_mutex);
                if (g_handler && !asked) {
                    asked = true;
                    g_handler();
                    continue;
                }
            }
            supervisor::kill_all_process_groups();
            std::_Exit(128 + sig);
        }
    }).detach();
}

}  // namespace lambda_emu::cli
