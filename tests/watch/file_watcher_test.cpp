// inotify-based change detection over real temporary directories.
#include "watch/file_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <thread>

namespace lambda_emu::watch {

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class Tree {
  public:
    Tree() : m_root(fs::temp_directory_path() / ("lambda-emu-fw-" + std::to_string(::getpid()))) {
        fs::remove_all(m_root);
        fs::create_directories(m_root / "src");
    }
    ~Tree() {
        std::error_code ec;
        fs::remove_all(m_root, ec);
    }
    std::string path(const std::string& rel) const { return (m_root / rel).string(); }
    void write(const std::string& rel, const std::string& text = "x") const {
        fs::create_directories(fs::path(path(rel)).parent_path());
        std::ofstream(path(rel)) << text;
    }

  private:
    fs::path m_root;
};

std::unique_ptr<FileWatcher> open_on(const std::vector<std::string>& paths,
                                     IgnoreRules rules = IgnoreRules{}) {
    auto w = FileWatcher::open(paths, std::move(rules));
    EXPECT_TRUE(w.ok()) << (w.ok() ? "" : w.error().message);
    return w.ok() ? std::move(w.value()) : nullptr;
}

}  // namespace

TEST(GlobMatch, StarsStayWithinASegmentUnlessDoubled) {
    EXPECT_TRUE(glob_match("*.o", "main.o"));
    EXPECT_FALSE(glob_match("*.o", "obj/main.o"));
    EXPECT_TRUE(glob_match("**/*.o", "obj/deep/main.o"));
    EXPECT_TRUE(glob_match("gen/**", "gen/a/b.c"));
    EXPECT_TRUE(glob_match("file?.txt", "file1.txt"));
    EXPECT_FALSE(glob_match("file?.txt", "file10.txt"));
}

TEST(IgnoreRules, LeavesOutVcsBuildOutputsEditorFilesPatternsAndExactPaths) {
    IgnoreRules rules({"*.log", "gen/"}, {"/p/out/bootstrap"});
    EXPECT_TRUE(rules.ignored("/p/.git/index", ".git/index"));
    EXPECT_TRUE(rules.ignored("/p/target/debug/app", "target/debug/app"));
    EXPECT_TRUE(rules.ignored("/p/src/.main.rs.swp", "src/.main.rs.swp"));
    EXPECT_TRUE(rules.ignored("/p/src/main.rs~", "src/main.rs~"));
    EXPECT_TRUE(rules.ignored("/p/src/4913", "src/4913"));
    EXPECT_TRUE(rules.ignored("/p/run.log", "run.log"));
    EXPECT_TRUE(rules.ignored("/p/gen/x.c", "gen/x.c"));
    EXPECT_TRUE(rules.ignored("/p/out/bootstrap", "out/bootstrap"));
    EXPECT_FALSE(rules.ignored("/p/src/main.rs", "src/main.rs"));
    // Only what is below the watched path counts: a project inside a folder named build is
    // watched.
    EXPECT_FALSE(rules.ignored("/home/u/build/app/src/main.rs", "src/main.rs"));
}

TEST(FileWatcher, ABurstOfChangesComesBackTogetherAfterTheQuietTime) {
    Tree t;
    auto w = open_on({t.path("")});
    ASSERT_TRUE(w);
    bool first_called = false;
    std::thread writer([&] {
        t.write("src/a.c");
        std::this_thread::sleep_for(30ms);
        t.write("src/b.c");
        t.write("src/a.c", "again");
    });
    auto changes = w->next_changes(200ms, [&] { first_called = true; });
    writer.join();
    EXPECT_TRUE(first_called);
    EXPECT_EQ(changes, (std::vector<std::string>{t.path("src/a.c"), t.path("src/b.c")}));
}

TEST(FileWatcher, NewDirectoriesAreWatchedAndIgnoredOnesAreNot) {
    Tree t;
    auto w = open_on({t.path("")}, IgnoreRules({"*.tmp.txt"}));
    ASSERT_TRUE(w);
    t.write("new/dir/file.c");
    auto first = w->next_changes(100ms);
    EXPECT_EQ(first, (std::vector<std::string>{t.path("new/dir/file.c")}));
    // Now the new directory itself is watched.
    t.write("new/dir/second.c");
    t.write(".git/HEAD");
    t.write("target/out.o");
    t.write("src/x.tmp.txt");
    auto second = w->next_changes(100ms);
    EXPECT_EQ(second, (std::vector<std::string>{t.path("new/dir/second.c")}));
}

TEST(FileWatcher, AWatchedFileIsSeenWhenAnEditorReplacesIt) {
    Tree t;
    t.write("config.json", "{}");
    t.write("other.json", "{}");
    auto w = open_on({t.path("config.json")});
    ASSERT_TRUE(w);
    t.write("config.json.new", "{\"a\":1}");
    fs::rename(t.path("config.json.new"), t.path("config.json"));
    EXPECT_EQ(w->next_changes(100ms), (std::vector<std::string>{t.path("config.json")}));
    t.write("other.json", "{\"b\":2}");
    t.write("config.json", "{\"a\":2}");
    EXPECT_EQ(w->next_changes(100ms), (std::vector<std::string>{t.path("config.json")}));
}

TEST(FileWatcher, StopWakesAWaitingWatcherWithNoChanges) {
    Tree t;
    auto w = open_on({t.path("")});
    ASSERT_TRUE(w);
    std::thread stopper([&] {
        std::this_thread::sleep_for(50ms);
        w->stop();
    });
    EXPECT_TRUE(w->next_changes(100ms).empty());
    stopper.join();
}

TEST(FileWatcher, AMissingPathIsAnError) {
    auto w = FileWatcher::open({"/nonexistent/lambda-emu"}, IgnoreRules{});
    ASSERT_FALSE(w.ok());
    EXPECT_EQ(w.error().message, "--watch /nonexistent/lambda-emu: No such file or directory");
}

}  // namespace lambda_emu::watch
