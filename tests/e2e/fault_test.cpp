// The fault matrix: a runtime that misbehaves on purpose (faulty_runtime.cpp, chosen by FAULT)
// behind `lambda-emu serve`, each fault with the outcome the service gives (lambda-facts sections
// 1 and 3), the next invocation answered, and no thread, descriptor or process left behind.
#include <gtest/gtest.h>
#include <httplib.h>

#include <dirent.h>
#include <signal.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "e2e/background_process.h"
#include "e2e/report_lines.h"
#include "e2e/run_command.h"
#include "e2e/temp_dir.h"

namespace lambda_emu::testing {

namespace fault_e2e {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr const char* k_invalid_request_id =
    R"({"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"})";
constexpr const char* k_accepted = R"({"status":"OK"})";

// A function directory whose bootstrap is a symlink to the faulty runtime, so that its processes
// (forked children included, even once reparented) are found by that path.
class FaultyFunction {
  public:
    FaultyFunction() : m_dir("lambda-emu-fault") {
        fs::create_symlink(LAMBDA_EMU_FAULTY_RUNTIME, m_dir.path("bootstrap"));
    }
    std::string dir() const { return m_dir.root().string(); }
    int running() const { return count_processes_with(m_dir.path("bootstrap")); }

  private:
    TempDir m_dir;
};

// What lambda-emu holds: threads, open descriptors, and processes descending from it.
struct Footprint {
    int threads = -1;
    int fds = -1;
    int descendants = -1;
    bool operator==(const Footprint&) const = default;
    friend void PrintTo(const Footprint& f, std::ostream* os) {
        *os << "{threads " << f.threads << ", fds " << f.fds << ", descendants " << f.descendants
            << "}";
    }
};

int directory_entries(const std::string& path) {
    int n = 0;
    DIR* d = ::opendir(path.c_str());
    if (!d) return -1;
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] != '.') ++n;
    }
    ::closedir(d);
    return n;
}

// Processes whose chain of parents leads to `root` (zombies included: they are not reaped yet).
int descendants_of(pid_t root) {
    std::multimap<pid_t, pid_t> children;
    DIR* d = ::opendir("/proc");
    if (!d) return -1;
    while (dirent* e = ::readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        std::string stat = read_file(std::string("/proc/") + e->d_name + "/stat");
        auto paren = stat.rfind(')');
        if (paren == std::string::npos) continue;
        char state = 0;
        int ppid = 0;
        if (std::sscanf(stat.c_str() + paren + 1, " %c %d", &state, &ppid) != 2) continue;
        children.emplace(ppid, std::atoi(e->d_name));
    }
    ::closedir(d);
    int count = 0;
    std::vector<pid_t> todo = {root};
    while (!todo.empty()) {
        pid_t p = todo.back();
        todo.pop_back();
        auto [from, to] = children.equal_range(p);
        for (auto it = from; it != to; ++it) {
            ++count;
            todo.push_back(it->second);
        }
    }
    return count;
}

Footprint footprint(pid_t pid) {
    std::string proc = "/proc/" + std::to_string(pid);
    return {directory_entries(proc + "/task"), open_fd_count(pid), descendants_of(pid)};
}

// The footprint once it has stopped changing (three equal readings in a row, 5 s at most).
Footprint steady_footprint(pid_t pid) {
    Footprint last = footprint(pid);
    int same = 0;
    for (auto until = std::chrono::steady_clock::now() + 5s;
         same < 3 && std::chrono::steady_clock::now() < until;) {
        std::this_thread::sleep_for(100ms);
        Footprint now = footprint(pid);
        same = now == last ? same + 1 : 0;
        last = now;
    }
    return last;
}

// Polls until the footprint is `expected` again (idle environments are spun down after 1 s), for
// a few seconds at most; the last reading.
Footprint settled(pid_t pid, const Footprint& expected, std::chrono::milliseconds limit = 8s) {
    Footprint now = footprint(pid);
    for (auto until = std::chrono::steady_clock::now() + limit;
         !(now == expected) && std::chrono::steady_clock::now() < until;) {
        std::this_thread::sleep_for(50ms);
        now = footprint(pid);
    }
    return now;
}

