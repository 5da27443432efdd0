#include "cli/stop_signal.h"

#include <pthread.h>
#include <signal.h>

#include <cstdlib>
#include <mutex>
#include <thread>

#include "supervisor/process.h"

namespace lambda_emu::cli {

namespace {

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
            std::function<void()> handler;
            {
                std::lock_guard lock(g_mutex);
                handler = g_handler;
            }
            if (handler && !asked) {
                asked = true;
                handler();
                continue;
            }
            supervisor::kill_all_process_groups();
            std::_Exit(128 + sig);
        }
    }).detach();
}

}  // namespace lambda_emu::cli
