#include "events/build_context.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <random>

#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

std::uint64_t next_random() {
    static std::mutex mutex;
    static std::mt19937_64 engine{std::random_device{}()};
    std::lock_guard lock(mutex);
    return engine();
}

std::tm utc(util::SystemTime t) {
    std::time_t secs = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    ::gmtime_r(&secs, &tm);
    return tm;
}

bool is_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
}

bool is_lower_letters(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return c >= 'a' && c <= 'z'; });
}

// "us-east-1", "ap-southeast-2", "us-gov-west-1": letters, then words, then a number.
bool is_region(std::string_view text) {
    std::vector<std::string_view> parts;
    while (true) {
        std::size_t dash = text.find('-');
        parts.push_back(text.substr(0, dash));
        if (dash == std::string_view::npos) break;
        text.remove_prefix(dash + 1);
    }
    if (parts.size() < 3 || parts.front().size() != 2 || !is_digits(parts.back())) return false;
    return std::all_of(parts.begin(), parts.end() - 1, is_lower_letters);
}

}  // namespace

BuildContext::BuildContext(std::string type, const FieldValues& fields, util::SystemTime now)
    : m_type(std::move(type)),
      m_fields(fields),
      m_now(now),
      m_region(get("region", k_default_region)),
      m_account(get("account", k_default_account)) {}

bool BuildContext::has(const std::string& name) const { return m_fields.count(name) != 0; }

std::optional<std::string> BuildContext::find(const std::string& name) const {
    auto it = m_fields.find(name);
    if (it == m_fields.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::string BuildContext::get(const std::string& name, std::string_view fallback) const {
    auto value = find(name);
    return value ? *value : std::string(fallback);
}

std::vector<std::string> BuildContext::all(const std::string& name) const {
    auto it = m_fields.find(name);
    return it == m_fields.end() ? std::vector<std::string>{} : it->second;
}

util::Result<std::int64_t> BuildContext::integer(const std::string& name, std::int64_t fallback,
                                                 std::int64_t min, std::int64_t max) const {
    auto text = find(name);
    if (!text) return fallback;
    std::int64_t value = 0;
    std::size_t used = 0;
    try {
        value = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size()) {
        return util::make_error("--" + name + " " + *text + ": not a whole number");
    }
    if (value < min || value > max) {
        return util::make_error("--" + name + " " + *text + ": must be from " +
                                std::to_string(min) + " to " + std::to_string(max));
    }
    return value;
}

util::Result<Json> BuildContext::json(const std::string& name, std::string_view fallback) const {
    std::string text = get(name, fallback);
    try {
        return Json::parse(text);
    } catch (const Json::parse_error& e) {
        std::string why = e.what();
        std::size_t colon = why.find("parse error");
        return util::make_error("--" + name + ": not valid JSON (" +
                                (colon == std::string::npos ? why : why.substr(colon)) + ")");
    }
}

std::string BuildContext::arn(std::string_view service, std::string_view resource) const {
    return "arn:aws:" + std::string(service) + ":" + m_region + ":" + m_account + ":" +
           std::string(resource);
}

util::Status check_region_and_account(const BuildContext& context) {
    if (!is_region(context.region())) {
        return util::make_error("--region " + context.region() +
                                ": not a region name such as us-east-1 or eu-west-2");
    }
    const std::string& account = context.account();
    if (account.size() != 12 || !is_digits(account)) {
        return util::make_error("--account " + context.account() + ": must be 12 digits");
    }
    return util::Ok{};
}

std::string random_chars(std::string_view alphabet, std::size_t count) {
    std::string out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(alphabet[next_random() % alphabet.size()]);
    return out;
}

std::string random_upper_alnum(std::size_t count) {
    return random_chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", count);
}

std::string random_lower_alnum(std::size_t count) {
    return random_chars("abcdefghijklmnopqrstuvwxyz0123456789", count);
}

std::string random_upper_hex(std::size_t count) { return random_chars("0123456789ABCDEF", count); }

std::string random_digits(std::size_t count) {
    if (count == 0) return "";
    return random_chars("123456789", 1) + random_chars("0123456789", count - 1);
}

std::string random_bytes(std::size_t count) {
    std::string out;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back(static_cast<char>(next_random() & 0xff));
    return out;
}

std::string decimal_add(std::string digits, std::uint64_t n) {
    for (std::size_t i = digits.size(); i > 0 && n > 0; --i) {
        std::uint64_t sum = static_cast<std::uint64_t>(digits[i - 1] - '0') + n % 10;
        n /= 10;
        if (sum >= 10) {
            sum -= 10;
            ++n;
        }
        digits[i - 1] = static_cast<char>('0' + sum);
    }
    if (n > 0) digits.insert(0, std::to_string(n));
    return digits;
}

std::int64_t epoch_seconds(util::SystemTime t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string iso8601_seconds(util::SystemTime t) {
    std::tm tm = utc(t);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

std::string hex_epoch_seconds(util::SystemTime t) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%08llx", static_cast<unsigned long long>(epoch_seconds(t)));
    return buf;
}

std::string trace_root(util::SystemTime t) {
    return "Root=1-" + hex_epoch_seconds(t) + "-" + util::random_hex(24);
}

bool is_name(std::string_view text, std::size_t min, std::size_t max, std::string_view punctuation,
             bool lower_only) {
    if (text.size() < min || text.size() > max) return false;
    return std::all_of(text.begin(), text.end(), [&](unsigned char c) {
        bool letter = (c >= 'a' && c <= 'z') || (!lower_only && c >= 'A' && c <= 'Z');
        return letter || (c >= '0' && c <= '9') ||
               punctuation.find(static_cast<char>(c)) != std::string_view::npos;
    });
}

bool is_number_text(std::string_view text) {
    std::size_t i = 0;
    auto digits = [&] {
        std::size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        return i - start;
    };
    if (i < text.size() && text[i] == '-') ++i;
    std::size_t mantissa = digits();
    if (i < text.size() && text[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0) return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        if (digits() == 0) return false;
    }
    return i == text.size();
}

bool is_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        auto c = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        std::uint32_t code = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            extra = 1;
            code = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            extra = 2;
            code = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            extra = 3;
            code = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size()) return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            auto next = static_cast<unsigned char>(text[i + k]);
            if ((next & 0xc0) != 0x80) return false;
            code = (code << 6) | (next & 0x3f);
        }
        static constexpr std::uint32_t k_min[] = {0, 0x80, 0x800, 0x10000};
        if (code < k_min[extra] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

}  // namespace lambda_emu::events
