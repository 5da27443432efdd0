#include "config/config_file.h"

#include <gtest/gtest.h>

namespace lambda_emu::config {

namespace {

ConfigFile parse_ok(const std::string& text) {
    auto r = parse_config(text, "/srv/app/lambda-emu.json");
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r.value() : ConfigFile{};
}

std::string parse_error(const std::string& text) {
    auto r = parse_config(text, "/srv/app/lambda-emu.json");
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error().message;
}

}  // namespace

TEST(ConfigFile, ReadsEveryKeyAndResolvesPathsAgainstTheFile) {
    auto c = parse_ok(R"({"functions":[{
        "name":"orders","bootstrap":"target/lambda/orders","handler":"index.handler",
        "memory":512,"timeout":30,"environment":{"TABLE":"orders","STAGE":"dev"},
        "env_file":"orders.env","reserved_concurrency":5,"architecture":"arm64"}]})");
    ASSERT_EQ(c.functions.size(), 1u);
    const FunctionEntry& e = c.functions[0];
    EXPECT_EQ(e.function.name, "orders");
    EXPECT_EQ(e.function.bootstrap, "/srv/app/target/lambda/orders");
    EXPECT_EQ(e.function.handler, "index.handler");
    EXPECT_EQ(e.function.memory_mb, 512);
    EXPECT_EQ(e.function.timeout_s, 30);
    ASSERT_EQ(e.function.environment.size(), 2u);
    EXPECT_EQ(e.env_file, "/srv/app/orders.env");
    EXPECT_EQ(e.reserved_concurrency, 5);
    EXPECT_EQ(e.architecture, "arm64");
}

TEST(ConfigFile, DefaultsAreTheServices) {
    auto c = parse_ok(R"({"functions":[{"name":"f","bootstrap":"/abs/bootstrap"}]})");
    ASSERT_EQ(c.functions.size(), 1u);
    EXPECT_EQ(c.functions[0].function.bootstrap, "/abs/bootstrap");
    EXPECT_EQ(c.functions[0].function.memory_mb, 128);
    EXPECT_EQ(c.functions[0].function.timeout_s, 3);
    EXPECT_EQ(c.functions[0].function.handler, "bootstrap");
    EXPECT_EQ(c.functions[0].reserved_concurrency, 10);
    EXPECT_EQ(c.functions[0].architecture, "x86_64");
}

TEST(ConfigFile, ErrorsNameTheFileTheFunctionTheKeyAndTheReason) {
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","memory":100000}]})"),
              "/srv/app/lambda-emu.json: function 'f': memory: 100000 is out of range 128-10240");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","timeout":0}]})"),
              "/srv/app/lambda-emu.json: function 'f': timeout: 0 is out of range 1-900");
    EXPECT_NE(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","colour":"red"}]})")
                  .find("function 'f': unknown key 'colour' (known keys: "),
              std::string::npos);
    EXPECT_EQ(
        parse_error(R"({"functions":[{"name":"f","bootstrap":"b"},{"name":"f","bootstrap":"c"}]})"),
        "/srv/app/lambda-emu.json: functions[1]: name: duplicate function name 'f'");
    EXPECT_EQ(parse_error(R"({"functions":[{"bootstrap":"b"}]})"),
              "/srv/app/lambda-emu.json: functions[0]: 'name' is required");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f"}]})"),
              "/srv/app/lambda-emu.json: function 'f': 'bootstrap' is required");
    EXPECT_NE(parse_error(R"({"functions":[{"name":"bad name","bootstrap":"b"}]})")
                  .find("may contain only"),
              std::string::npos);
    EXPECT_EQ(
        parse_error(R"({"functions":[{"name":"f","bootstrap":"b","reserved_concurrency":0}]})"),
        "/srv/app/lambda-emu.json: function 'f': reserved_concurrency: 0 is out of range 1-1000");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","environment":{"K1":3}}]})"),
              "/srv/app/lambda-emu.json: function 'f': environment: K1: must be a string");
    EXPECT_EQ(parse_error(R"([1,2])"),
              "/srv/app/lambda-emu.json: top level: must be an object with a 'functions' array");
    EXPECT_EQ(parse_error("{\n  \"functions\": [,]\n}"),
              "/srv/app/lambda-emu.json: not valid JSON: line 2, column 17: syntax error while "
              "parsing value - unexpected ','; expected '[', '{', or a literal");
}

}  // namespace lambda_emu::config

namespace lambda_emu::config {

TEST(ConfigFile, ExtensionsAreResolvedAgainstTheFile) {
    auto c = parse_ok(R"({"functions":[{"name":"f","bootstrap":"b",
        "extensions":["exts/logger","/opt/extensions/agent"]}]})");
    ASSERT_EQ(c.functions.size(), 1u);
    EXPECT_EQ(c.functions[0].function.extensions,
              (std::vector<std::string>{"/srv/app/exts/logger", "/opt/extensions/agent"}));
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","extensions":"x"}]})"),
              "/srv/app/lambda-emu.json: function 'f': extensions: must be an array of paths");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","extensions":[""]}]})"),
              "/srv/app/lambda-emu.json: function 'f': extensions: must be a non-empty string");
}

TEST(ConfigFile, LoggingConfig) {
    auto c = parse_ok(R"({"functions":[{"name":"f","bootstrap":"b","log_format":"json",
        "log_level":"debug","system_log_level":"WARN"}]})");
    ASSERT_EQ(c.functions.size(), 1u);
    EXPECT_EQ(c.functions[0].function.log_format, "JSON");
    EXPECT_EQ(c.functions[0].function.application_log_level, "DEBUG");
    EXPECT_EQ(c.functions[0].function.system_log_level, "WARN");
    auto text = parse_ok(R"({"functions":[{"name":"f","bootstrap":"b","log_format":"Text"}]})");
    EXPECT_EQ(text.functions[0].function.log_format, "Text");
    auto none = parse_ok(R"({"functions":[{"name":"f","bootstrap":"b"}]})");
    EXPECT_EQ(none.functions[0].function.log_format, "");
    EXPECT_EQ(none.functions[0].function.application_log_level, "");
}

TEST(ConfigFile, LoggingConfigErrors) {
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","log_format":"XML"}]})"),
              "/srv/app/lambda-emu.json: function 'f': log_format: must be \"Text\" or \"JSON\"");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","log_level":"INFO"}]})"),
              "/srv/app/lambda-emu.json: function 'f': log_level: needs \"log_format\": "
              "\"JSON\" (the service filters by level only with the JSON log format)");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","log_format":"Text",
        "system_log_level":"INFO"}]})"),
              "/srv/app/lambda-emu.json: function 'f': system_log_level: needs \"log_format\": "
              "\"JSON\" (the service filters by level only with the JSON log format)");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","log_format":"JSON",
        "log_level":"VERBOSE"}]})"),
              "/srv/app/lambda-emu.json: function 'f': log_level: must be \"TRACE\", \"DEBUG\", "
              "\"INFO\", \"WARN\", \"ERROR\" or \"FATAL\"");
    EXPECT_EQ(parse_error(R"({"functions":[{"name":"f","bootstrap":"b","log_format":"JSON",
        "system_log_level":"ERROR"}]})"),
              "/srv/app/lambda-emu.json: function 'f': system_log_level: must be \"DEBUG\", "
              "\"INFO\" or \"WARN\"");
}

}  // namespace lambda_emu::config
