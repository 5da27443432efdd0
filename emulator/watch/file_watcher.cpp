#include "watch/file_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <set>

namespace lambda_emu::watch {

namespace {

namespace fs = std::filesystem;

constexpr std::uint32_t k_mask = IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                                 IN_MOVED_TO | IN_MODIFY | IN_ATTRIB | IN_DELETE_SELF |
                                 IN_MOVE_SELF;

const char* const k_ignored_dirs[] = {".git",         ".hg",         ".svn",   "target", "build",
                                      "node_modules", "__pycache__", ".cache", ".idea",  ".vscode"};

std::string file_name(const std::string& path) {
    std::size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool editor_file(const std::string& name) {
    auto ends = [&](std::string_view suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends(".swp") || ends(".swx") || ends(".swo") || ends("~") || ends(".tmp") ||
           name.rfind(".#", 0) == 0 || (name.size() > 1 && name.front() == '#' && ends("#")) ||
           name == "4913";
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text) {
    if (pattern.empty()) return text.empty();
    if (pattern.substr(0, 2) == "**") {
        std::string_view rest = pattern.substr(2);
        if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (glob_match(rest, text.substr(i))) return true;
        }
        return false;
    }
    if (pattern.front() == '*') {
        for (std::size_t i = 0; i <= text.size(); ++i) {
            if (glob_match(pattern.substr(1), text.substr(i))) return true;
            if (i < text.size() && text[i] == '/') break;
        }
        return false;
    }
    if (text.empty()) return false;
    if ((pattern.front() == '?' && text.front() != '/') || pattern.front() == text.front()) {
        return glob_match(pattern.substr(1), text.substr(1));
    }
    return false;
}

IgnoreRules::IgnoreRules(std::vector<std::string> patterns, std::vector<std::string> exact_paths)
    : m_patterns(std::move(patterns)) {
    for (auto& p : exact_paths) m_exact.push_back(fs::path(p).lexically_normal().string());
}

bool IgnoreRules::ignored_directory(const std::string& relative) const {
    if (relative.empty()) return false;
    std::string name = file_name(relative);
    for (const char* dir : k_ignored_dirs) {
        if (name == dir) return true;
    }
    for (const auto& p : m_patterns) {
        std::string trimmed = p;
        while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
        if (glob_match(trimmed, name) || glob_match(trimmed, relative)) return true;
    }
    return false;
}

bool IgnoreRules::ignored(const std::string& full, const std::string& relative) const {
    std::string normal = fs::path(full).lexically_normal().string();
    if (std::find(m_exact.begin(), m_exact.end(), normal) != m_exact.end()) return true;
    if (editor_file(file_name(normal))) return true;
    // Any ignored directory on the way down from the watched path.
    fs::path so_far;
    for (const auto& part : fs::path(relative).parent_path()) {
        so_far /= part;
        if (ignored_directory(so_far.string())) return true;
    }
    std::string name = file_name(relative);
    for (const auto& p : m_patterns) {
        if (glob_match(p, name) || glob_match(p, relative)) return true;
    }
    return false;
}

util::Result<std::unique_ptr<FileWatcher>> FileWatcher::open(const std::vector<std::string>& paths,
                                                             IgnoreRules rules) {
    util::Fd inotify(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
    if (inotify.get() < 0) return util::make_error("inotify: " + util::errno_text(errno));
    util::Fd wake(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (wake.get() < 0) return util::make_error("eventfd: " + util::errno_text(errno));
    std::unique_ptr<FileWatcher> w(
        new FileWatcher(std::move(inotify), std::move(wake), std::move(rules)));
    for (const auto& path : paths) {
        std::error_code ec;
        fs::file_status st = fs::status(path, ec);
        if (ec || !fs::exists(st)) {
            return util::make_error("--watch " + path + ": " +
                                    (ec ? ec.message() : "No such file or directory"));
        }
        std::string normal = fs::absolute(path).lexically_normal().string();
        while (normal.size() > 1 && normal.back() == '/') normal.pop_back();
        if (fs::is_directory(st)) {
            w->add_tree(normal, normal);
        } else {
            std::string dir = fs::path(normal).parent_path().string();
            w->add_dir(dir, dir, file_name(normal));
        }
    }
    return w;
}

FileWatcher::FileWatcher(util::Fd inotify, util::Fd wake, IgnoreRules rules)
    : m_inotify(std::move(inotify)), m_wake(std::move(wake)), m_rules(std::move(rules)) {}

bool FileWatcher::ignored(const std::string& path, const std::string& root) const {
    std::string relative = path.size() > root.size() ? path.substr(root.size() + 1) : "";
    return m_rules.ignored(path, relative.empty() ? file_name(path) : relative);
}

void FileWatcher::add_dir(const std::string& path, const std::string& root,
                          const std::string& only_name) {
    int wd = ::inotify_add_watch(m_inotify.get(), path.c_str(), k_mask | IN_ONLYDIR);
    if (wd < 0) return;
    auto [it, fresh] = m_watches.try_emplace(wd, Watched{path, root, {}});
    if (only_name.empty()) {
        it->second.only.clear();  // the whole directory, whatever was asked before
        it->second.root = root;
    } else if (fresh || !it->second.only.empty()) {
        it->second.only.insert(only_name);
    }
}

void FileWatcher::add_tree(const std::string& path, const std::string& root) {
    add_dir(path, root, "");
    std::error_code ec;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) {
            std::string child = it->path().string();
            if (!m_rules.ignored_directory(child.substr(root.size() + 1))) add_tree(child, root);
        }
    }
}

bool FileWatcher::drain(std::vector<std::string>& changed) {
    alignas(inotify_event) char buf[64 * 1024];
    bool any = false;
    for (;;) {
        ssize_t n = ::read(m_inotify.get(), buf, sizeof buf);
        if (n <= 0) break;
        for (char* p = buf; p < buf + n;) {
            auto* ev = reinterpret_cast<inotify_event*>(p);
            p += sizeof(inotify_event) + ev->len;
            auto it = m_watches.find(ev->wd);
            if (it == m_watches.end()) continue;
            if (ev->mask & IN_IGNORED) {
                m_watches.erase(it);
                continue;
            }
            const Watched w = it->second;
            std::string name = ev->len > 0 ? std::string(ev->name) : std::string();
            if (!w.only.empty() && !w.only.count(name)) continue;
            std::string path = name.empty() ? w.path : w.path + "/" + name;
            if ((ev->mask & IN_ISDIR) && (ev->mask & (IN_CREATE | IN_MOVED_TO))) {
                if (w.only.empty() && !m_rules.ignored_directory(path.substr(w.root.size() + 1))) {
                    add_tree(path, w.root);
                    // Files written into it before its watch existed.
                    std::error_code ec;
                    for (fs::recursive_directory_iterator f(path, ec), end; !ec && f != end;
                         f.increment(ec)) {
                        std::error_code type_ec;
                        if (!f->is_directory(type_ec) && !ignored(f->path().string(), w.root)) {
                            changed.push_back(f->path().string());
                            any = true;
                        }
                    }
                }
                continue;
            }
            if (ev->mask & IN_ISDIR) continue;
            if (ignored(path, w.root)) continue;
            changed.push_back(path);
            any = true;
        }
    }
    return any;
}

std::vector<std::string> FileWatcher::next_changes(std::chrono::milliseconds quiet,
                                                   const std::function<void()>& on_first) {
    std::vector<std::string> changed;
    bool started = false;
    for (;;) {
        pollfd fds[2] = {{m_inotify.get(), POLLIN, 0}, {m_wake.get(), POLLIN, 0}};
        int timeout = started ? static_cast<int>(quiet.count()) : -1;
        int r = ::poll(fds, 2, timeout);
        if (r < 0 && errno == EINTR) continue;
        if (fds[1].revents & POLLIN) return {};
        if (r == 0) break;  // quiet long enough
        if ((fds[0].revents & POLLIN) && drain(changed) && !started) {
            started = true;
            if (on_first) on_first();
        }
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    return changed;
}

void FileWatcher::discard_pending() {
    std::vector<std::string> dropped;
    drain(dropped);
}

void FileWatcher::stop() {
    std::uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(m_wake.get(), &one, sizeof one);
}

}  // namespace lambda_emu::watch
