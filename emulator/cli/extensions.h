// External extensions of a function: the executables of its `extensions/` directory (the layout
// of /opt/extensions, found automatically) and those named by --extension or a config file's
// "extensions".
#pragma once

#include <string>
#include <vector>

namespace lambda_emu::cli {

// The service's limit on extensions per function.
inline constexpr std::size_t k_max_extensions = 10;

// The regular executable files of TASK_ROOT/extensions, absolute, sorted by file name; none when
// there is no such directory. More than k_max_extensions is a UsageError naming the directory.
std::vector<std::string> discover_extensions(const std::string& task_root);

// PATH as an extension: absolute, an executable regular file. Throws UsageError "WHERE PATH: ...".
std::string check_extension(const std::string& path, const std::string& where);

// The function's extensions: the discovered ones, then the named ones (each checked). More than
// k_max_extensions in all, or two with the same file name (the service requires unique names),
// is a UsageError naming `where` and the path.
std::vector<std::string> function_extensions(const std::string& task_root,
                                             const std::vector<std::string>& named,
                                             const std::string& where);

}  // namespace lambda_emu::cli
