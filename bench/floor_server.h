// The floor of the warm and large-payload scenarios: a plain cpp-httplib server that echoes
// POST /echo, with the settings of lambda-emu's client-facing listener (a worker pool,
// TCP_NODELAY, the same body limit and keep-alive), run as a child process (the harness's own
// binary with --floor-server) so that, as with lambda-emu, client and server are two processes.
// The same process also serves raw_http's echo on a second port (what no library costs).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>

#include "util/fd.h"
#include "util/result.h"

namespace lambda_emu::harness {

inline constexpr const char* k_floor_server_flag = "--floor-server";

// The --floor-server mode: serves until standard input reaches its end; prints "port N raw M".
int run_floor_server(int workers);

class FloorServer {
  public:
    // tied: as a child that ends with the harness (fork+exec); otherwise a plain posix_spawn, for
    // timing its start-up like lambda-emu's.
    static util::Result<std::unique_ptr<FloorServer>> start(const std::string& self, int workers,
                                                            bool tied = true);
    ~FloorServer();
    FloorServer(const FloorServer&) = delete;
    FloorServer& operator=(const FloorServer&) = delete;

    int port() const { return m_port; }
    int raw_port() const { return m_raw_port; }
    pid_t pid() const { return m_pid; }
    // From the spawn until its port was read.
    double startup_us() const { return m_startup_us; }

  private:
    FloorServer() = default;
    pid_t m_pid = -1;
    util::Fd m_stdin;  // closing it stops the server
    int m_port = 0;
    int m_raw_port = 0;
    double m_startup_us = 0;
};

}  // namespace lambda_emu::harness
