// What a builder of one event source sees: the type, the fields given, the time, the account and
// region; plus the small value makers the builders share. Internal to events/.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/generator.h"
#include "util/clock.h"
#include "util/result.h"

namespace lambda_emu::events {

// Keys keep the order the builders give them, as in the service's own events.
using Json = nlohmann::ordered_json;

inline constexpr std::string_view k_default_region = "us-east-1";
inline constexpr std::string_view k_default_account = "123456789012";

class BuildContext {
  public:
    BuildContext(std::string type, const FieldValues& fields, util::SystemTime now);

    const std::string& type() const { return m_type; }
    util::SystemTime now() const { return m_now; }
    const std::string& region() const { return m_region; }
    const std::string& account() const { return m_account; }

    bool has(const std::string& name) const;
    // The value given for the field, or fallback.
    std::string get(const std::string& name, std::string_view fallback) const;
    std::optional<std::string> find(const std::string& name) const;
    // Every value of a repeatable field, in order.
    std::vector<std::string> all(const std::string& name) const;
    // An integer field within [min, max].
    util::Result<std::int64_t> integer(const std::string& name, std::int64_t fallback,
                                       std::int64_t min, std::int64_t max) const;
    // A field holding JSON text (fallback when absent).
    util::Result<Json> json(const std::string& name, std::string_view fallback) const;

    // "arn:aws:<service>:<region>:<account>:<resource>"
    std::string arn(std::string_view service, std::string_view resource) const;

  private:
    std::string m_type;
    const FieldValues& m_fields;
    util::SystemTime m_now;
    std::string m_region;
    std::string m_account;
};

// Checks --region and --account; the error names the field.
util::Status check_region_and_account(const BuildContext& context);

// Random text.
std::string random_chars(std::string_view alphabet, std::size_t count);
std::string random_upper_alnum(std::size_t count);  // A-Z 0-9
std::string random_lower_alnum(std::size_t count);  // a-z 0-9
std::string random_upper_hex(std::size_t count);
std::string random_digits(std::size_t count);  // no leading zero
std::string random_bytes(std::size_t count);
// A decimal digit string plus n, same width or one digit longer.
std::string decimal_add(std::string digits, std::uint64_t n);

// Times.
std::int64_t epoch_seconds(util::SystemTime t);
// "2024-06-11T21:45:09Z" (EventBridge)
std::string iso8601_seconds(util::SystemTime t);
// "Root=1-<8 hex epoch seconds>-<24 hex>" (X-Amzn-Trace-Id header)
std::string trace_root(util::SystemTime t);
// Lower-case 8-digit hex of the epoch seconds.
std::string hex_epoch_seconds(util::SystemTime t);

// Whether text has min to max characters, each a letter, a digit or one of punctuation (letters
// only lower-case when lower_only).
bool is_name(std::string_view text, std::size_t min, std::size_t max, std::string_view punctuation,
             bool lower_only = false);
// Whether text is a decimal number such as -12, 3.5, .5 or 1e-3.
bool is_number_text(std::string_view text);

// Whether text is valid UTF-8.
bool is_utf8(std::string_view text);

}  // namespace lambda_emu::events
