#include "frontend/function_name.h"

#include <gtest/gtest.h>

namespace lambda_emu::frontend {

TEST(FunctionName, AcceptsEveryFormTheInvokeApiDoes) {
    struct Case {
        std::string text, name, qualifier;
    };
    for (const Case& c : std::vector<Case>{
             {"orders", "orders", ""},
             {"orders:live", "orders", "live"},
             {"orders:$LATEST", "orders", "$LATEST"},
             {"arn:aws:lambda:us-east-1:123456789012:function:orders", "orders", ""},
             {"arn:aws:lambda:eu-west-1:123456789012:function:orders:7", "orders", "7"},
             {"123456789012:function:orders", "orders", ""},
             {"123456789012:function:orders:live", "orders", "live"},
         }) {
        auto ref = parse_function_ref(c.text);
        ASSERT_TRUE(ref.has_value()) << c.text;
        EXPECT_EQ(ref->name, c.name) << c.text;
        EXPECT_EQ(ref->qualifier, c.qualifier) << c.text;
    }
}

TEST(FunctionName, RefusesMalformedForms) {
    for (const char* text : {"", ":", "orders:", ":live", "a:b:c", "arn:aws:s3:::bucket",
                             "arn:aws:lambda:us-east-1:1:layer:x", "1:function:a:b:c"}) {
        EXPECT_FALSE(parse_function_ref(text).has_value()) << text;
    }
}

}  // namespace lambda_emu::frontend
