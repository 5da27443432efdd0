// Splits a byte stream into lines. Lines longer than the cap are cut into pieces of the cap,
// so a handler that writes without newlines cannot grow the buffer without bound.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace lambda_emu::supervisor {

class LineSplitter {
  public:
    using LineFn = std::function<void(std::string_view)>;
    explicit LineSplitter(std::size_t max_line = 256 * 1024) : m_max_line(max_line) {}

    // Emits every complete line in data (without its '\n').
    void feed(std::string_view data, const LineFn& emit);
    // Emits the unterminated rest, if any.
    void finish(const LineFn& emit);

  private:
    std::size_t m_max_line;
    std::string m_partial;
};

}  // namespace lambda_emu::supervisor