struct Reply {
    int status = 0;
    std::string body;
    std::string function_error;
    std::string request_id;
};

Reply invoke_fn(int port, const std::string& payload, const std::string& name = "fault") {
    httplib::Client client("127.0.0.1", port);
    client.set_read_timeout(60s);
    client.set_tcp_nodelay(true);
    auto res = client.Post(("/2015-03-31/functions/" + name + "/invocations").c_str(), payload,
                           "application/json");
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.body = res->body;
    r.function_error = res->get_header_value("X-Amz-Function-Error");
    r.request_id = res->get_header_value("X-Amzn-RequestId");
    return r;
}

// `lambda-emu serve` of the faulty runtime with FAULT=fault, environments spun down after 1 s.
Server serve_fault(const FaultyFunction& fn, const std::string& fault,
                   std::vector<std::string> options = {}) {
    std::vector<std::string> args = {"--function-name", "fault",         "--idle-timeout", "1",
                                     "--env",           "FAULT=" + fault};
    if (std::find(options.begin(), options.end(), "--timeout") == options.end()) {
        options.insert(options.end(), {"--timeout", "3"});
    }
    args.insert(args.end(), options.begin(), options.end());
    args.push_back(fn.dir());
    return start_serve(args);
}

// The REPORT line of `id`, once written (after the response, possibly).
std::string report_line(Server& server, const std::string& id) {
    return server.process->wait_for(std::regex("^REPORT RequestId: " + id + "\t"), 20s)
        .value_or("");
}

// What follows REPORT's memory figures: "Init Duration: ...\t" and "Status: ...\t" fields.
std::string report_tail(const std::string& report) {
    auto at = report.find(" MB\t", report.find("Max Memory Used: "));
    return at == std::string::npos ? report : report.substr(at + 4);
}

// The lines of the log from START to END of invocation `id`.
std::vector<std::string> invocation_lines(const std::string& log, const std::string& id) {
    std::vector<std::string> out;
    bool inside = false;
    for (const auto& line : lines_of(log)) {
        if (line == "START RequestId: " + id + " Version: $LATEST") inside = true;
        if (inside) out.push_back(line);
        if (line == "END RequestId: " + id) break;
    }
    return out;
}

bool has_line(const std::vector<std::string>& lines, const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
}

// The body of a runtime-level failure as the invoker sees it.
std::string failure_body(const std::string& type, const std::string& id, const std::string& what) {
    return R"({"errorType":")" + type + R"(","errorMessage":"RequestId: )" + id +
           " Error: " + what + R"("})";
}

// After a fault: the next invocation is answered, and once the environments are spun down,
// lambda-emu is back to its footprint before the fault with no runtime process left.
void expect_recovered(Server& server, const FaultyFunction& fn, const Footprint& before) {
    Reply next = invoke_fn(server.port, R"({"next":"one"})");
    EXPECT_EQ(next.status, 200);
    EXPECT_EQ(next.body, R"({"next":"one"})");
    EXPECT_EQ(next.function_error, "");
    EXPECT_EQ(settled(server.process->pid(), before), before) << server.process->err();
    EXPECT_EQ(fn.running(), 0);
}

Server started(const FaultyFunction& fn, const std::string& fault, Footprint& before,
               std::vector<std::string> options = {}) {
    Server server = serve_fault(fn, fault, std::move(options));
    if (server.port > 0) before = steady_footprint(server.process->pid());
    return server;
}

// --- a response cut short: Runtime.TruncatedResponse, 400 TruncatedHTTPRequest to the runtime

struct Truncation {
    std::string name;
    std::string fault;
    std::string event;
    std::string logged;  // the runtime's line naming the Runtime API's answer
    friend void PrintTo(const Truncation& t, std::ostream* os) { *os << t.name; }
};

