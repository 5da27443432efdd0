#include "util/fd.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lambda_emu::util {

void Fd::reset(int fd) {
    if (m_fd >= 0) ::close(m_fd);
    m_fd = fd;
}

Result<Pipe> make_pipe() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return make_error("pipe: " + errno_text(errno));
    return Pipe{Fd(fds[0]), Fd(fds[1])};
}

Status set_nonblocking(int fd) {
    int flags = ::fcntl(fd, F_GETFL);
    if (flags < 0 || ::fcntl(fd, F_SETFL, flags | O_NONBLOCK) != 0) {
        return make_error("fcntl: " + errno_text(errno));
    }
    return Ok{};
}

std::string errno_text(int err) {
    char buf[256];
    return ::strerror_r(err, buf, sizeof buf);
}

}  // namespace lambda_emu::util
