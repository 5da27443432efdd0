// Owning file descriptors. An owned raw int is a bug: every descriptor lambda-emu opens lives in
// an Fd and is closed by its destructor.
#pragma once

#include <utility>

#include "util/result.h"

namespace lambda_emu::util {

class Fd {
  public:
    Fd() = default;
    explicit Fd(int fd) : m_fd(fd) {}
    Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    Fd& operator=(Fd&& other) noexcept {
        if (this != &other) reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    ~Fd() { reset(); }

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);

  private:
    int m_fd = -1;
};

struct Pipe {
    Fd read_end;
    Fd write_end;
};

// Both ends close-on-exec.
Result<Pipe> make_pipe();
Status set_nonblocking(int fd);
// A human-readable errno text, e.g. "No such file or directory".
std::string errno_text(int err);

}  // namespace lambda_emu::util