class FaultTruncated : public ::testing::TestWithParam<Truncation> {};

TEST_P(FaultTruncated, IsATruncatedResponseAndTheRuntimeIsToldSo) {
    const Truncation& t = GetParam();
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, t.fault, before);
    ASSERT_GT(server.port, 0) << server.process->err();

    Reply r = invoke_fn(server.port, t.event);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.function_error, "Unhandled");
    EXPECT_EQ(r.body, failure_body("Runtime.TruncatedResponse", r.request_id,
                                   "HTTP request detected as truncated"));
    std::string report = report_line(server, r.request_id);
    // A failure found in the runtime's answer, reported as Runtime.InvalidResponseModeHeader is:
    // a function error, so REPORT has no Status field (lambda-facts shows no REPORT line for
    // this case). The environment stays: the runtime is back on /next.
    EXPECT_TRUE(
        std::regex_match(report_tail(report), std::regex(R"(Init Duration: \d+\.\d\d ms\t)")))
        << report;
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(
        lines,
        t.logged +
            R"(: 400 {"errorMessage":"HTTP request detected as truncated","errorType":"TruncatedHTTPRequest"})"))
        << server.process->err();

    Reply warm = invoke_fn(server.port, "{}");
    EXPECT_EQ(warm.body, "{}");
    EXPECT_EQ(report_tail(report_line(server, warm.request_id)), "")
        << "the same environment, warm";
    expect_recovered(server, fn, before);
}

INSTANTIATE_TEST_SUITE_P(
    FaultCases, FaultTruncated,
    ::testing::Values(Truncation{"ClosedMidContentLengthBody", "close_mid_body", R"({"fault":1})",
                                 "close_mid_body"},
                      Truncation{"ChunkedBodyCutOff", "truncated_chunked", R"({"fault":1})",
                                 "truncated_chunked"},
                      Truncation{"ChunkSizeNotHex", "truncated_chunked", R"({"fault":"malformed"})",
                                 "malformed_chunked"}),
    [](const auto& info) { return info.param.name; });

// --- faults that end in the function's timeout

TEST(Fault, ABodyShorterThanItsContentLengthTimesOut) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "stall_body", before, {"--timeout", "1"});
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.function_error, "Unhandled");
    EXPECT_EQ(r.body,
              failure_body("Sandbox.Timedout", r.request_id, "Task timed out after 1.00 seconds"));
    std::string report = report_line(server, r.request_id);
    EXPECT_NE(report.find("\tDuration: 1000.00 ms\t"), std::string::npos) << report;
    EXPECT_TRUE(report.ends_with("\tStatus: timeout\t")) << report;
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(lines, "stall_body: stalling"));
    bool timed_out_line = false;
    for (const auto& l : lines) {
        timed_out_line |=
            std::regex_match(l, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z )" +
                                           r.request_id + " Task timed out after 1.00 seconds"));
    }
    EXPECT_TRUE(timed_out_line) << server.process->err();
    Reply next = invoke_fn(server.port, "{}");
    EXPECT_EQ(next.body, "{}");
    EXPECT_EQ(report_tail(report_line(server, next.request_id)), "")
        << "a suppressed init: no Init Duration";
    expect_recovered(server, fn, before);
}

TEST(Fault, ARuntimeThatNeverReadsItsEventTimesOut) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "no_read_next", before, {"--timeout", "1"});
    ASSERT_GT(server.port, 0) << server.process->err();
    // 5 MB: more than the socket buffers hold, so lambda-emu's write of the event blocks.
    std::string big = "\"" + std::string(5 * 1024 * 1024, 'e') + "\"";
    Reply r = invoke_fn(server.port, big);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.function_error, "Unhandled");
    EXPECT_EQ(r.body,
              failure_body("Sandbox.Timedout", r.request_id, "Task timed out after 1.00 seconds"));
    EXPECT_TRUE(report_line(server, r.request_id).ends_with("\tStatus: timeout\t"));
    EXPECT_TRUE(
        has_line(invocation_lines(server.process->err(), r.request_id),
                 "no_read_next: not reading an event of " + std::to_string(big.size()) + " bytes"));
    expect_recovered(server, fn, before);
}

