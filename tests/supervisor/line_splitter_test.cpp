#include "supervisor/line_splitter.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lambda_emu::supervisor {

namespace {

struct Collector {
    std::vector<std::string> lines;
    LineSplitter::LineFn fn() {
        return [this](std::string_view line) { lines.emplace_back(line); };
    }
};

using Lines = std::vector<std::string>;

}  // namespace

TEST(LineSplitter, SplitsOnNewlines) {
    LineSplitter s;
    Collector c;
    s.feed("one\ntwo\nthree\n", c.fn());
    EXPECT_EQ(c.lines, (Lines{"one", "two", "three"}));
    s.finish(c.fn());
    EXPECT_EQ(c.lines.size(), 3u);
}

TEST(LineSplitter, KeepsAPartialLineUntilItEnds) {
    LineSplitter s;
    Collector c;
    s.feed("hel", c.fn());
    EXPECT_TRUE(c.lines.empty());
    s.feed("lo wo", c.fn());
    EXPECT_TRUE(c.lines.empty());
    s.feed("rld\nnext", c.fn());
    EXPECT_EQ(c.lines, (Lines{"hello world"}));
    s.finish(c.fn());
    EXPECT_EQ(c.lines, (Lines{"hello world", "next"}));
}

TEST(LineSplitter, FinishWithNothingPendingEmitsNothing) {
    LineSplitter s;
    Collector c;
    s.finish(c.fn());
    s.feed("a\n", c.fn());
    s.finish(c.fn());
    s.finish(c.fn());
    EXPECT_EQ(c.lines, (Lines{"a"}));
}

TEST(LineSplitter, EmptyLinesAreLines) {
    LineSplitter s;
    Collector c;
    s.feed("\n\nx\n\n", c.fn());
    EXPECT_EQ(c.lines, (Lines{"", "", "x", ""}));
}

TEST(LineSplitter, ByteAtATime) {
    LineSplitter s;
    Collector c;
    for (char ch : std::string("ab\ncd\ne")) s.feed(std::string_view(&ch, 1), c.fn());
    s.finish(c.fn());
    EXPECT_EQ(c.lines, (Lines{"ab", "cd", "e"}));
}

TEST(LineSplitter, KeepsTabsAndCarriageReturns) {
    LineSplitter s;
    Collector c;
    s.feed("a\tb\r\n", c.fn());
    EXPECT_EQ(c.lines, (Lines{"a\tb\r"}));
}

TEST(LineSplitter, LongLinesAreCutAtTheCap) {
    LineSplitter s(4);
    Collector c;
    s.feed("abcdefghij\n", c.fn());
    EXPECT_EQ(c.lines, (Lines{"abcd", "efgh", "ij"}));
}

TEST(LineSplitter, LineExactlyAtTheCapGivesNoExtraEmptyLine) {
    LineSplitter s(4);
    Collector c;
    s.feed("abcd\nefgh\nxy\n", c.fn());
    EXPECT_EQ(c.lines, (Lines{"abcd", "efgh", "xy"}));
}

TEST(LineSplitter, CapCountsThePendingPartial) {
    LineSplitter s(4);
    Collector c;
    s.feed("ab", c.fn());
    s.feed("cd\n", c.fn());  // reaches the cap exactly at the newline
    s.feed("ef", c.fn());
    s.feed("ghij", c.fn());  // crosses the cap without a newline
    EXPECT_EQ(c.lines, (Lines{"abcd", "efgh"}));
    s.finish(c.fn());
    EXPECT_EQ(c.lines, (Lines{"abcd", "efgh", "ij"}));
}

TEST(LineSplitter, DataWithoutNewlinesIsBounded) {
    LineSplitter s(8);
    Collector c;
    for (int i = 0; i < 10; ++i) s.feed("0123", c.fn());
    EXPECT_EQ(c.lines, (Lines{"01230123", "01230123", "01230123", "01230123", "01230123"}));
    s.finish(c.fn());
    EXPECT_EQ(c.lines.size(), 5u);
}

TEST(LineSplitter, EmptyFeedDoesNothing) {
    LineSplitter s;
    Collector c;
    s.feed("", c.fn());
    s.finish(c.fn());
    EXPECT_TRUE(c.lines.empty());
}

}  // namespace lambda_emu::supervisor
