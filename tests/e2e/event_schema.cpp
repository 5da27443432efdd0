#include "e2e/event_schema.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e/run_command.h"

// Defined for e2e_test by tests/e2e/node_ric.cmake.
#ifndef LAMBDA_EMU_NODE_MODULES
#define LAMBDA_EMU_NODE_MODULES ""
#endif
#ifndef LAMBDA_EMU_NODE_BIN
#define LAMBDA_EMU_NODE_BIN ""
#endif
#ifndef LAMBDA_EMU_NODE_MISSING_REASON
#define LAMBDA_EMU_NODE_MISSING_REASON "tests/e2e/node_ric.cmake was not included in this build"
#endif
#ifndef LAMBDA_EMU_POWERTOOLS_PARSER_VERSION
#define LAMBDA_EMU_POWERTOOLS_PARSER_VERSION "?"
#endif
#ifndef LAMBDA_EMU_ZOD_VERSION
#define LAMBDA_EMU_ZOD_VERSION "?"
#endif

namespace lambda_emu::testing {

namespace {

namespace fs = std::filesystem;

const std::string k_parser = std::string("@aws-lambda-powertools/parser@") +
                             LAMBDA_EMU_POWERTOOLS_PARSER_VERSION + " (with zod@" +
                             LAMBDA_EMU_ZOD_VERSION + ")";

std::string trimmed(std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
}

}  // namespace

std::string event_schema_validator_missing() {
    const std::string reason = LAMBDA_EMU_NODE_MISSING_REASON;
    if (!reason.empty()) {
        return k_parser + " is not installed: " + reason +
               " (install Debian's nodejs and npm, then reconfigure)";
    }
    const std::string node = LAMBDA_EMU_NODE_BIN;
    if (node.empty() || ::access(node.c_str(), X_OK) != 0) {
        return "node is missing ('" + node + "'): install Debian's nodejs, then reconfigure";
    }
    const fs::path modules = LAMBDA_EMU_NODE_MODULES;
    for (const fs::path& package : {modules / "@aws-lambda-powertools" / "parser" / "package.json",
                                    modules / "zod" / "package.json"}) {
        if (!fs::exists(package)) {
            return k_parser + " is not installed: " + package.string() +
                   " is missing: build the node_ric_install target (tests/e2e/node_ric.cmake)";
        }
    }
    return "";
}

std::string event_schema_problems(const std::string& schema, const std::string& json_text) {
    if (auto missing = event_schema_validator_missing(); !missing.empty()) {
        return "cannot check the event against " + schema + ": " + missing;
    }
    auto r = run_command({LAMBDA_EMU_NODE_BIN, source_path("tests/e2e/powertools/validate.mjs"),
                          LAMBDA_EMU_NODE_MODULES, schema, "-"},
                         json_text, std::chrono::seconds(60));
    const std::string what = "validate.mjs " + schema;
    if (r.timed_out) return what + " timed out; stderr: " + r.err;
    switch (r.exit_code) {
        case 0:
            if (trimmed(r.out) == "ok") return "";
            return what + " exited 0 without saying ok: stdout: " + r.out + " stderr: " + r.err;
        case 1:
            // The schema's issues; a script that crashed exits 1 too, with nothing on stdout.
            if (!trimmed(r.out).empty()) return trimmed(r.out);
            return what + " failed: " + trimmed(r.err);
        case 2:
            return what + ": usage error: " + trimmed(r.err);
        case 3:
            return k_parser + " cannot be loaded from " + LAMBDA_EMU_NODE_MODULES + ": " +
                   trimmed(r.err) +
                   " (build the node_ric_install target, tests/e2e/node_ric.cmake)";
        default:
            return what + " exited " + std::to_string(r.exit_code) + ": stdout: " + r.out +
                   " stderr: " + r.err;
    }
}

}  // namespace lambda_emu::testing
