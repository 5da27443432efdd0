// lambda-emu watch: serve, and rebuild and reload a function when its files change, in the
// manner of `cargo lambda watch`. Build time is reported on its own BUILD line and never counted
// into Init Duration; requests that arrive during a build wait for it.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/serving.h"
#include "cli/stop_signal.h"
#include "cli/usage_error.h"
#include "watch/build_command.h"
#include "watch/file_watcher.h"

namespace lambda_emu::cli {

namespace {

namespace fs = std::filesystem;

struct WatchOptions {
    ServedFrom from;
    ServingOptions serving;
    std::string build;
    std::vector<std::string> watch_paths;
    std::vector<std::string> ignore;
    int debounce_ms = 100;
};

// Where watch's own lines go: plain lines, or on a terminal a status line that the next line
// replaces.
class Console {
  public:
    Console() : m_tty(::isatty(STDERR_FILENO) == 1) {}
    void line(const std::string& text) {
        std::lock_guard lock(m_mutex);
        std::cerr << (m_status ? "\r\033[K" : "") << text << std::endl;
        m_status = false;
    }
    // On a terminal, a line that stays until the next one; elsewhere an ordinary line.
    void status(const std::string& text) {
        if (!m_tty) return line(text);
        std::lock_guard lock(m_mutex);
        std::cerr << (m_status ? "\r\033[K" : "") << text << std::flush;
        m_status = true;
    }

  private:
    bool m_tty;
    bool m_status = false;
    std::mutex m_mutex;
};

struct Watched {
    ServedFunction function;
    std::unique_ptr<watch::BuildCommand> build;
    std::vector<std::string> paths;  // absolute
};

std::string seconds_text(double s) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(2) << s;
    return out.str();
}

bool under(const std::string& path, const std::string& dir) {
    return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                           path[dir.size()] == '/');
}

