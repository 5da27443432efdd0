#include "floor_server.h"

#include <httplib.h>
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

#include "child_process.h"
#include "raw_http.h"
#include "stats.h"

namespace lambda_emu::harness {

int run_floor_server(int workers) {
    httplib::Server server;
    server.new_task_queue = [workers] {
        return new httplib::ThreadPool(static_cast<std::size_t>(workers));
    };
    server.set_tcp_nodelay(true);
    server.set_payload_max_length(std::size_t{16} * 1024 * 1024);
    server.set_read_timeout(std::chrono::seconds(30));
    server.set_keep_alive_timeout(60);
    server.set_keep_alive_max_count(100000);
    server.Post("/echo", [](const httplib::Request& req, httplib::Response& res) {
        res.set_content(req.body, "application/json");
    });
    int port = server.bind_to_any_port("127.0.0.1");
    if (port < 0) return 1;
    // The end of standard input (the harness closed it, or died) ends the process at once:
    // there is nothing to clean up, and httplib's stop() is lost if it comes before listening.
    std::thread([] {
        char buf[64];
        while (::read(0, buf, sizeof buf) > 0) {
        }
        std::_Exit(0);
    }).detach();
    int raw_port = start_raw_echo_server();
    if (raw_port < 0) return 1;
    std::printf("port %d raw %d\n", port, raw_port);
    std::fflush(stdout);
    server.listen_after_bind();
    return 0;
}

util::Result<std::unique_ptr<FloorServer>> FloorServer::start(const std::string& self, int workers,
                                                              bool tied) {
    auto in = util::make_pipe();
    auto out = util::make_pipe();
    if (!in || !out) return util::make_error("pipe");
    std::unique_ptr<FloorServer> server(new FloorServer());
    SpawnSpec spec;
    spec.argv = {self, k_floor_server_flag, std::to_string(workers)};
    spec.stdin_fd = in->read_end.get();
    spec.stdout_fd = out->write_end.get();
    spec.stderr_fd = 2;
    spec.tied = tied;
    auto started = Clock::now();
    server->m_pid = spawn(spec);
    if (server->m_pid < 0) return util::make_error("cannot start the floor server");
    server->m_stdin = std::move(in->write_end);
    in->read_end.reset();
    out->write_end.reset();

    std::string text;
    char buf[256];
    for (;;) {
        pollfd p{out->read_end.get(), POLLIN, 0};
        if (::poll(&p, 1, 10000) <= 0) return util::make_error("the floor server did not start");
        ssize_t n = ::read(out->read_end.get(), buf, sizeof buf);
        if (n <= 0) return util::make_error("the floor server exited");
        text.append(buf, static_cast<std::size_t>(n));
        if (text.find('\n') != std::string::npos) break;
    }
    server->m_startup_us = micros(started, Clock::now());
    if (std::sscanf(text.c_str(), "port %d raw %d", &server->m_port, &server->m_raw_port) != 2)
        return util::make_error("the floor server said: " + text);
    return server;
}

FloorServer::~FloorServer() {
    m_stdin.reset();
    if (m_pid > 0 && !wait_exit(m_pid, std::chrono::seconds(5))) {
        std::fprintf(stderr, "\nbench: the floor server did not stop within 5 s\n");
        terminate(m_pid, std::chrono::seconds(1));
    }
}

}  // namespace lambda_emu::harness
