#include "runtime_api/routes.h"

#include <string>
#include <string_view>

#include "model/error_types.h"
#include "model/json_codec.h"
#include "model/limits.h"
#include "model/wire.h"
#include "util/base64.h"
#include "util/time_format.h"

namespace lambda_emu::runtime_api {

namespace {

namespace wire = model::wire;
namespace et = model::error_types;

constexpr std::string_view k_prefix = "/2018-06-01";
constexpr std::string_view k_invocation = "/runtime/invocation/";
constexpr const char* k_error_cause_type = "application/vnd.aws.lambda.error.cause+json";

HttpResponse accepted() { return json_response(202, wire::k_accepted_body); }

HttpResponse invalid_request_id() {
    return api_error(400, et::k_invalid_request_id, "Invalid request ID");
}

HttpResponse too_large() {
    return api_error(413, et::k_request_too_large,
                     "Exceeded maximum allowed payload size (" +
                         std::to_string(model::k_max_response_bytes) + " bytes).");
}

HttpResponse post_result(const core::PostResult& result) {
    switch (result.status) {
        case core::PostStatus::accepted:
            return accepted();
        case core::PostStatus::invalid_request_id:
            return invalid_request_id();
        case core::PostStatus::invalid_state:
            return api_error(403, et::k_invalid_state_transition, result.message);
    }
    return api_error(500, et::k_internal_error, "Internal Server Error");
}

HttpResponse truncated_request() {
    return api_error(400, et::k_truncated_request, "HTTP request detected as truncated");
}

// The answer to an invocation whose response or error body arrived cut short: the invocation
// fails with Runtime.TruncatedResponse, and the runtime is told 400 TruncatedHTTPRequest.
HttpResponse truncated_answer(std::string_view id, core::RuntimeAnswer answer,
                              core::RuntimeExchange& ex) {
    answer.kind = core::RuntimeAnswer::Kind::error;
    answer.error_type = et::k_truncated_response;
    answer.body = model::error_body(
        et::k_truncated_response,
        "RequestId: " + std::string(id) + " Error: HTTP request detected as truncated");
    core::PostResult result = ex.answer(id, std::move(answer));
    if (result.status != core::PostStatus::accepted) return post_result(result);
    return truncated_request();
}

// The error type the runtime gave: header, else the body's errorType, else "Unhandled".
std::string error_type_of(const HttpRequest& req, const std::string& body) {
    std::string type = header_or_empty(req, wire::k_error_type);
    if (type.empty()) type = model::error_type_in_body(body);
    if (type.empty()) type = et::k_unhandled;
    return type;
}

HttpResponse next(core::RuntimeExchange& exchange) {
    auto invocation = exchange.next();
    if (!invocation) {
        HttpResponse r = api_error(500, et::k_internal_error, "Internal Server Error");
        r.close_connection = true;
        return r;
    }
    HttpResponse r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", invocation->content_type);
    r.headers.emplace_back(wire::k_request_id, invocation->request_id);
    r.headers.emplace_back(wire::k_deadline_ms,
                           std::to_string(util::epoch_ms(invocation->deadline)));
    r.headers.emplace_back(wire::k_function_arn, invocation->invoked_function_arn);
    if (!invocation->trace_id.empty())
        r.headers.emplace_back(wire::k_trace_id, invocation->trace_id);
    if (!invocation->client_context.empty()) {
        r.headers.emplace_back(wire::k_client_context, invocation->client_context);
    }
    if (!invocation->cognito_identity.empty()) {
        r.headers.emplace_back(wire::k_cognito_identity, invocation->cognito_identity);
    }
    if (!invocation->tenant_id.empty())
        r.headers.emplace_back(wire::k_tenant_id, invocation->tenant_id);
    r.body = std::move(invocation->payload);
    return r;
}

HttpResponse response(const HttpRequest& req, std::string_view id, core::RuntimeExchange& ex) {
    if (!ex.is_current(id)) {
        // Not the invocation in progress: a second answer (403) or an unknown id (400).
        return post_result(ex.answer(id, core::RuntimeAnswer{}));
    }
    core::RuntimeAnswer answer;
    answer.body_bytes = req.body_bytes;
    const std::string* mode = req.header(wire::k_response_mode);
    if (mode && !mode->empty() && *mode != wire::k_streaming) {
        answer.kind = core::RuntimeAnswer::Kind::bad_response_mode;
        (void)ex.answer(id, std::move(answer));
        return api_error(400, et::k_invalid_response_mode_api, "Invalid function response mode");
    }
    answer.streamed = mode != nullptr && !mode->empty();
    if (req.truncated) return truncated_answer(id, std::move(answer), ex);
    if (req.body_over_limit) {
        answer.kind = core::RuntimeAnswer::Kind::too_large;
        (void)ex.answer(id, std::move(answer));
        return too_large();
    }
    answer.content_type = header_or_empty(req, "Content-Type");
    answer.body = req.body;
    if (const std::string* type = req.trailer(wire::k_error_type); type && !type->empty()) {
        // A streamed response that failed part-way: the error travels in the trailers.
        answer.kind = core::RuntimeAnswer::Kind::error;
        answer.error_type = *type;
        const std::string* encoded = req.trailer(wire::k_error_body);
        auto decoded = encoded ? util::base64_decode(*encoded) : std::nullopt;
        answer.body = decoded ? *decoded : model::error_body(*type, "");
    }
    return post_result(ex.answer(id, std::move(answer)));
}

// Removes errorCause from a vnd.aws.lambda.error.cause+json body, as the service does.
std::string strip_error_cause(const HttpRequest& req, std::string body) {
    const std::string* ct = req.header("Content-Type");
    if (ct && ct->rfind(k_error_cause_type, 0) == 0) return model::without_error_cause(body);
    return body;
}

HttpResponse error(const HttpRequest& req, std::string_view id, core::RuntimeExchange& ex) {
    if (!ex.is_current(id)) {
        core::RuntimeAnswer probe;
        probe.kind = core::RuntimeAnswer::Kind::error;
        return post_result(ex.answer(id, probe));
    }
    core::RuntimeAnswer answer;
    answer.kind = core::RuntimeAnswer::Kind::error;
    answer.body_bytes = req.body_bytes;
    if (req.truncated) return truncated_answer(id, std::move(answer), ex);
    if (req.body_over_limit) {
        answer.kind = core::RuntimeAnswer::Kind::too_large;
        (void)ex.answer(id, std::move(answer));
        return too_large();
    }
    answer.body = strip_error_cause(req, req.body);
    answer.error_type = error_type_of(req, answer.body);
    answer.content_type = header_or_empty(req, "Content-Type");
    return post_result(ex.answer(id, std::move(answer)));
}

HttpResponse init_error(const HttpRequest& req, core::RuntimeExchange& ex) {
    if (req.truncated) return truncated_request();
    if (req.body_over_limit) return too_large();
    std::string body = strip_error_cause(req, req.body);
    std::string type = error_type_of(req, body);
    return post_result(ex.init_error(std::move(type), std::move(body)));
}

}  // namespace

std::size_t body_limit_for(const HttpRequest& head) {
    const std::string* mode = head.header(wire::k_response_mode);
    if (mode && *mode == wire::k_streaming) return model::k_max_streamed_response_bytes;
    return model::k_max_response_bytes;
}

BodyObserver response_stream_observer(const HttpRequest& head, core::RuntimeExchange& exchange) {
    const std::string* mode = head.header(wire::k_response_mode);
    if (head.method != "POST" || !mode || *mode != wire::k_streaming) return nullptr;
    std::string_view path = head.target;
    if (path.substr(0, k_prefix.size()) != k_prefix) return nullptr;
    path.remove_prefix(k_prefix.size());
    constexpr std::string_view k_response = "/response";
    if (path.substr(0, k_invocation.size()) != k_invocation || path.size() < k_response.size() ||
        path.substr(path.size() - k_response.size()) != k_response) {
        return nullptr;
    }
    std::string_view id =
        path.substr(k_invocation.size(), path.size() - k_invocation.size() - k_response.size());
    std::shared_ptr<model::ResponseStream> stream = exchange.stream_for(id);
    if (!stream) return nullptr;
    stream->begin(header_or_empty(head, "Content-Type"));
    return [stream](std::string_view piece) { stream->write(piece); };
}

HttpResponse handle_runtime_request(const HttpRequest& request, core::RuntimeExchange& exchange) {
    std::string_view path = request.target;
    if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    if (path == "/2018-06-01/ping" || path == "/ping") {
        HttpResponse r;
        r.body = "pong";
        return r;
    }
    if (path.substr(0, k_prefix.size()) != k_prefix) {
        return api_error(404, "NotFound", "Not Found");
    }
    path.remove_prefix(k_prefix.size());

    if (path == "/runtime/invocation/next") {
        if (request.method != "GET")
            return api_error(405, "MethodNotAllowed", "Method Not Allowed");
        if (request.truncated) return truncated_request();
        return next(exchange);
    }
    if (path == "/runtime/init/error") {
        if (request.method != "POST")
            return api_error(405, "MethodNotAllowed", "Method Not Allowed");
        return init_error(request, exchange);
    }
    if (path.substr(0, k_invocation.size()) == k_invocation) {
        std::string_view rest = path.substr(k_invocation.size());
        auto slash = rest.rfind('/');
        if (slash != std::string_view::npos) {
            std::string_view id = rest.substr(0, slash);
            std::string_view action = rest.substr(slash + 1);
            if (action == "response" || action == "error") {
                if (request.method != "POST") {
                    return api_error(405, "MethodNotAllowed", "Method Not Allowed");
                }
                if (id.empty() || id.find('/') != std::string_view::npos)
                    return invalid_request_id();
                return action == "response" ? response(request, id, exchange)
                                            : error(request, id, exchange);
            }
        }
    }
    return api_error(404, "NotFound", "Not Found");
}

}  // namespace lambda_emu::runtime_api
