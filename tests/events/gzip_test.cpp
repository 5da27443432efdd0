#include "events/gzip.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "util/base64.h"

namespace lambda_emu::events {

TEST(Gzip, RoundTrips) {
    for (const std::string& text :
         {std::string(), std::string("hello"), std::string(100000, 'x')}) {
        auto packed = gzip_compress(text);
        ASSERT_TRUE(packed.ok()) << packed.error().message;
        auto unpacked = gzip_decompress(*packed);
        ASSERT_TRUE(unpacked.ok()) << unpacked.error().message;
        EXPECT_EQ(*unpacked, text);
    }
}

TEST(Gzip, WritesAGzipMember) {
    auto packed = gzip_compress("some log data");
    ASSERT_TRUE(packed.ok());
    ASSERT_GE(packed->size(), 18u);
    EXPECT_EQ(static_cast<unsigned char>((*packed)[0]), 0x1f);  // RFC 1952 magic
    EXPECT_EQ(static_cast<unsigned char>((*packed)[1]), 0x8b);
    EXPECT_EQ((*packed)[2], 8);  // deflate
}

TEST(Gzip, ReadsTheFixturesCloudWatchLogsData) {
    // Written by another gzip, so this checks the reader independently of gzip_compress.
    std::ifstream in(std::string(LAMBDA_EMU_SOURCE_DIR) + "/fixtures/cloudwatch-logs.json");
    auto fixture = nlohmann::json::parse(in);
    auto packed = util::base64_decode(fixture["awslogs"]["data"].get<std::string>());
    ASSERT_TRUE(packed.has_value());
    auto text = gzip_decompress(*packed);
    ASSERT_TRUE(text.ok()) << text.error().message;
    auto data = nlohmann::json::parse(*text);
    EXPECT_EQ(data["messageType"], "DATA_MESSAGE");
    EXPECT_EQ(data["logEvents"].size(), 3u);
}

TEST(Gzip, RefusesWhatIsNotGzip) {
    EXPECT_FALSE(gzip_decompress("plain text").ok());
    auto packed = gzip_compress(std::string(1000, 'y'));
    ASSERT_TRUE(packed.ok());
    EXPECT_FALSE(gzip_decompress(packed->substr(0, packed->size() / 2)).ok());
}

}  // namespace lambda_emu::events
