// EventBridge and scheduled events, and CloudWatch Logs subscription deliveries.
#include "events/builders.h"
#include "events/gzip.h"
#include "util/base64.h"
#include "util/random_id.h"
#include "util/time_format.h"

namespace lambda_emu::events {

namespace {

Json bus_event(const BuildContext& context, util::SystemTime time, const std::string& source,
               const std::string& detail_type, const Json& resources, const Json& detail) {
    return {{"version", "0"},
            {"id", util::new_uuid()},
            {"detail-type", detail_type},
            {"source", source},
            {"account", context.account()},
            {"time", iso8601_seconds(time)},
            {"region", context.region()},
            {"resources", resources},
            {"detail", detail}};
}

util::Status check_not_empty(const std::string& field, const std::string& value) {
    if (!value.empty()) return util::Ok{};
    return util::make_error("--" + field + ": must not be empty");
}

}  // namespace

util::Result<Json> build_eventbridge(const BuildContext& context) {
    std::string source = context.get("source", "com.example.app");
    std::string detail_type = context.get("detail-type", "Example Event");
    if (auto ok = check_not_empty("source", source); !ok) return ok.error();
    if (auto ok = check_not_empty("detail-type", detail_type); !ok) return ok.error();
    auto detail = context.json("detail", R"({"message":"Hello from EventBridge!"})");
    if (!detail) return detail.error();
    if (!detail->is_object()) return util::make_error("--detail: expected a JSON object");
    Json resources = Json::array();
    for (const std::string& resource : context.all("resource")) resources.push_back(resource);
    return bus_event(context, context.now(), source, detail_type, resources, *detail);
}

util::Result<Json> build_scheduled(const BuildContext& context) {
    std::string rule = context.get("rule", "example-schedule");
    if (auto ok = check_not_empty("rule", rule); !ok) return ok.error();
    // Schedules fire on the minute; the event carries the scheduled time.
    auto minute = std::chrono::floor<std::chrono::minutes>(context.now());
    return bus_event(context, minute, "aws.events", "Scheduled Event",
                     Json::array({context.arn("events", "rule/" + rule)}), Json::object());
}

util::Result<Json> build_cloudwatch_logs(const BuildContext& context) {
    std::string group = context.get("log-group", "/aws/lambda/example-function");
    std::string stream = context.get(
        "log-stream", util::date_slashes(context.now()) + "/[$LATEST]" + util::random_hex(32));
    std::string filter = context.get("filter", "example-filter");
    if (auto ok = check_not_empty("log-group", group); !ok) return ok.error();
    if (auto ok = check_not_empty("log-stream", stream); !ok) return ok.error();
    std::vector<std::string> messages = context.all("message");
    if (messages.empty()) messages.emplace_back("Hello from CloudWatch Logs!");

    std::int64_t now_ms = util::epoch_ms(context.now());
    std::string id = "3" + random_digits(55);
    Json log_events = Json::array();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        if (i > 0) id = decimal_add(id, 1'000'000'000'000'000ULL + std::stoull(random_digits(15)));
        log_events.push_back({{"id", id},
                              {"timestamp", now_ms + static_cast<std::int64_t>(i)},
                              {"message", messages[i]}});
    }
    Json data = {{"messageType", "DATA_MESSAGE"},
                 {"owner", context.account()},
                 {"logGroup", group},
                 {"logStream", stream},
                 {"subscriptionFilters", Json::array({filter})},
                 {"logEvents", log_events}};
    auto gzipped = gzip_compress(data.dump());
    if (!gzipped) return gzipped.error();
    return Json{{"awslogs", {{"data", util::base64_encode(*gzipped)}}}};
}

}  // namespace lambda_emu::events
