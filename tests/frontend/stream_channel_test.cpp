// A streamed response between the runtime's thread and the HTTP client's.
#include "frontend/stream_channel.h"

#include <gtest/gtest.h>

#include <thread>

namespace lambda_emu::frontend {

namespace {

const std::string k_nuls(8, '\0');

model::Outcome success() { return model::Outcome{}; }

model::Outcome stream_error() {
    model::Outcome o;
    o.kind = model::OutcomeKind::function_error;
    o.error_type = "Runtime.StreamError";
    return o;
}

std::string drain(StreamChannel& c, StreamStep& last) {
    std::string all;
    std::string piece;
    while ((last = c.next(piece)) == StreamStep::data) all += piece;
    return all;
}

}  // namespace

TEST(StreamChannel, ThePreludeBecomesTheHeadEvenWhenItArrivesInPieces) {
    StreamChannel c;
    c.begin(std::string(k_http_integration_type));
    c.write(R"({"statusCode":418,"headers":{"content-type":"text/plain","x-a":"1"},)");
    c.write(R"("cookies":["s=1","t=2"]})" + k_nuls.substr(0, 3));
    c.write(k_nuls.substr(3) + "hello ");
    auto head = c.wait_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 418);
    EXPECT_EQ(head->content_type, "text/plain");
    ASSERT_EQ(head->headers.size(), 3u);
    EXPECT_EQ(head->headers[0], (std::pair<std::string, std::string>{"x-a", "1"}));
    EXPECT_EQ(head->headers[1], (std::pair<std::string, std::string>{"set-cookie", "s=1"}));
    std::thread runtime([&] {
        c.write("world");
        c.finish(success());
    });
    StreamStep last{};
    EXPECT_EQ(drain(c, last), "hello world");
    EXPECT_EQ(last, StreamStep::end);
    runtime.join();
}

TEST(StreamChannel, AnotherContentTypeIsA200BodyFromTheFirstByte) {
    StreamChannel c;
    c.begin("text/event-stream");
    auto head = c.wait_head();
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_EQ(head->content_type, "text/event-stream");
    c.write("data: 1\n\n");
    c.finish(success());
    StreamStep last{};
    EXPECT_EQ(drain(c, last), "data: 1\n\n");
    EXPECT_EQ(last, StreamStep::end);
}

TEST(StreamChannel, AFailureAfterTheHeadAbortsTheBody) {
    StreamChannel c;
    c.begin(std::string(k_http_integration_type));
    c.write("{}" + k_nuls + "part");
    ASSERT_TRUE(c.wait_head());
    c.finish(stream_error());
    StreamStep last{};
    EXPECT_EQ(drain(c, last), "part");
    EXPECT_EQ(last, StreamStep::abort);
    EXPECT_EQ(c.outcome()->error_type, "Runtime.StreamError");
}

TEST(StreamChannel, ABufferedResponseHasNoHead) {
    StreamChannel c;
    std::thread runtime([&] { c.finish(success()); });
    EXPECT_FALSE(c.wait_head());
    runtime.join();
    EXPECT_TRUE(c.outcome());
    EXPECT_EQ(c.problem(), "");
}

TEST(StreamChannel, AMalformedOrUnfinishedPreludeIsAProblem) {
    StreamChannel bad;
    bad.begin(std::string(k_http_integration_type));
    bad.write("not json" + k_nuls + "body");
    bad.finish(success());
    EXPECT_FALSE(bad.wait_head());
    EXPECT_EQ(bad.problem(), "the streamed response's prelude is not a JSON object");

    StreamChannel status;
    status.begin(std::string(k_http_integration_type));
    status.write(R"({"statusCode":99})" + k_nuls);
    status.finish(success());
    EXPECT_FALSE(status.wait_head());
    EXPECT_EQ(status.problem(), "the streamed response's statusCode is not an HTTP status");

    StreamChannel cut;
    cut.begin(std::string(k_http_integration_type));
    cut.write(R"({"statusCode":200})");
    cut.finish(success());
    EXPECT_FALSE(cut.wait_head());
    EXPECT_EQ(cut.problem(), "the streamed response ended before its prelude's 8 NUL bytes");
}

}  // namespace lambda_emu::frontend
