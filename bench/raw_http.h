// The least HTTP/1.1 that can carry an invocation, over plain sockets: a keep-alive client
// connection (TCP_NODELAY, each request in one writev, Content-Length bodies) and an echo
// server (a thread per connection). They show what this machine allows below any HTTP library.
#pragma once

#include <string>

#include "util/fd.h"

namespace lambda_emu::harness {

class RawHttpConnection {
  public:
    explicit RawHttpConnection(int port) : m_port(port) {}
    // POSTs `body` to `path`; the response's status and body. False on a transport failure or a
    // response it cannot read (chunked).
    bool post(const std::string& path, const std::string& body, int& status, std::string& out);
    const std::string& error() const { return m_error; }

  private:
    bool connect_socket();
    bool fail(std::string what);
    int m_port;
    util::Fd m_fd;
    std::string m_buf;
    std::string m_head;
    std::string m_error;
};

// Serves POST requests on 127.0.0.1:<returned port> by echoing their body, until the process
// ends; -1 when it cannot listen.
// A listening TCP socket on 127.0.0.1 at a port the system picks (written to `port`); an
// invalid Fd when it cannot listen.
util::Fd listen_on_loopback(int backlog, int& port);

int start_raw_echo_server();

}  // namespace lambda_emu::harness
