#include "cli/extensions.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "cli/usage_error.h"

namespace lambda_emu::cli {

namespace {

namespace fs = std::filesystem;

bool executable_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0;
}

}  // namespace

std::vector<std::string> discover_extensions(const std::string& task_root) {
    const fs::path dir = fs::path(task_root) / "extensions";
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) return {};
    std::vector<std::string> found;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (executable_file(it->path()))
            found.push_back(fs::absolute(it->path()).lexically_normal().string());
    }
    if (ec) throw UsageError(dir.string() + ": " + ec.message());
    std::sort(found.begin(), found.end(), [](const std::string& a, const std::string& b) {
        return fs::path(a).filename() < fs::path(b).filename();
    });
    if (found.size() > k_max_extensions) {
        throw UsageError(dir.string() + ": " + std::to_string(found.size()) +
                         " extensions; a function may have at most " +
                         std::to_string(k_max_extensions));
    }
    return found;
}

std::string check_extension(const std::string& path, const std::string& where) {
    std::error_code ec;
    const fs::path p(path);
    auto st = fs::status(p, ec);
    if (ec || !fs::exists(st)) throw UsageError(where + " " + path + ": No such file");
    if (!fs::is_regular_file(st))
        throw UsageError(where + " " + path +
                         ": not a regular file (an extension is an executable)");
    if (::access(p.c_str(), X_OK) != 0)
        throw UsageError(where + " " + path + ": not executable (chmod +x it)");
    return fs::absolute(p).lexically_normal().string();
}

std::vector<std::string> function_extensions(const std::string& task_root,
                                             const std::vector<std::string>& named,
                                             const std::string& where) {
    std::vector<std::string> all = discover_extensions(task_root);
    const std::size_t discovered = all.size();
    for (const auto& path : named) all.push_back(check_extension(path, where));
    if (all.size() > k_max_extensions) {
        throw UsageError(where + ": " + std::to_string(all.size()) + " extensions in all (" +
                         std::to_string(discovered) + " in " +
                         (fs::path(task_root) / "extensions").string() +
                         "); a function may have at most " + std::to_string(k_max_extensions));
    }
    std::map<std::string, std::string> by_name;
    for (const auto& path : all) {
        std::string name = fs::path(path).filename().string();
        auto [it, fresh] = by_name.emplace(name, path);
        if (!fresh) {
            throw UsageError(where + " " + path + ": a second extension named '" + name +
                             "' (the first: " + it->second + "); extension names must be unique");
        }
    }
    return all;
}

}  // namespace lambda_emu::cli
