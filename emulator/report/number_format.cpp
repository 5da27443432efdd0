#include "report/number_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <string>
#include <system_error>

namespace lambda_emu::report {

// std::to_chars: locale-independent, and with a precision it rounds as printf does.
std::string format_fixed(double v, int decimals) {
    // Sign, the 309 integer digits of the largest double, the point, the decimals.
    std::string buf(320 + static_cast<std::size_t>(std::max(decimals, 0)), '\0');
    const auto r =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed, decimals);
    if (r.ec != std::errc()) return k_no_figure;
    buf.resize(static_cast<std::size_t>(r.ptr - buf.data()));
    return buf;
}

std::string format_figure(double v, int decimals) {
    if (!std::isfinite(v)) return k_no_figure;
    std::string s = format_fixed(v, decimals);
    // "-0.00" is a zero.
    if (!s.empty() && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

std::string format_trimmed(double v, int max_decimals) {
    std::string s = format_figure(v, max_decimals);
    if (s.find('.') != std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
}

}  // namespace lambda_emu::report