// --- Runtime API misuse

TEST(Fault, AHundredLongPollsOnNextAreServedAndReleased) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "many_next", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply first = invoke_fn(server.port, R"({"n":1})");
    EXPECT_EQ(first.status, 200);
    EXPECT_EQ(first.body, R"({"n":1})");
    Footprint during = footprint(server.process->pid());
    EXPECT_GE(during.threads, before.threads + 100) << "a thread per waiting connection";
    Reply second = invoke_fn(server.port, R"({"n":2})");
    EXPECT_EQ(second.body, R"({"n":2})");
    EXPECT_EQ(report_tail(report_line(server, second.request_id)), "") << "warm";
    // The runtime logs the 202 for the first answer before it reads the second event, so the
    // line is in the log by the second invocation's END. Which invocation it falls in is not
    // knowable: with polls left waiting, the first ends as soon as it is answered.
    ASSERT_NE(report_line(server, second.request_id), "");
    std::string err = server.process->err();
    EXPECT_GE(lines_starting(err, std::string("many_next answer: 202 ") + k_accepted).size(), 1u)
        << err;
    expect_recovered(server, fn, before);
}

TEST(Fault, UnknownEmptyAndStaleRequestIdsAreRefused) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "wrong_ids", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply first = invoke_fn(server.port, R"({"fault":1})");
    Reply second = invoke_fn(server.port, R"({"fault":2})");
    EXPECT_EQ(first.body, R"({"fault":1})");
    EXPECT_EQ(second.body, R"({"fault":2})");
    EXPECT_EQ(second.function_error, "");
    report_line(server, second.request_id);
    std::string err = server.process->err();
    auto lines = invocation_lines(err, second.request_id);
    for (const char* what : {"unknown", "empty", "stale", "stale error"}) {
        EXPECT_TRUE(has_line(lines, std::string(what) + ": 400 " + k_invalid_request_id))
            << what << "\n"
            << err;
    }
    EXPECT_TRUE(has_line(lines, std::string("own: 202 ") + k_accepted)) << err;
    expect_recovered(server, fn, before);
}

TEST(Fault, AnErrorThenAResponseKeepsTheError) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "error_then_response", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.function_error, "Unhandled");
    EXPECT_EQ(r.body, R"({"errorMessage":"first","errorType":"Function.First"})");
    std::string report = report_line(server, r.request_id);
    EXPECT_EQ(report.find("Status:"), std::string::npos) << "a function error has no Status";
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(lines, std::string("error: 202 ") + k_accepted));
    EXPECT_TRUE(has_line(
        lines,
        R"(response: 403 {"errorMessage":"State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})"))
        << server.process->err();
    expect_recovered(server, fn, before);
}

TEST(Fault, AnInitErrorAfterInitIsRefusedAndTheInvocationGoesOn) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "late_init_error", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.function_error, "");
    EXPECT_EQ(r.body, R"({"fault":1})");
    std::string report = report_line(server, r.request_id);
    EXPECT_EQ(report.find("Status:"), std::string::npos) << report;
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(
        lines,
        R"(init/error: 403 {"errorMessage":"State transition from RuntimeRunningState to InitError failed for runtime. Error: State transition is not allowed","errorType":"InvalidStateTransition"})"))
        << server.process->err();
    EXPECT_TRUE(has_line(lines, std::string("response: 202 ") + k_accepted));
    expect_recovered(server, fn, before);
}

TEST(Fault, AMebibyteOfHeadersIsRefusedWith431AndTheRuntimeCanAnswerAgain) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "huge_headers", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"fault":1})");
    report_line(server, r.request_id);
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(lines, "huge_headers: 431 ")) << server.process->err();
    EXPECT_TRUE(has_line(lines, std::string("retry: 202 ") + k_accepted));
    EXPECT_LT(rss_kb(server.process->pid()), 512 * 1024);
    expect_recovered(server, fn, before);
}

