#include "util/random_id.h"

#include <cctype>
#include <cstdio>
#include <mutex>
#include <random>

namespace lambda_emu::util {

namespace {

std::uint64_t next_random() {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::lock_guard lock(mutex);
    return engine();
}

}  // namespace

std::string random_hex(std::size_t digits) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(digits);
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < digits; ++i) {
        if (i % 16 == 0) bits = next_random();
        out.push_back(k_digits[bits & 0xf]);
        bits >>= 4;
    }
    return out;
}

std::string new_uuid() {
    std::string hex = random_hex(32);
    hex[12] = '4';
    hex[16] = "89ab"[hex[16] % 4];
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
           hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

std::string new_trace_id(SystemTime now) {
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    char epoch[16];
    std::snprintf(epoch, sizeof epoch, "%08llx", static_cast<unsigned long long>(secs));
    return "Root=1-" + std::string(epoch) + "-" + random_hex(24) + ";Parent=" + random_hex(16) +
           ";Sampled=0";
}

bool is_uuid(std::string_view text) {
    if (text.size() != 36) return false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return false;
        } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return false;
        }
    }
    return true;
}

}  // namespace lambda_emu::util
