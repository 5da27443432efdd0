#include "events/build_context.h"

#include <gtest/gtest.h>

namespace lambda_emu::events {

namespace {

// 2024-06-11T14:23:05.318Z
util::SystemTime fixed_time() { return util::SystemTime{std::chrono::milliseconds(1718115785318)}; }

}  // namespace

TEST(BuildContext, ReadsFieldsWithFallbacks) {
    FieldValues fields = {
        {"count", {"7"}}, {"header", {"A: 1", "B: 2"}}, {"detail", {"{\"a\":1}"}}};
    BuildContext c("put", fields, fixed_time());
    EXPECT_EQ(c.type(), "put");
    EXPECT_EQ(c.region(), "us-east-1");
    EXPECT_EQ(c.account(), "123456789012");
    EXPECT_EQ(c.get("queue", "q"), "q");
    EXPECT_EQ(c.all("header"), (std::vector<std::string>{"A: 1", "B: 2"}));
    EXPECT_EQ(c.integer("count", 1, 1, 10).value(), 7);
    EXPECT_EQ(c.integer("size", 5, 0, 10).value(), 5);
    EXPECT_FALSE(c.integer("count", 1, 1, 5).ok());
    EXPECT_EQ(c.json("detail", "{}").value(), (Json{{"a", 1}}));
    EXPECT_EQ(c.arn("sqs", "q1"), "arn:aws:sqs:us-east-1:123456789012:q1");
}

TEST(BuildContext, ChecksRegionAndAccount) {
    for (std::string region : {"us-east-1", "ap-southeast-2", "us-gov-west-1", "eu-central-1"}) {
        FieldValues fields = {{"region", {region}}};
        EXPECT_TRUE(check_region_and_account(BuildContext("", fields, fixed_time())).ok())
            << region;
    }
    for (std::string region : {"us-east", "USEAST1", "us-east-x", "u-east-1", "us--1", ""}) {
        FieldValues fields = {{"region", {region}}};
        EXPECT_FALSE(check_region_and_account(BuildContext("", fields, fixed_time())).ok())
            << region;
    }
    for (std::string account : {"12345678901", "1234567890123", "12345678901x"}) {
        FieldValues fields = {{"account", {account}}};
        EXPECT_FALSE(check_region_and_account(BuildContext("", fields, fixed_time())).ok())
            << account;
    }
}

TEST(BuildContext, FormatsTimesAsTheServicesDo) {
    EXPECT_EQ(iso8601_seconds(fixed_time()), "2024-06-11T14:23:05Z");
    EXPECT_EQ(epoch_seconds(fixed_time()), 1718115785);
    EXPECT_EQ(hex_epoch_seconds(fixed_time()), "66685dc9");
    std::string root = trace_root(fixed_time());
    EXPECT_EQ(root.rfind("Root=1-66685dc9-", 0), 0u);
    EXPECT_EQ(root.size(), std::string("Root=1-66685dc9-").size() + 24);
}

TEST(BuildContext, AddsToDecimalStrings) {
    EXPECT_EQ(decimal_add("0999", 1), "1000");
    EXPECT_EQ(decimal_add("999", 1), "1000");
    EXPECT_EQ(decimal_add("49652857396823406413712364835582447829361039724375506946", 1209),
              "49652857396823406413712364835582447829361039724375508155");
    EXPECT_EQ(decimal_add("5", 0), "5");
}

TEST(BuildContext, MakesRandomTextOfTheAskedShape) {
    std::string digits = random_digits(30);
    EXPECT_EQ(digits.size(), 30u);
    EXPECT_NE(digits[0], '0');
    EXPECT_EQ(digits.find_first_not_of("0123456789"), std::string::npos);
    EXPECT_EQ(random_upper_hex(16).find_first_not_of("0123456789ABCDEF"), std::string::npos);
    EXPECT_EQ(random_lower_alnum(32).find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789"),
              std::string::npos);
    EXPECT_EQ(random_bytes(57).size(), 57u);
    EXPECT_NE(random_upper_alnum(20), random_upper_alnum(20));
}

TEST(BuildContext, ChecksNamesNumbersAndUtf8) {
    EXPECT_TRUE(is_name("my-queue_1", 1, 80, "_-"));
    EXPECT_FALSE(is_name("my queue", 1, 80, "_-"));
    EXPECT_FALSE(is_name("", 1, 80, "_-"));
    EXPECT_FALSE(is_name("Bucket", 3, 63, ".-", true));
    for (std::string n : {"0", "-12", "3.5", ".5", "5.", "1e-3", "-2.5E+10"}) {
        EXPECT_TRUE(is_number_text(n)) << n;
    }
    for (std::string n : {"", "-", ".", "abc", "1e", "1.2.3", "--1", "1 "}) {
        EXPECT_FALSE(is_number_text(n)) << n;
    }
    EXPECT_TRUE(is_utf8("plain"));
    EXPECT_TRUE(is_utf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
    EXPECT_FALSE(is_utf8("\xff"));
    EXPECT_FALSE(is_utf8("\xc3"));              // truncated
    EXPECT_FALSE(is_utf8("\xc0\xaf"));          // overlong
    EXPECT_FALSE(is_utf8("\xed\xa0\x80"));      // surrogate
    EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

}  // namespace lambda_emu::events