// --- output

TEST(Fault, InvalidUtf8AndNulBytesReachTheLogAsWritten) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "bad_bytes", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.body, R"({"fault":1})");
    report_line(server, r.request_id);
    using namespace std::string_literals;
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(lines, "stdout bad utf-8 \xff\xfe\xc3\x28 nul \0 end"s));
    EXPECT_TRUE(has_line(lines, "stderr bad utf-8 \xed\xa0\x80 nul \0\0 end"s));
    EXPECT_TRUE(has_line(lines, "{\"json\":\"\xff\"}"s));
    expect_recovered(server, fn, before);
}

TEST(Fault, InvalidUtf8AndNulBytesBecomeValidJsonLogRecords) {
    FaultyFunction fn;
    auto r = invoke({"--log-format", "json", "--payload", R"({"fault":1})", "--env",
                     "FAULT=bad_bytes", fn.dir()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> messages;
    for (const auto& line : lines_of(r.err)) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << "not JSON: " << line;
        if (j.contains("message")) messages.push_back(j["message"].get<std::string>());
    }
    // Each byte that is not UTF-8 becomes U+FFFD; NUL is escaped, and kept.
    using namespace std::string_literals;
    EXPECT_TRUE(has_line(messages, "stdout bad utf-8 \uFFFD\uFFFD\uFFFD( nul \0 end"s)) << r.err;
    EXPECT_TRUE(has_line(messages, "stderr bad utf-8 \uFFFD\uFFFD\uFFFD nul \0\0 end"s)) << r.err;
    EXPECT_TRUE(has_line(messages, "{\"json\":\"\uFFFD\"}")) << r.err;
    EXPECT_EQ(fn.running(), 0);
}

// serve with its stderr in a file (100 MB of log would otherwise sit in the test's memory). Under
// AddressSanitizer, freed memory is held in a quarantine (256 MB by default) that would hide
// what lambda-emu itself holds: it is made small.
struct LoggedServer {
    std::unique_ptr<BackgroundProcess> process;
    int port = 0;
};

LoggedServer serve_logging_to(const std::string& log_file, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {
        "/bin/sh",
        "-c",
        "f=$1; shift; ASAN_OPTIONS=\"$ASAN_OPTIONS:quarantine_size_mb=16\" exec \"$@\" 2>\"$f\"",
        "sh",
        log_file,
        lambda_emu_bin(),
        "serve",
        "--port",
        "0"};
    argv.insert(argv.end(), args.begin(), args.end());
    LoggedServer s;
    s.process = std::make_unique<BackgroundProcess>(argv);
    std::regex serving(R"(serving .* on http://127\.0\.0\.1:(\d+))");
    for (auto until = std::chrono::steady_clock::now() + 20s;
         s.port == 0 && std::chrono::steady_clock::now() < until;) {
        std::smatch m;
        std::string text = read_file(log_file);
        if (std::regex_search(text, m, serving)) {
            s.port = std::stoi(m[1]);
        } else {
            std::this_thread::sleep_for(20ms);
        }
    }
    return s;
}

TEST(Fault, AHundredMegabytesOfStdoutArriveInsideTheInvocationInBoundedMemory) {
    FaultyFunction fn;
    TempDir logs("lambda-emu-fault-log");
    std::string log_file = logs.path("serve.log");
    LoggedServer server =
        serve_logging_to(log_file, {"--function-name", "fault", "--idle-timeout", "1", "--timeout",
                                    "60", "--env", "FAULT=flood_stdout", fn.dir()});
    ASSERT_GT(server.port, 0) << read_file(log_file);
    pid_t pid = server.process->pid();
    Footprint before = steady_footprint(pid);
    long rss_before = rss_kb(pid);
    std::atomic<bool> done{false};
    std::atomic<long> peak{0};
    std::thread sampler([&] {
        while (!done) {
            peak = std::max(peak.load(), rss_kb(pid));
            std::this_thread::sleep_for(10ms);
        }
    });
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    done = true;
    sampler.join();
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, R"({"lines":102400})");
    // lambda-emu passes lines on as they come: it never holds the 100 MB.
    EXPECT_LT(peak - rss_before, 64 * 1024) << "peak RSS " << peak << " kB, before " << rss_before;

    Reply next = invoke_fn(server.port, "{}");
    EXPECT_EQ(next.body, "{}");
    EXPECT_EQ(settled(pid, before), before);
    EXPECT_EQ(fn.running(), 0);
    EXPECT_EQ(server.process->stop(SIGINT), 0);

    // Every line, whole and in order, between START and END.
    std::ifstream in(log_file, std::ios::binary);
    std::string line, expected(1023, 'x');
    enum { before_start, inside, after_end } where = before_start;
    long lines = 0, other = 0;
    while (std::getline(in, line)) {
        if (line == "START RequestId: " + r.request_id + " Version: $LATEST")
            where = inside;
        else if (line == "END RequestId: " + r.request_id)
            where = after_end;
        else if (line == expected)
            (where == inside ? lines : other) += 1;
    }
    EXPECT_EQ(where, after_end);
    EXPECT_EQ(lines, 102400);
    EXPECT_EQ(other, 0);
}