std::string absolute(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

class Watcher {
  public:
    Watcher(const WatchOptions& o, Console& console) : m_options(o), m_console(console) {}

    // The builds before serving. False when a function has no build to serve.
    bool initial_builds() {
        for (const auto& [name, command] : build_commands()) {
            if (!run_build(name, *command)) {
                m_console.line("lambda-emu: " + name + ": the first build failed");
            }
        }
        return true;
    }

    // Loads the functions (after the first builds), throwing UsageError as serve does.
    std::vector<ServedFunction> load(std::vector<config::ApiEntry>& apis) {
        std::vector<ServedFunction> functions = served_functions(m_options.from, apis);
        m_watched.clear();
        for (auto& f : functions) {
            Watched w;
            w.function = f;
            std::string command = m_options.from.config.empty() ? m_options.build : f.build;
            std::string dir =
                m_options.from.config.empty() ? fs::current_path().string() : f.build_dir;
            if (!command.empty()) w.build = std::make_unique<watch::BuildCommand>(command, dir);
            if (m_options.from.config.empty()) {
                for (const auto& p : m_options.watch_paths) w.paths.push_back(absolute(p));
            } else {
                for (const auto& p : f.watch) w.paths.push_back(absolute(p));
            }
            if (w.paths.empty()) {
                // A built function: its project (the build's directory); a script: its folder.
                w.paths.push_back(w.build ? absolute(dir) : absolute(f.config.task_root));
            }
            m_watched.push_back(std::move(w));
        }
        return functions;
    }

    // Every path to watch, and the files never to act on (the built bootstraps).
    std::vector<std::string> paths() const {
        std::set<std::string> all;
        for (const auto& w : m_watched) all.insert(w.paths.begin(), w.paths.end());
        if (!m_options.from.config.empty()) {
            all.insert(absolute(m_options.from.config));
            for (const auto& w : m_watched) {
                if (!w.function.env_file.empty()) all.insert(absolute(w.function.env_file));
            }
        } else {
            for (const auto& f : m_options.from.function.env_files) all.insert(absolute(f));
        }
        // A path inside another watched directory is watched through it.
        std::vector<std::string> out;
        for (const auto& p : all) {
            bool inside = std::any_of(all.begin(), all.end(), [&](const std::string& other) {
                return other != p && under(p, other) && fs::is_directory(other);
            });
            if (!inside) out.push_back(p);
        }
        return out;
    }
    watch::IgnoreRules rules() const {
        std::vector<std::string> built;
        for (const auto& w : m_watched) {
            if (w.build) built.push_back(absolute(w.function.config.bootstrap));
        }
        return watch::IgnoreRules(m_options.ignore, built);
    }

    // The loop: until the watcher is stopped.
    void run(Serving& serving, watch::FileWatcher& files) {
        for (;;) {
            std::vector<std::string> held;
            auto changes =
                files.next_changes(std::chrono::milliseconds(m_options.debounce_ms), [&] {
                    for (const auto& w : m_watched) {
                        serving.hold(w.function.config.name);
                        held.push_back(w.function.config.name);
                    }
                });
            if (changes.empty()) {
                for (const auto& name : held) serving.release(name);
                return;
            }
            react(serving, changes);
            files.discard_pending();
            for (const auto& name : held) serving.release(name);
        }
    }

    void cancel() {
        std::lock_guard lock(m_mutex);
        m_cancelled = true;
        for (auto* b : m_running) b->cancel();
    }

  private:
    std::vector<std::pair<std::string, watch::BuildCommand*>> build_commands() {
        std::vector<std::pair<std::string, watch::BuildCommand*>> out;
        if (m_options.from.config.empty()) {
            if (!m_options.build.empty()) {
                m_first_builds.push_back(std::make_unique<watch::BuildCommand>(
                    m_options.build, fs::current_path().string()));
                std::string name = m_options.from.function.function_name.empty()
                                       ? fs::path(absolute(m_options.from.bootstrap))
                                             .parent_path()
                                             .filename()
                                             .string()
                                       : m_options.from.function.function_name;
                out.emplace_back(name, m_first_builds.back().get());
            }
            return out;
        }
        std::vector<config::ApiEntry> apis;
        auto file = config::load_config(m_options.from.config);
        if (!file) throw UsageError(file.error().message);
        std::string dir = fs::absolute(m_options.from.config).parent_path().string();
        for (const auto& entry : file->functions) {
            if (entry.build.empty()) continue;
            m_first_builds.push_back(std::make_unique<watch::BuildCommand>(entry.build, dir));
            out.emplace_back(entry.function.name, m_first_builds.back().get());
        }
        return out;
    }

    bool run_build(const std::string& name, watch::BuildCommand& build) {
        {
            std::lock_guard lock(m_mutex);
            if (m_cancelled) return false;
            m_running.insert(&build);
        }
        m_console.status("lambda-emu: " + name + ": building: " + build.command());
        watch::BuildResult r = build.run(
            [&](const std::string& line) { m_console.line("[build " + name + "] " + line); });
        {
            std::lock_guard lock(m_mutex);
            m_running.erase(&build);
        }
        m_console.line("BUILD Function: " + name + "\tDuration: " + seconds_text(r.seconds) +
                       " s\tStatus: " + (r.ok ? "success" : "failed (" + r.failure + ")"));
        return r.ok;
    }

    void react(Serving& serving, const std::vector<std::string>& changes) {
        m_console.line(
            "lambda-emu: changed: " + changes.front() +
            (changes.size() > 1 ? " and " + std::to_string(changes.size() - 1) + " more" : ""));
        bool reconfigure = false;
        for (const auto& c : changes) {
            if (!m_options.from.config.empty() && c == absolute(m_options.from.config))
                reconfigure = true;
            for (const auto& w : m_watched) {
                if (!w.function.env_file.empty() && c == absolute(w.function.env_file))
                    reconfigure = true;
            }
            for (const auto& f : m_options.from.function.env_files) {
                if (c == absolute(f)) reconfigure = true;
            }
        }
        for (auto& w : m_watched) {
            const std::string name = w.function.config.name;
            bool affected =
                reconfigure ||
                std::any_of(changes.begin(), changes.end(), [&](const std::string& c) {
                    return std::any_of(w.paths.begin(), w.paths.end(),
                                       [&](const std::string& p) { return under(c, p); });
                });
            if (!affected) continue;
            if (w.build && !run_build(name, *w.build)) {
                m_console.line("lambda-emu: " + name +
                               ": the build failed; still serving the last good build");
                continue;
            }
            reload(serving, w);
        }
    }

    void reload(Serving& serving, Watched& w) {
        const std::string name = w.function.config.name;
        try {
            std::vector<config::ApiEntry> apis;
            for (auto& f : served_functions(m_options.from, apis)) {
                if (f.config.name != name) continue;
                serving.replace(f);
                w.function = f;
                m_console.line("lambda-emu: " + name +
                               ": reloaded; the next invocation is a cold start");
                return;
            }
            m_console.line("lambda-emu: " + name +
                           ": no longer in the config; restart watch to add or remove functions");
        } catch (const UsageError& e) {
            m_console.line(std::string("lambda-emu: ") + e.what() +
                           "; still serving the last good configuration");
        }
    }

    const WatchOptions& m_options;
    Console& m_console;
    std::vector<Watched> m_watched;
    std::vector<std::unique_ptr<watch::BuildCommand>> m_first_builds;
    std::mutex m_mutex;
    std::set<watch::BuildCommand*> m_running;
    bool m_cancelled = false;
};

int run_watch(const WatchOptions& o) {
    if (o.from.config.empty() == o.from.bootstrap.empty()) {
        throw UsageError("watch takes either BOOTSTRAP_OR_DIR or --config FILE");
    }
    if (!o.from.config.empty() && (!o.build.empty() || !o.watch_paths.empty())) {
        throw UsageError(
            "--build and --watch are for BOOTSTRAP_OR_DIR; with --config give each function "
            "its \"build\" and \"watch\" in the file");
    }
    if (o.debounce_ms < 0 || o.debounce_ms > 60000)
        throw UsageError("--debounce " + std::to_string(o.debounce_ms) + ": must be 0 to 60000");
    check_serving_options(o.serving);
    Console console;
    Watcher watcher(o, console);
    bool stopping = false;
    set_stop_handler([&] {
        stopping = true;
        watcher.cancel();
    });
    watcher.initial_builds();
    set_stop_handler(nullptr);
    if (stopping) return k_exit_ok;

    std::vector<config::ApiEntry> apis;
    std::vector<ServedFunction> functions = watcher.load(apis);
    auto files = watch::FileWatcher::open(watcher.paths(), watcher.rules());
    if (!files) throw UsageError(files.error().message);
    {
        Serving serving(functions, std::move(apis), o.serving);
        std::thread watching([&] { watcher.run(serving, *files.value()); });
        set_stop_handler([&] {
            std::cerr << "lambda-emu: stopping: finishing in-flight invocations\n";
            watcher.cancel();
            files.value()->stop();
            serving.stop();
        });
        std::string paths;
        for (const auto& p : watcher.paths()) paths += " " + p;
        console.line("lambda-emu: watching" + paths);
        serving.run();
        set_stop_handler(nullptr);
        watcher.cancel();
        files.value()->stop();
        watching.join();
    }
    std::cerr << "lambda-emu: stopped" << std::endl;
    return k_exit_ok;
}

}  // namespace

