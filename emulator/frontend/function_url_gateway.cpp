#include "frontend/function_url_gateway.h"

#include "events/http_event.h"
#include "events/http_response.h"
#include "model/limits.h"
#include "util/random_id.h"

namespace lambda_emu::frontend {

namespace {

constexpr std::string_view k_prefix = "/lambda-url/";

ApiResponse plain(int status, std::string body) {
    ApiResponse r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}

}  // namespace

FunctionUrlGateway::FunctionUrlGateway(std::map<std::string, InvokeTarget> targets)
    : m_targets(std::move(targets)) {
    for (const auto& [name, target] : m_targets) m_url_ids[name] = util::random_hex(32);
}

ApiResponse FunctionUrlGateway::handle(const ApiRequest& request) {
    std::string target = request.target.empty() ? request.path : request.target;
    std::string path = target.substr(0, target.find('?'));
    std::string query =
        target.find('?') == std::string::npos ? "" : target.substr(target.find('?') + 1);
    if (path.rfind(k_prefix, 0) != 0) {
        return plain(404, R"({"message":"Not Found: use /lambda-url/FUNCTION/PATH"})");
    }
    std::string rest = path.substr(k_prefix.size());
    std::string name = rest.substr(0, rest.find('/'));
    std::string raw_path = rest.find('/') == std::string::npos ? "/" : rest.substr(rest.find('/'));
    auto it = m_targets.find(name);
    if (it == m_targets.end())
        return plain(404, R"({"Message":"Function not found: )" + name + "\"}");
    if (request.body.size() > model::k_max_sync_request_bytes) {
        return plain(413, R"({"Message":"Request must be smaller than 6291456 bytes"})");
    }

    events::HttpRequestData data;
    data.method = request.method;
    data.raw_path = raw_path;
    data.raw_query = query;
    data.headers = request.headers;
    data.body = request.body;
    data.source_ip = request.remote_addr.empty() ? "127.0.0.1" : request.remote_addr;
    events::FunctionUrlContext context;
    context.url_id = m_url_ids.at(name);
    context.request_id = util::new_uuid();
    context.time = std::chrono::system_clock::now();

    pool::InvokeRequest invoke;
    invoke.request_id = util::new_uuid();
    invoke.payload = events::function_url_event(data, context);
    auto outcome = it->second.pool->try_invoke(invoke, pool::Admission::wait);
    if (!outcome) return plain(429, R"({"Message":"Rate Exceeded."})");
    events::HttpReply reply =
        events::http_reply(events::HttpEventKind::apigw_v2, outcome->body, outcome->failed());
    if (!reply.problem.empty() && it->second.tail) {
        it->second.tail->emit(model::NoticeEvent{
            std::chrono::system_clock::now(), invoke.request_id,
            "Function URL answered " + std::to_string(reply.status) + ": " + reply.problem});
    }
    ApiResponse r;
    r.status = reply.status;
    r.content_type.clear();
    for (auto& [k, v] : reply.headers) {
        if (k == "content-type" || k == "Content-Type") {
            r.content_type = v;
        } else {
            r.headers.emplace_back(k, v);
        }
    }
    r.headers.emplace_back("x-amzn-RequestId", invoke.request_id);
    r.body = std::move(reply.body);
    return r;
}

}  // namespace lambda_emu::frontend
