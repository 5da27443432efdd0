// Changes to files under watched paths, with inotify: every directory below a watched one is
// watched too (new ones as they appear), and the changes of a burst (an editor's save, a
// `git checkout`) come back together once the files have been quiet for a while.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "util/fd.h"
#include "util/result.h"

namespace lambda_emu::watch {

// Whether a path is left out: .git/ and the build's usual outputs (target/, build/,
// node_modules/, __pycache__/), editor swap and backup files (*.swp, *~, .#*, 4913), and the
// given glob patterns (matched against the path and against its file name; * and ? do not cross
// '/', ** does).
class IgnoreRules {
  public:
    explicit IgnoreRules(std::vector<std::string> patterns = {},
                         std::vector<std::string> exact_paths = {});
    // `relative`: the path below the watched path that holds it ("" for the watched path itself),
    // which the directory rules and patterns look at; `full` for the exact paths.
    bool ignored(const std::string& full, const std::string& relative) const;
    bool ignored_directory(const std::string& relative) const;

  private:
    std::vector<std::string> m_patterns;
    std::vector<std::string> m_exact;
};

// Glob matching: '*' and '?' within a path segment, "**" across segments.
bool glob_match(std::string_view pattern, std::string_view text);

class FileWatcher {
  public:
    // Watches each path (a directory, recursively, or a file). An error names a path that
    // cannot be watched.
    static util::Result<std::unique_ptr<FileWatcher>> open(const std::vector<std::string>& paths,
                                                           IgnoreRules rules);

    // Blocks until a change that is not ignored; calls on_first at once, then gathers further
    // changes until none has come for `quiet`. The changed paths, sorted and without repeats;
    // empty once stop() was called.
    std::vector<std::string> next_changes(std::chrono::milliseconds quiet,
                                          const std::function<void()>& on_first = {});
    // Drops the changes seen so far (those a build made while it ran), keeping new directories
    // watched.
    void discard_pending();
    // Wakes next_changes() for good. Safe from any thread.
    void stop();

  private:
    FileWatcher(util::Fd inotify, util::Fd wake, IgnoreRules rules);
    // A watched directory. A file is watched through its directory (editors save by renaming a
    // new file over the old one), with only its name let through.
    struct Watched {
        std::string path;
        std::string root;            // the watched path it is under
        std::set<std::string> only;  // file names let through; empty: all
    };
    void add_tree(const std::string& path, const std::string& root);
    void add_dir(const std::string& path, const std::string& root, const std::string& only_name);
    bool ignored(const std::string& path, const std::string& root) const;
    // Reads what inotify has; appends the changed paths that are not ignored.
    bool drain(std::vector<std::string>& changed);

    util::Fd m_inotify;
    util::Fd m_wake;  // an eventfd
    IgnoreRules m_rules;
    std::map<int, Watched> m_watches;  // by watch descriptor
};

}  // namespace lambda_emu::watch