Command watch_command() {
    return {[](CLI::App& parent) -> Registered {
        auto o = std::make_shared<WatchOptions>();
        CLI::App* cmd = parent.add_subcommand(
            "watch",
            "Serve like `serve` (the Invoke API and the HTTP front ends) and, when the "
            "function's files change, run its build command and reload it: new invocations go "
            "to fresh environments of the new build, old ones are shut down once idle. A failed "
            "build keeps the last good one serving. Requests that arrive during a build wait for "
            "it. Build time is reported on a BUILD line, never in Init Duration. With --config, "
            "each function may name its own \"build\" and \"watch\" paths; a change to the file "
            "or an env file reloads the configuration.");
        add_serving_options(*cmd, o->from, o->serving);
        cmd->add_option("--build", o->build,
                        "Command that builds the function (run with /bin/sh -c in the current "
                        "directory) before serving and after every change");
        cmd->add_option("--watch", o->watch_paths,
                        "File or directory to watch, recursively (repeatable; default: the "
                        "current directory with --build, else the bootstrap's directory)")
            ->allow_extra_args(false);
        cmd->add_option("--ignore", o->ignore,
                        "Glob of paths to ignore (repeatable), besides .git/, target/, build/, "
                        "node_modules/, __pycache__/, editor swap files and the built bootstrap")
            ->allow_extra_args(false);
        cmd->add_option("--debounce", o->debounce_ms,
                        "Milliseconds without changes before a burst of changes is acted on")
            ->capture_default_str();
        return {cmd, [o] { return run_watch(*o); }};
    }};
}

}  // namespace lambda_emu::cli
