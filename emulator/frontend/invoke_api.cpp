#include "frontend/invoke_api.h"

#include <nlohmann/json.hpp>

#include "events/batch_response.h"
#include "frontend/function_name.h"
#include "frontend/http_listener.h"
#include "model/json_codec.h"
#include "model/limits.h"
#include "util/base64.h"
#include "util/random_id.h"

namespace lambda_emu::frontend {

namespace {

constexpr std::string_view k_prefix = "/2015-03-31/functions/";
constexpr std::string_view k_suffix = "/invocations";

std::string header_or(const ApiRequest& r, const std::string& name, const std::string& fallback) {
    const std::string* v = r.header ? r.header(name) : nullptr;
    return v ? *v : fallback;
}

ApiResponse too_large(std::size_t limit, const std::string& request_id) {
    ApiResponse r;
    r.status = 413;
    r.headers = {{"X-Amzn-ErrorType", "RequestEntityTooLargeException"},
                 {"X-Amzn-RequestId", request_id}};
    nlohmann::ordered_json body;
    body["Type"] = "User";
    body["message"] = "Request must be smaller than " + std::to_string(limit) +
                      " bytes for the InvokeFunction operation";
    r.body = body.dump();
    return r;
}

}  // namespace

ApiResponse service_error(int status, const std::string& type, const std::string& message,
                          const std::string& request_id) {
    ApiResponse r;
    r.status = status;
    r.headers = {{"X-Amzn-ErrorType", type}, {"X-Amzn-RequestId", request_id}};
    nlohmann::ordered_json body;
    body["Type"] = "User";
    body["message"] = message;
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

ApiResponse InvokeApi::handle(const ApiRequest& request) {
    std::string request_id = util::new_uuid();
    if (m_stopping) {
        return service_error(503, "ServiceException", "lambda-emu is shutting down", request_id);
    }
    const std::string& path = request.path;
    if (path.size() > k_prefix.size() + k_suffix.size() && path.rfind(k_prefix, 0) == 0 &&
        path.compare(path.size() - k_suffix.size(), k_suffix.size(), k_suffix) == 0) {
        if (request.method != "POST") {
            return service_error(405, "MethodNotAllowedException",
                                 "Method " + request.method + " is not allowed on " + path,
                                 request_id);
        }
        std::string param =
            path.substr(k_prefix.size(), path.size() - k_prefix.size() - k_suffix.size());
        return invoke(request, param);
    }
    return service_error(404, "UnknownOperationException",
                         "Unknown operation: " + request.method + " " + path, request_id);
}

ApiResponse InvokeApi::invoke(const ApiRequest& request, const std::string& param) {
    std::string request_id = util::new_uuid();
    if (param.size() > model::k_max_function_name_param) {
        return service_error(400, "ValidationException",
                             "1 validation error detected: Value at 'functionName' failed to "
                             "satisfy constraint: Member must have length less than or equal to " +
                                 std::to_string(model::k_max_function_name_param),
                             request_id);
    }
    auto ref = parse_function_ref(param);
    std::optional<InvokeTarget> target = ref ? m_functions.find(ref->name) : std::nullopt;
    if (auto q = request.query.find("Qualifier"); ref && q != request.query.end()) {
        if (!ref->qualifier.empty() && ref->qualifier != q->second) {
            return service_error(400, "InvalidParameterValueException",
                                 "The derived qualifier from the function name does not match "
                                 "the specified qualifier.",
                                 request_id);
        }
        ref->qualifier = q->second;
    }
    if (!target) {
        std::string shown =
            ref ? ref->name + (ref->qualifier.empty() ? "" : ":" + ref->qualifier) : param;
        return service_error(
            404, "ResourceNotFoundException",
            "Function not found: arn:aws:lambda:us-east-1:000000000000:function:" + shown,
            request_id);
    }
    pool::FunctionPool& pool = *target->pool;
    const std::string arn =
        pool.config().arn() + (ref->qualifier.empty() ? "" : ":" + ref->qualifier);

    std::string type = header_or(request, "X-Amz-Invocation-Type", "RequestResponse");
    if (type != "RequestResponse" && type != "Event" && type != "DryRun") {
        return service_error(400, "InvalidParameterValueException",
                             "1 validation error detected: Value '" + type +
                                 "' at 'invocationType' failed to satisfy constraint: Member must "
                                 "satisfy enum value set: [Event, RequestResponse, DryRun]",
                             request_id);
    }
    std::size_t limit =
        type == "Event" ? model::k_max_async_request_bytes : model::k_max_sync_request_bytes;
    if (body_length(request) > limit) return too_large(limit, request_id);
    std::string payload = request.body.empty() ? "{}" : request.body;
    if (auto st = model::validate_json(payload); !st) {
        return service_error(400, "InvalidRequestContentException",
                             "Could not parse request body into json: " + st.error().message,
                             request_id);
    }

    pool::InvokeRequest invoke;
    invoke.request_id = request_id;
    invoke.payload = std::move(payload);
    invoke.invoked_function_arn = arn;
    if (const std::string* cc = request.header ? request.header("X-Amz-Client-Context") : nullptr;
        cc && !cc->empty() && type == "RequestResponse") {
        auto decoded = util::base64_decode(*cc);
        if (!decoded || decoded->size() > model::k_max_client_context_bytes ||
            !model::validate_json(*decoded)) {
            return service_error(400, "InvalidRequestContentException",
                                 "Client context must be a valid Base64-encoded JSON object of at "
                                 "most 3583 bytes.",
                                 request_id);
        }
        invoke.client_context = *decoded;
    }

    if (type == "DryRun") {
        ApiResponse r;
        r.status = 204;
        r.headers = {{"X-Amzn-RequestId", request_id}};
        return r;
    }
    if (type == "Event") {
        m_async.submit(target->pool, std::move(invoke));
        ApiResponse r;
        r.status = 202;
        r.headers = {{"X-Amzn-RequestId", request_id}};
        return r;
    }

    bool tail = header_or(request, "X-Amz-Log-Type", "None") == "Tail" && target->tail;
    if (tail) target->tail->watch(request_id);
    auto admission = m_options.throttle ? pool::Admission::throttle : pool::Admission::wait;
    // Without a log tail to return, the client is answered at the runtime's answer and the
    // invocation ends (END, REPORT) once the answer is sent.
    std::optional<pool::AnsweredInvocation> answered =
        tail ? std::optional<pool::AnsweredInvocation>()
             : pool.try_invoke_answer(invoke, admission);
    std::optional<model::Outcome> outcome;
    if (tail) {
        outcome = pool.try_invoke(invoke, admission);
    } else if (answered) {
        // The body is the client's; the rest stays for the invocation's end.
        std::string body = std::move(answered->outcome().body);
        outcome = answered->outcome();
        outcome->body = std::move(body);
    }
    std::string log = tail ? target->tail->take(request_id) : std::string();
    if (!outcome) {
        ApiResponse r =
            service_error(429, "TooManyRequestsException", "Rate Exceeded.", request_id);
        nlohmann::ordered_json body;
        body["Reason"] = "ReservedFunctionConcurrentInvocationLimitExceeded";
        body["Type"] = "User";
        body["message"] = "Rate Exceeded.";
        r.body = body.dump();
        return r;
    }
    std::optional<std::string> notice;
    if (auto batch = events::interpret_batch(invoke.payload, outcome->body, outcome->failed())) {
        notice = batch->describe();
    }
    auto emit_notice = [request_id, notice, sink = target->tail] {
        if (notice && sink)
            sink->emit(model::NoticeEvent{std::chrono::system_clock::now(), request_id, *notice});
    };
    ApiResponse r;
    if (answered) {
        // Members end in reverse order: the invocation, then the pool it needs.
        struct Ending {
            std::shared_ptr<pool::FunctionPool> owner;
            pool::AnsweredInvocation invocation;
        };
        auto ending = std::make_shared<Ending>(Ending{target->pool, std::move(*answered)});
        r.after = [ending, emit_notice] {
            ending->invocation.end();
            emit_notice();
        };
    } else {
        emit_notice();
    }
    r.status = 200;
    r.body = std::move(outcome->body);
    r.headers = {{"X-Amzn-RequestId", request_id},
                 {"X-Amz-Executed-Version", pool.config().version}};
    if (outcome->failed()) r.headers.emplace_back("X-Amz-Function-Error", "Unhandled");
    if (tail) r.headers.emplace_back("X-Amz-Log-Result", util::base64_encode(log));
    return r;
}

}  // namespace lambda_emu::frontend
