// GoogleTest (gmock) matchers for lambda-emu testkit Results. On a mismatch they print why and
// the invocation's log tail.
//
//   EXPECT_THAT(fn.invoke(event), Succeeded());
//   EXPECT_THAT(fn.invoke(R"({"action":"crash"})"), FailedWith("Runtime.ExitError"));
//   EXPECT_THAT(fn.invoke_fixture("apigw"), HasJson("/statusCode", 200));
//   EXPECT_THAT(fn.invoke(event, Start::cold), InitUnder(std::chrono::milliseconds(50)));
//   EXPECT_THAT(r, MemoryUnderMb(64));
#pragma once

#include <gmock/gmock.h>

#include <chrono>
#include <ostream>
#include <string>

#include "lambda_emu/testkit.h"

namespace lambda_emu::testkit {

inline void PrintTo(const Result& r, std::ostream* os) {
    *os << "invocation " << r.request_id() << " (" << r.outcome() << ")";
}

namespace detail {
inline std::string tail_of(const Result& r) { return "\nlog tail:\n" + r.log_tail(); }
}  // namespace detail

MATCHER(Succeeded, negation ? "failed" : "succeeded") {
    if (arg.succeeded()) return true;
    *result_listener << "it failed: " << arg.error_type() << ": " << arg.error_message()
                     << detail::tail_of(arg);
    return false;
}

MATCHER_P(FailedWith, error_type,
          std::string(negation ? "did not fail with " : "failed with ") + error_type) {
    if (!arg.succeeded() && arg.error_type() == error_type) return true;
    if (arg.succeeded()) {
        *result_listener << "it succeeded with " << arg.payload();
    } else {
        *result_listener << "it failed with " << arg.error_type() << ": " << arg.error_message();
    }
    *result_listener << detail::tail_of(arg);
    return false;
}

MATCHER_P2(HasJson, pointer, expected,
           std::string(negation ? "has no " : "has ") + pointer + " = " +
               nlohmann::json(expected).dump()) {
    nlohmann::json doc = arg.json();
    if (doc.is_discarded()) {
        *result_listener << "the payload is not JSON: " << arg.payload() << detail::tail_of(arg);
        return false;
    }
    nlohmann::json::json_pointer at(pointer);
    if (!doc.contains(at)) {
        *result_listener << pointer << " is missing from " << arg.payload() << detail::tail_of(arg);
        return false;
    }
    if (doc.at(at) == nlohmann::json(expected)) return true;
    *result_listener << pointer << " is " << doc.at(at).dump() << detail::tail_of(arg);
    return false;
}

MATCHER_P(InitUnder, limit,
          std::string(negation ? "Init Duration not under " : "Init Duration under ") +
              std::to_string(std::chrono::duration<double, std::milli>(limit).count()) + " ms") {
    double max_ms = std::chrono::duration<double, std::milli>(limit).count();
    const auto& init = arg.metrics().init_duration_ms;
    if (!init) {
        *result_listener << "it had no Init Duration (a warm invocation; use Start::cold)"
                         << detail::tail_of(arg);
        return false;
    }
    if (*init < max_ms) return true;
    *result_listener << "Init Duration was " << *init << " ms" << detail::tail_of(arg);
    return false;
}

MATCHER_P(MemoryUnderMb, mb,
          std::string(negation ? "Max Memory Used not under " : "Max Memory Used under ") +
              std::to_string(mb) + " MB") {
    if (arg.metrics().max_memory_used_mb < mb) return true;
    *result_listener << "Max Memory Used was " << arg.metrics().max_memory_used_mb << " MB"
                     << detail::tail_of(arg);
    return false;
}

}  // namespace lambda_emu::testkit