// --- processes

TEST(Fault, ChildrenOfARuntimeThatExitsAfterAnsweringAreKilledWithItsGroup) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "fork_then_exit", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.function_error, "");
    EXPECT_EQ(r.body, R"({"fault":1})");
    std::string report = report_line(server, r.request_id);
    EXPECT_EQ(report.find("Status:"), std::string::npos) << "answered before the exit";
    auto lines = invocation_lines(server.process->err(), r.request_id);
    EXPECT_TRUE(has_line(lines, "fork_then_exit: forked 3"));
    EXPECT_TRUE(has_line(lines, std::string("fork_then_exit: 202 ") + k_accepted));
    // The environment is gone with its runtime: its children too, without waiting to be idle.
    for (auto until = std::chrono::steady_clock::now() + 5s;
         fn.running() > 0 && std::chrono::steady_clock::now() < until;) {
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_EQ(fn.running(), 0);
    Reply next = invoke_fn(server.port, "{}");
    EXPECT_EQ(next.body, "{}");
    EXPECT_EQ(report_tail(report_line(server, next.request_id)), "")
        << "a new environment whose Init ran inside the invocation";
    expect_recovered(server, fn, before);
}

TEST(Fault, ARuntimeIgnoringSigtermIsKilledAfterTheGracePeriod) {
    FaultyFunction fn;
    Footprint before;
    Server server = started(fn, "ignore_sigterm", before);
    ASSERT_GT(server.port, 0) << server.process->err();
    Reply r = invoke_fn(server.port, R"({"fault":1})");
    EXPECT_EQ(r.body, R"({"fault":1})");
    EXPECT_EQ(fn.running(), 2) << "the runtime and its child";
    // Spun down when idle: SIGTERM (caught by both), then SIGKILL after the grace period.
    EXPECT_EQ(settled(server.process->pid(), before), before) << server.process->err();
    EXPECT_EQ(fn.running(), 0);
    EXPECT_EQ(lines_starting(server.process->err(), "caught SIGTERM").size(), 2u)
        << server.process->err();
    // And at lambda-emu's own shutdown.
    Reply again = invoke_fn(server.port, R"({"fault":2})");
    EXPECT_EQ(again.body, R"({"fault":2})");
    EXPECT_EQ(fn.running(), 2);
    EXPECT_EQ(server.process->stop(SIGTERM, 10s), 0);
    EXPECT_EQ(fn.running(), 0);
    EXPECT_EQ(lines_starting(server.process->err(), "caught SIGTERM").size(), 4u)
        << server.process->err();
}

}  // namespace fault_e2e

}  // namespace lambda_emu::testing
