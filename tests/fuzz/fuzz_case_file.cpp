// Case files of `lambda-emu test` from text (testrun::parse_case_file), with loaders that touch
// no file: an event file holds a small JSON object ("missing" in its name: not found), a function
// named in a config is "fn" (an empty name: not found), and a bootstrap resolves to itself.
// "generate" runs the event generator on the case's arguments. Every case it accepts has a
// name of its own and an event that is JSON.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_input.h"
#include "model/json_codec.h"
#include "testrun/case_file.h"

namespace {

using namespace lambda_emu;

model::FunctionConfig function_at(const std::string& bootstrap) {
    model::FunctionConfig f;
    f.name = "fn";
    f.bootstrap = bootstrap;
    f.task_root = bootstrap.substr(0, bootstrap.rfind('/'));
    return f;
}

const testrun::Loaders& loaders() {
    static const testrun::Loaders l{
        [](const std::string& path_or_name) -> util::Result<std::string> {
            if (path_or_name.find("missing") != std::string::npos)
                return util::make_error(path_or_name + ": No such file or directory");
            return std::string(R"({"loaded":true,"size":)") + std::to_string(path_or_name.size()) +
                   "}";
        },
        [](const std::string& config_path,
           const std::string& name) -> util::Result<model::FunctionConfig> {
            if (name.empty()) return util::make_error(config_path + ": no function named ''");
            return function_at("/srv/lambda-emu-fuzz/build/bootstrap");
        },
        [](const std::string& bootstrap) -> util::Result<model::FunctionConfig> {
            return function_at(bootstrap);
        },
    };
    return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto file = testrun::parse_case_file(std::string(fuzz::as_text(data, size)),
                                         "/srv/lambda-emu-fuzz/tests/fuzz.test.json", loaders());
    if (!file) {
        FUZZ_CHECK(!file.error().message.empty());
        return 0;
    }
    FUZZ_CHECK(!file->cases.empty());
    std::set<std::string> names;
    for (const testrun::TestCase& c : file->cases) {
        FUZZ_CHECK(!c.name.empty());
        FUZZ_CHECK(names.insert(c.name).second);
        FUZZ_CHECK(model::validate_json(c.payload).ok());
    }
    return 0;
}
