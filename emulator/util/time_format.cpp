#include "util/time_format.h"

#include <cstdio>
#include <ctime>

namespace lambda_emu::util {

namespace {

std::tm utc(SystemTime t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    return tm;
}

}  // namespace

std::int64_t epoch_ms(SystemTime t) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

std::string iso8601_ms(SystemTime t) {
    std::tm tm = utc(t);
    long ms = static_cast<long>(epoch_ms(t) % 1000);
    if (ms < 0) ms += 1000;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
    return buf;
}

std::string date_slashes(SystemTime t) {
    std::tm tm = utc(t);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d/%02d/%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    return buf;
}

}  // namespace lambda_emu::util
