#include "cli/inputs.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <vector>

#include "cli/usage_error.h"
#include "model/json_codec.h"
#include "util/fd.h"

namespace lambda_emu::cli {

namespace fs = std::filesystem;

Bootstrap resolve_bootstrap(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::absolute(path, ec);
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) {
        throw UsageError("bootstrap " + path + ": " + util::errno_text(errno));
    }
    if (S_ISDIR(st.st_mode)) {
        p /= "bootstrap";
        if (::stat(p.c_str(), &st) != 0) {
            throw UsageError("bootstrap " + path + ": the directory has no 'bootstrap' file");
        }
    }
    if (!S_ISREG(st.st_mode)) throw UsageError("bootstrap " + p.string() + ": not a regular file");
    if (::access(p.c_str(), X_OK) != 0) {
        throw UsageError("bootstrap " + p.string() + ": not executable (chmod +x it)");
    }
    p = p.lexically_normal();
    return {p.string(), p.parent_path().string()};
}

namespace {

// Where the fixtures are: beside the source tree lambda-emu was built from, or installed next to
// the executable (<prefix>/bin/lambda-emu, <prefix>/share/lambda-emu/fixtures).
std::vector<fs::path> fixture_dirs() {
    std::vector<fs::path> dirs;
#ifdef LAMBDA_EMU_FIXTURES_DIR
    dirs.emplace_back(LAMBDA_EMU_FIXTURES_DIR);
#endif
    std::error_code ec;
    fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) dirs.push_back(self.parent_path().parent_path() / "share" / "lambda-emu" / "fixtures");
    return dirs;
}

// A fixture's short name ("sqs", "s3-put") names fixtures/<name>.json.
std::optional<fs::path> fixture_named(const std::string& name) {
    if (name.empty() || name.find('/') != std::string::npos ||
        name.find('.') != std::string::npos) {
        return std::nullopt;
    }
    for (const auto& dir : fixture_dirs()) {
        fs::path candidate = dir / (name + ".json");
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec)) return candidate;
    }
    return std::nullopt;
}

std::string fixture_names() {
    std::vector<std::string> names;
    for (const auto& dir : fixture_dirs()) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(dir, ec)) {
            if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
        }
        if (!names.empty()) break;
    }
    std::sort(names.begin(), names.end());
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

}  // namespace

std::string read_event_file(const std::string& path) {
    std::string text;
    std::string name = path == "-" ? "standard input" : path;
    if (path == "-") {
        text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
        std::error_code ec;
        fs::path file = path;
        if (!fs::exists(file, ec)) {
            auto fixture = fixture_named(path);
            if (!fixture) {
                std::string known = fixture_names();
                throw UsageError("event " + path + ": No such file or directory" +
                                 (known.empty() ? "" : " (nor a fixture name: " + known + ")"));
            }
            file = *fixture;
        }
        if (fs::is_directory(file, ec)) throw UsageError("event " + path + ": is a directory");
        std::ifstream in(file, std::ios::binary);
        if (!in) throw UsageError("event " + path + ": " + util::errno_text(errno));
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (auto st = model::validate_json(text); !st) {
        throw UsageError("event " + name + " is not valid JSON: " + st.error().message);
    }
    return text;
}

std::string check_payload(const std::string& json) {
    if (auto st = model::validate_json(json); !st) {
        throw UsageError("--payload is not valid JSON: " + st.error().message);
    }
    return json;
}

std::pair<std::string, std::string> parse_env_assignment(const std::string& text,
                                                         const std::string& where) {
    auto eq = text.find('=');
    if (eq == std::string::npos) {
        throw UsageError(where + ": '" + text + "' is not KEY=VALUE");
    }
    std::string key = text.substr(0, eq);
    if (auto st = model::validate_env_key(key); !st)
        throw UsageError(where + ": " + st.error().message);
    return {key, text.substr(eq + 1)};
}

model::EnvList read_env_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw UsageError("--env-file " + path + ": " + util::errno_text(errno));
    model::EnvList out;
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#') continue;
        line = line.substr(first);
        if (line.rfind("export ", 0) == 0) line = line.substr(7);
        auto [key, value] = parse_env_assignment(line, path + ":" + std::to_string(number));
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
            value.back() == value.front()) {
            value = value.substr(1, value.size() - 2);
        }
        out.emplace_back(std::move(key), std::move(value));
    }
    return out;
}

}  // namespace lambda_emu::cli
