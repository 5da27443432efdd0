#include "lambda_emu/testkit.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

#include "events/generator.h"
#include "events/http_response.h"
#include "model/outcome.h"
#include "pool/function_pool.h"
#include "report/tail_sink.h"
#include "util/clock.h"
#include "util/random_id.h"

namespace lambda_emu::testkit {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t k_log_bytes = 1024 * 1024;

model::FunctionConfig config_of(const FunctionSpec& spec) {
    model::FunctionConfig c;
    fs::path path = fs::absolute(spec.bootstrap).lexically_normal();
    std::error_code ec;
    if (fs::is_directory(path, ec)) path /= "bootstrap";
    c.bootstrap = path.string();
    c.task_root = path.parent_path().string();
    c.name = spec.name.empty() ? path.parent_path().filename().string() : spec.name;
    c.handler = spec.handler;
    c.memory_mb = spec.memory_mb;
    c.timeout_s = spec.timeout_s;
    c.environment = spec.environment;
    c.enforce_memory_limit = spec.enforce_memory_limit;
    return c;
}

std::vector<fs::path> fixture_dirs() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("LAMBDA_EMU_FIXTURES_DIR")) dirs.emplace_back(env);
#ifdef LAMBDA_EMU_TESTKIT_FIXTURES
    dirs.emplace_back(LAMBDA_EMU_TESTKIT_FIXTURES);
#endif
#ifdef LAMBDA_EMU_SOURCE_FIXTURES
    dirs.emplace_back(LAMBDA_EMU_SOURCE_FIXTURES);
#endif
    return dirs;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) out.push_back(line);
    return out;
}

}  // namespace

std::string HttpView::header(const std::string& name) const {
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    std::string value;
    for (const auto& [k, v] : headers) {
        if (lower(k) == lower(name)) value = v;
    }
    return value;
}

nlohmann::json Result::json() const { return nlohmann::json::parse(m_payload, nullptr, false); }

std::string Result::log_tail(std::size_t lines) const {
    std::size_t from = m_log.size() > lines ? m_log.size() - lines : 0;
    std::string out;
    for (std::size_t i = from; i < m_log.size(); ++i) out += m_log[i] + "\n";
    return out;
}

Result invalid_event(const std::string& why) {
    Result r;
    r.m_outcome = "failure";
    r.m_error_type = "InvalidEvent";
    r.m_error_message = why;
    return r;
}

struct Function::Impl {
    model::FunctionConfig config;
    model::NullLogSink null;
    report::TailSink tail{null, report::LogFormat::text, k_log_bytes};
    std::unique_ptr<pool::FunctionPool> pool;

    void fresh_pool() {
        if (pool) pool->shutdown();
        pool = std::make_unique<pool::FunctionPool>(config, tail, util::system_clock());
    }
};

Function::Function(FunctionSpec spec) : m_impl(std::make_unique<Impl>()) {
    m_impl->config = config_of(spec);
    m_impl->fresh_pool();
}

Function::~Function() { shutdown(); }

void Function::shutdown() {
    if (m_impl && m_impl->pool) m_impl->pool->shutdown();
}

Result Function::invoke(const std::string& event_json, Start start) {
    if (start == Start::cold) m_impl->fresh_pool();
    pool::InvokeRequest request;
    request.request_id = util::new_uuid();
    request.payload = event_json;
    m_impl->tail.watch(request.request_id);
    model::Outcome outcome = m_impl->pool->invoke(request);
    Result r;
    r.m_log = lines_of(m_impl->tail.take(request.request_id));
    r.m_request_id = outcome.request_id;
    r.m_outcome = model::status_name(outcome.kind);
    r.m_payload = outcome.body;
    r.m_metrics.init_duration_ms = outcome.metrics.init_duration_ms;
    r.m_metrics.duration_ms = outcome.metrics.duration_ms;
    r.m_metrics.billed_duration_ms = outcome.metrics.billed_duration_ms;
    r.m_metrics.memory_size_mb = outcome.metrics.memory_size_mb;
    r.m_metrics.max_memory_used_mb = outcome.metrics.max_memory_used_mb;
    if (outcome.failed()) {
        r.m_error_type = outcome.error_type;
        auto body = nlohmann::json::parse(outcome.body, nullptr, false);
        if (body.is_object()) {
            if (body.contains("errorType") && body["errorType"].is_string())
                r.m_error_type = body["errorType"].get<std::string>();
            if (body.contains("errorMessage") && body["errorMessage"].is_string())
                r.m_error_message = body["errorMessage"].get<std::string>();
        }
    }
    events::HttpEventKind kind = events::http_event_kind(event_json);
    if (kind != events::HttpEventKind::none) {
        events::HttpReply reply = events::http_reply(kind, outcome.body, outcome.failed(),
                                                     events::alb_multi_value_event(event_json));
        r.m_http = HttpView{reply.status, reply.headers, reply.body};
    }
    return r;
}

Result Function::invoke_fixture(const std::string& name, Start start) {
    for (const auto& dir : fixture_dirs()) {
        fs::path file = dir / (name + ".json");
        std::ifstream in(file, std::ios::binary);
        if (!in) continue;
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return invoke(text, start);
    }
    return invalid_event("no fixture named '" + name +
                         "' (set LAMBDA_EMU_FIXTURES_DIR to the fixtures directory)");
}

Result Function::invoke_generated(const std::vector<std::string>& args, Start start) {
    auto request = events::parse_event_args(args);
    if (!request) return invalid_event(request.error().message);
    auto event = events::generate_event(*request, util::system_clock());
    if (!event) return invalid_event(event.error().message);
    return invoke(*event, start);
}

}  // namespace lambda_emu::testkit
