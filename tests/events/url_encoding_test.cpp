#include "events/url_encoding.h"

#include <gtest/gtest.h>

namespace lambda_emu::events {

TEST(S3KeyEncode, EncodesAsS3Notifications) {
    // Expected values from Python's urllib.parse.quote_plus(key, safe='/').
    EXPECT_EQ(s3_key_encode("photos/2024/Happy Face (1).jpg"),
              "photos/2024/Happy+Face+%281%29.jpg");
    EXPECT_EQ(s3_key_encode("a b/\xc3\xbcn\xc3\xaf~(1)+x&y=z?.jpg"),
              "a+b/%C3%BCn%C3%AF~%281%29%2Bx%26y%3Dz%3F.jpg");
    EXPECT_EQ(s3_key_encode("plain-key_1.txt"), "plain-key_1.txt");
}

TEST(S3KeyEncode, DecodesBackToTheKey) {
    std::string key = "dir/sub dir/100% real (copy) + more#1.png";
    EXPECT_EQ(url_decode(s3_key_encode(key), true), key);
}

TEST(QueryEncode, UsesPercentTwentyForSpaces) {
    EXPECT_EQ(query_encode("summer sale"), "summer%20sale");
    EXPECT_EQ(query_encode("a=b&c"), "a%3Db%26c");
}

TEST(UrlDecode, RefusesMalformedEscapes) {
    EXPECT_EQ(url_decode("a%2Cb", false), "a,b");
    EXPECT_EQ(url_decode("a+b", false), "a+b");
    EXPECT_EQ(url_decode("a+b", true), "a b");
    EXPECT_FALSE(url_decode("a%2", true).has_value());
    EXPECT_FALSE(url_decode("a%zz", true).has_value());
    EXPECT_FALSE(url_decode("%", true).has_value());
}

TEST(SplitQuery, KeepsOrderRepeatsAndEncoding) {
    auto parts = split_query("a=1&b=x%20y&&a=2&flag");
    ASSERT_EQ(parts.size(), 4u);
    EXPECT_EQ(parts[0], (std::pair<std::string, std::string>{"a", "1"}));
    EXPECT_EQ(parts[1], (std::pair<std::string, std::string>{"b", "x%20y"}));
    EXPECT_EQ(parts[2], (std::pair<std::string, std::string>{"a", "2"}));
    EXPECT_EQ(parts[3], (std::pair<std::string, std::string>{"flag", ""}));
    EXPECT_TRUE(split_query("").empty());
}

}  // namespace lambda_emu::events
