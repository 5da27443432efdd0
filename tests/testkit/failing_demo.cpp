// Assertions that fail on purpose, for testkit_test to run as a child: the matchers must explain
// themselves, and no runtime may outlive this process even though tests fail midway.
#include <gtest/gtest.h>

#include <cstdlib>

#include "lambda_emu/gtest.h"

namespace {

using namespace lambda_emu::testkit;

std::string bootstrap() {
    const char* b = std::getenv("LAMBDA_EMU_DEMO_BOOTSTRAP");
    return b ? b : "bootstrap";
}

TEST(Demo, ACrashIsNotSuccess) {
    Function fn({.bootstrap = bootstrap()});
    ASSERT_THAT(fn.invoke(R"({"action":"crash"})"), Succeeded());
    ADD_FAILURE() << "not reached";
}

TEST(Demo, AWrongField) {
    Function fn({.bootstrap = bootstrap()});
    EXPECT_THAT(fn.invoke(R"({"action":"echo","n":1})"), HasJson("/n", 2));
}

TEST(Demo, AWarmInvocationHasNoInit) {
    Function fn({.bootstrap = bootstrap()});
    fn.invoke("{}");
    EXPECT_THAT(fn.invoke("{}"), InitUnder(std::chrono::milliseconds(1)));
}

TEST(Demo, TooMuchMemory) {
    Function fn({.bootstrap = bootstrap(), .memory_mb = 512});
    EXPECT_THAT(fn.invoke(R"({"action":"alloc","mb":64})"), MemoryUnderMb(16));
}

}  // namespace
