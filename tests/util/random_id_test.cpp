#include "util/random_id.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace lambda_emu::util {

TEST(RandomId, UuidIsVersion4) {
    std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    std::set<std::string> seen;
    for (int i = 0; i < 1000; ++i) {
        std::string id = new_uuid();
        EXPECT_TRUE(std::regex_match(id, shape)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 1000u);
}

TEST(RandomId, TraceIdCarriesEpochSeconds) {
    SystemTime t{std::chrono::seconds(0x5bef4de7)};
    std::string trace = new_trace_id(t);
    std::regex shape("Root=1-5bef4de7-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0");
    EXPECT_TRUE(std::regex_match(trace, shape)) << trace;
}

}  // namespace lambda_emu::util
