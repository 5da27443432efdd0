// lambda-emu.json from text (config::parse_config): functions, APIs and their route keys. A file
// it accepts must hold what it promises: unique function names, routes to known functions, keys
// that check_route_key accepts, and distinct base paths.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "config/config_file.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace lambda_emu;
    auto config = config::parse_config(std::string(fuzz::as_text(data, size)),
                                       "/srv/lambda-emu-fuzz/lambda-emu.json");
    if (!config) {
        FUZZ_CHECK(!config.error().message.empty());
        return 0;
    }
    FUZZ_CHECK(!config->functions.empty());
    std::set<std::string> names;
    for (const config::FunctionEntry& f : config->functions) {
        FUZZ_CHECK(names.insert(f.function.name).second);
        FUZZ_CHECK(!f.function.bootstrap.empty() && f.function.bootstrap.front() == '/');
        FUZZ_CHECK(f.reserved_concurrency >= 1 &&
                   f.reserved_concurrency <= config::k_max_reserved_concurrency);
    }
    std::set<std::string> base_paths;
    for (const config::ApiEntry& api : config->apis) {
        FUZZ_CHECK(base_paths.insert(api.base_path).second);
        FUZZ_CHECK(!api.routes.empty());
        for (const config::Route& route : api.routes) {
            FUZZ_CHECK(names.count(route.function) == 1);
            FUZZ_CHECK(config::check_route_key(api.type, route.key).ok());
        }
    }
    return 0;
}
