#include "model/function_config.h"

#include <gtest/gtest.h>

#include <string>

namespace lambda_emu::model {

TEST(ValidateFunctionName, AcceptsLettersDigitsDashAndUnderscore) {
    EXPECT_TRUE(validate_function_name("my-function_1").ok());
    EXPECT_TRUE(validate_function_name("a").ok());
    EXPECT_TRUE(validate_function_name("HelloWorld").ok());
    EXPECT_TRUE(validate_function_name("0123456789").ok());
    EXPECT_TRUE(validate_function_name(std::string(64, 'f')).ok());
}

TEST(ValidateFunctionName, RefusesEmptyOrLongerThan64) {
    auto empty = validate_function_name("");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().message, "function name '' must be 1 to 64 characters");
    EXPECT_FALSE(validate_function_name(std::string(65, 'f')).ok());
}

TEST(ValidateFunctionName, RefusesOtherCharacters) {
    auto dotted = validate_function_name("my.function");
    ASSERT_FALSE(dotted.ok());
    EXPECT_EQ(dotted.error().message,
              "function name 'my.function' may contain only letters, digits, '-' and '_'");
    EXPECT_FALSE(validate_function_name("has space").ok());
    EXPECT_FALSE(validate_function_name("slash/name").ok());
    EXPECT_FALSE(validate_function_name("colon:name").ok());
    EXPECT_FALSE(validate_function_name("caf\xc3\xa9").ok());
}

TEST(ValidateEnvKey, AcceptsOrdinaryKeys) {
    EXPECT_TRUE(validate_env_key("TABLE_NAME").ok());
    EXPECT_TRUE(validate_env_key("ab").ok());
    EXPECT_TRUE(validate_env_key("a1").ok());
    EXPECT_TRUE(validate_env_key("Log_Level_2").ok());
    // Prefixes of reserved names are not themselves reserved.
    EXPECT_TRUE(validate_env_key("AWS_REGION_NAME").ok());
    EXPECT_TRUE(validate_env_key("AWS_LAMBDA_CUSTOM").ok());
}

TEST(ValidateEnvKey, RefusesReservedKeys) {
    for (const char* key :
         {"AWS_REGION", "_HANDLER", "AWS_LAMBDA_RUNTIME_API", "AWS_DEFAULT_REGION",
          "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
          "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
          "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_ACCESS_KEY",
          "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "LAMBDA_TASK_ROOT",
          "LAMBDA_RUNTIME_DIR", "_X_AMZN_TRACE_ID"}) {
        EXPECT_FALSE(validate_env_key(key).ok()) << key;
    }
}

TEST(ValidateEnvKey, ReservedKeyMessageNamesTheKey) {
    auto status = validate_env_key("AWS_REGION");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message,
              "environment variable 'AWS_REGION' is reserved by Lambda and cannot be set");
}

TEST(ValidateEnvKey, RefusesMalformedKeys) {
    EXPECT_FALSE(validate_env_key("").ok());
    EXPECT_FALSE(validate_env_key("A").ok());     // one character
    EXPECT_FALSE(validate_env_key("1ABC").ok());  // starts with a digit
    EXPECT_FALSE(validate_env_key("9").ok());
    EXPECT_FALSE(validate_env_key("MY-KEY").ok());  // '-'
    EXPECT_FALSE(validate_env_key("MY KEY").ok());
    EXPECT_FALSE(validate_env_key("MY=KEY").ok());
    EXPECT_FALSE(validate_env_key("K\xc3\xa9").ok());
    auto status = validate_env_key("1ABC");
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message,
              "environment variable name '1ABC' must start with a letter, have at least 2 "
              "characters, and contain only letters, digits and '_'");
}

TEST(ValidateEnvSize, CountsKeysAndValuesUpTo4096Bytes) {
    EXPECT_TRUE(validate_env_size({}).ok());
    // 2 + 4094 = 4096 bytes: allowed.
    EnvList at_limit{{"AB", std::string(4094, 'x')}};
    EXPECT_TRUE(validate_env_size(at_limit).ok());
    // 4097 bytes: refused.
    EnvList over{{"AB", std::string(4095, 'x')}};
    auto status = validate_env_size(over);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().message,
              "environment variables total 4097 bytes; Lambda allows at most 4096");
}

TEST(ValidateEnvSize, SumsOverAllVariables) {
    EnvList two{{"K1", std::string(2046, 'a')}, {"K2", std::string(2046, 'b')}};  // 4096
    EXPECT_TRUE(validate_env_size(two).ok());
    two.emplace_back("K3", "");  // 4098
    EXPECT_FALSE(validate_env_size(two).ok());
}

TEST(FunctionConfig, ArnFromRegionAccountAndName) {
    FunctionConfig config;
    config.name = "hello";
    EXPECT_EQ(config.arn(), "arn:aws:lambda:us-east-1:000000000000:function:hello");
    config.region = "eu-west-3";
    config.account_id = "123456789012";
    config.name = "my-fn_2";
    EXPECT_EQ(config.arn(), "arn:aws:lambda:eu-west-3:123456789012:function:my-fn_2");
}

TEST(FunctionConfig, DefaultsMatchTheService) {
    FunctionConfig config;
    EXPECT_EQ(config.memory_mb, 128);
    EXPECT_EQ(config.timeout_s, 3);
    EXPECT_EQ(config.version, "$LATEST");
    EXPECT_EQ(config.initialization_type, "on-demand");
}

}  // namespace lambda_emu::model
