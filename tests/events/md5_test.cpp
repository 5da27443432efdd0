#include "events/md5.h"

#include <gtest/gtest.h>

namespace lambda_emu::events {

TEST(Md5, MatchesRfc1321TestSuite) {
    // RFC 1321, appendix A.5.
    EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
    EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
    EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
    EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
              "d174ab98d277d9f5a5611c2c9f419d9f");
    EXPECT_EQ(md5_hex("1234567890123456789012345678901234567890123456789012345678901234567890"
                      "1234567890"),
              "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, PadsCorrectlyAroundBlockBoundaries) {
    // Lengths where the padding needs one block, exactly fills one, or spills into a second
    // (values from Python's hashlib).
    EXPECT_EQ(md5_hex(std::string(55, 'a')), "ef1772b6dff9a122358552954ad0df65");
    EXPECT_EQ(md5_hex(std::string(56, 'a')), "3b0c8ac703f828b04c6c197006d17218");
    EXPECT_EQ(md5_hex(std::string(63, 'a')), "b06521f39153d618550606be297466d5");
    EXPECT_EQ(md5_hex(std::string(64, 'a')), "014842d480b571495a4a0363793f7367");
    EXPECT_EQ(md5_hex(std::string(65, 'a')), "c743a45e0d2e6a95cb859adae0248435");
    EXPECT_EQ(md5_hex(std::string(119, 'a')), "8a7bd0732ed6a28ce75f6dabc90e1613");
    EXPECT_EQ(md5_hex(std::string(120, 'a')), "5f61c0ccad4cac44c75ff505e1f1e537");
    EXPECT_EQ(md5_hex(std::string(128, 'a')), "e510683b3f5ffe4093d021808bc6ff70");
    EXPECT_EQ(md5_hex(std::string(1'000'000, 'a')), "7707d6ae4e027c70eea2a935c2296f21");
}

TEST(Md5, HashesBytesNotCharacters) {
    EXPECT_EQ(md5_hex("h\xc3\xa9llo w\xc3\xb6rld"), "ed0c22cc110ede12327851863c078138");
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    EXPECT_EQ(md5_hex(all), "e2c865db4162bed963bfaa9ef6ac18f0");
}

TEST(Md5, MatchesTheFixturesSqsBodies) {
    // fixtures/sqs.json was written with real MD5s of its bodies.
    EXPECT_EQ(md5_hex(R"({"orderId":"ord-7Q2MA1B8","customerId":"cus-20917","total":12.5,)"
                      R"("currency":"USD","status":"PLACED"})"),
              "56c568bf8684643ea26bec0f9b3fa92f");
}

}  // namespace lambda_emu::events
