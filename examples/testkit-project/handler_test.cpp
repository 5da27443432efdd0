// Tests of a Lambda handler (here: lambda-emu's C++ example) with lambda-emu's testkit.
#include <lambda_emu/gtest.h>
#include <lambda_emu/testkit.h>

#include <gtest/gtest.h>

using namespace lambda_emu::testkit;
using namespace std::chrono_literals;

TEST(Handler, EchoesItsEventAndStartsQuickly) {
    Function fn({.bootstrap = HANDLER_BOOTSTRAP, .memory_mb = 128});
    auto r = fn.invoke(R"({"action":"echo","order":42})", Start::cold);
    EXPECT_THAT(r, Succeeded());
    EXPECT_THAT(r, HasJson("/order", 42));
    EXPECT_THAT(r, InitUnder(2s));
    EXPECT_THAT(r, MemoryUnderMb(64));
}

TEST(Handler, AnswersApiGatewayWithA200) {
    Function fn({.bootstrap = HANDLER_BOOTSTRAP});
    auto r = fn.invoke_generated({"apigw", "--method", "POST", "--path", "/orders"});
    ASSERT_TRUE(r.http());
    EXPECT_EQ(r.http()->status, 200);
    EXPECT_EQ(r.http()->body, R"({"status":"ok"})");
}

TEST(Handler, ACrashIsRuntimeExitError) {
    Function fn({.bootstrap = HANDLER_BOOTSTRAP});
    EXPECT_THAT(fn.invoke(R"({"action":"crash"})"), FailedWith("Runtime.ExitError"));
    EXPECT_THAT(fn.invoke(R"({"action":"echo"})"), Succeeded()) << "a fresh environment answers";
}
