#include "events/generator.h"

#include <algorithm>

#include "events/build_context.h"
#include "events/builders.h"

namespace lambda_emu::events {

namespace {

struct Entry {
    EventKind kind;
    Builder build;
};

std::vector<FieldSpec> http_fields(std::vector<FieldSpec> extra) {
    std::vector<FieldSpec> fields = {
        {"method", "METHOD", "HTTP method (default GET)"},
        {"path", "PATH", "request path, may end in ?QUERY (default /)"},
        {"query", "QUERY", "raw query string, e.g. 'a=1&b=x%20y' (default none)"},
        {"header", "'NAME: VALUE'", "an extra or replacing request header (repeatable)", true},
        {"body", "TEXT", "request body (default none)"},
    };
    fields.insert(fields.end(), extra.begin(), extra.end());
    return fields;
}

std::vector<FieldSpec> dynamodb_fields(bool new_image, bool old_image) {
    std::vector<FieldSpec> fields = {
        {"table", "NAME", "table name (default example-table)"},
        {"keys", "JSON",
         "key attributes, AttributeValue or plain JSON (default {\"id\":\"item-1\"})"},
    };
    if (new_image) {
        fields.push_back({"new-image", "JSON", "item after the change; the keys are added"});
    }
    if (old_image) {
        fields.push_back({"old-image", "JSON", "item before the change; the keys are added"});
    }
    fields.push_back({"stream-view-type", "VIEW",
                      "KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES (the default)"});
    return fields;
}

std::vector<Entry> make_entries() {
    std::vector<Entry> entries = {
        {{"s3",
          "put",
          "Amazon S3: an object was created (ObjectCreated:Put)",
          {{"bucket", "NAME", "bucket name (default example-bucket)"},
           {"key", "KEY", "object key, URL-encoded in the event (default test/key.txt)"},
           {"size", "BYTES", "object size (default 1024)"},
           {"etag", "HEX", "object ETag (default random)"}}},
         build_s3},
        {{"s3",
          "delete",
          "Amazon S3: an object was deleted (ObjectRemoved:Delete)",
          {{"bucket", "NAME", "bucket name (default example-bucket)"},
           {"key", "KEY", "object key, URL-encoded in the event (default test/key.txt)"}}},
         build_s3},
        {{"sqs",
          "",
          "Amazon SQS: a batch of messages",
          {{"body", "TEXT", "message body (default {\"message\":\"Hello from SQS!\"})"},
           {"queue", "NAME", "queue name (default example-queue)"},
           {"count", "N", "messages in the batch, 1-10000 (default 1)"}}},
         build_sqs},
        {{"apigw", "", "API Gateway REST API, v1 proxy integration",
          http_fields({{"resource", "PATH", "resource path (default /{proxy+}, or / for /)"},
                       {"stage", "NAME", "stage name (default prod)"}})},
         build_apigw},
        {{"apigw-v2", "", "API Gateway HTTP API, payload format 2.0",
          http_fields({{"route", "ROUTE",
                        "route key, e.g. 'GET /items/{id}' or /items/{id} (default $default)"}})},
         build_apigw_v2},
        {{"function-url", "", "Lambda function URL request (payload format 2.0)", http_fields({})},
         build_function_url},
        {{"alb", "", "Application Load Balancer request",
          http_fields(
              {{"target-group", "NAME", "target group name (default lambda-target-group)"}})},
         build_alb},
        {{"sns",
          "",
          "Amazon SNS: a notification",
          {{"message", "TEXT", "message (default Hello from SNS!)"},
           {"subject", "TEXT", "subject (default null)"},
           {"topic", "NAME", "topic name (default example-topic)"}}},
         build_sns},
        {{"eventbridge",
          "",
          "Amazon EventBridge: an event on a bus",
          {{"source", "SOURCE", "event source (default com.example.app)"},
           {"detail-type", "TEXT", "detail type (default Example Event)"},
           {"detail", "JSON", "detail object (default {\"message\":\"Hello from EventBridge!\"})"},
           {"resource", "ARN", "a resource ARN (repeatable; default none)", true}}},
         build_eventbridge},
        {{"scheduled",
          "",
          "EventBridge schedule rule: a Scheduled Event",
          {{"rule", "NAME", "rule name (default example-schedule)"}}},
         build_scheduled},
        {{"dynamodb", "insert", "DynamoDB Streams: an item was added (INSERT)",
          dynamodb_fields(true, false)},
         build_dynamodb},
        {{"dynamodb", "modify", "DynamoDB Streams: an item was changed (MODIFY)",
          dynamodb_fields(true, true)},
         build_dynamodb},
        {{"dynamodb", "remove", "DynamoDB Streams: an item was deleted (REMOVE)",
          dynamodb_fields(false, true)},
         build_dynamodb},
        {{"kinesis",
          "",
          "Amazon Kinesis Data Streams: a batch of records",
          {{"data", "TEXT",
            "record data, base64-encoded in the event (default Hello from Kinesis!)"},
           {"partition-key", "KEY", "partition key (default partition-key-1)"},
           {"stream", "NAME", "stream name (default example-stream)"},
           {"count", "N", "records in the batch, 1-10000 (default 1)"}}},
         build_kinesis},
        {{"cloudwatch-logs",
          "",
          "CloudWatch Logs subscription: log events, gzipped and base64-encoded",
          {{"message", "TEXT", "a log event's message (repeatable; default one line)", true},
           {"log-group", "NAME", "log group (default /aws/lambda/example-function)"},
           {"log-stream", "NAME", "log stream (default today's [$LATEST] stream)"},
           {"filter", "NAME", "subscription filter name (default example-filter)"}}},
         build_cloudwatch_logs},
    };
    for (Entry& e : entries) {
        e.kind.fields.push_back(
            {"region", "REGION", "region in ARNs and fields (default us-east-1)"});
        e.kind.fields.push_back({"account", "ID", "12-digit account id (default 123456789012)"});
    }
    return entries;
}

const std::vector<Entry>& entries() {
    static const std::vector<Entry> table = make_entries();
    return table;
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
    return out;
}

std::vector<std::string> source_names() {
    std::vector<std::string> names;
    for (const EventKind& k : event_kinds()) {
        if (names.empty() || names.back() != k.source) names.push_back(k.source);
    }
    return names;
}

std::string field_list(const EventKind& kind) {
    std::vector<std::string> names;
    for (const FieldSpec& f : kind.fields) names.push_back("--" + f.name);
    return join(names);
}

}  // namespace

const std::vector<EventKind>& event_kinds() {
    static const std::vector<EventKind> kinds = [] {
        std::vector<EventKind> out;
        for (const Entry& e : entries()) out.push_back(e.kind);
        return out;
    }();
    return kinds;
}

util::Result<std::vector<const EventKind*>> kinds_of(std::string_view source) {
    std::vector<const EventKind*> out;
    for (const EventKind& k : event_kinds()) {
        if (k.source == source) out.push_back(&k);
    }
    if (out.empty()) {
        return util::make_error("unknown event source '" + std::string(source) +
                                "'; valid sources: " + join(source_names()));
    }
    return out;
}

util::Result<EventRequest> parse_event_args(const std::vector<std::string>& args) {
    if (args.empty()) {
        return util::make_error("give an event SOURCE; valid sources: " + join(source_names()));
    }
    auto kinds = kinds_of(args[0]);
    if (!kinds) return kinds.error();
    std::size_t next = 1;
    bool has_type_arg = args.size() > 1 && args[1].rfind('-', 0) != 0;
    EventRequest request;
    request.kind = kinds->front();
    if (!request.kind->type.empty()) {
        if (has_type_arg) {
            auto it = std::find_if(kinds->begin(), kinds->end(),
                                   [&](const EventKind* k) { return k->type == args[1]; });
            if (it == kinds->end()) {
                std::vector<std::string> types;
                for (const EventKind* k : *kinds) types.push_back(k->type);
                return util::make_error("unknown " + args[0] + " type '" + args[1] +
                                        "'; valid types: " + join(types));
            }
            request.kind = *it;
            next = 2;
        }
    } else if (has_type_arg) {
        return util::make_error(
            args[0] + " has no TYPE, so '" + args[1] +
            "' is not valid; fields are given as --name VALUE: " + field_list(*request.kind));
    }

    const EventKind& kind = *request.kind;
    for (std::size_t i = next; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg.rfind("--", 0) != 0 || arg.size() == 2) {
            return util::make_error("unexpected '" + arg + "'; " + kind.label() +
                                    " fields are given as --name VALUE: " + field_list(kind));
        }
        std::size_t eq = arg.find('=');
        std::string name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
        auto spec = std::find_if(kind.fields.begin(), kind.fields.end(),
                                 [&](const FieldSpec& f) { return f.name == name; });
        if (spec == kind.fields.end()) {
            return util::make_error(kind.label() + " has no field --" + name +
                                    "; valid fields: " + field_list(kind));
        }
        std::string value;
        if (eq != std::string::npos) {
            value = arg.substr(eq + 1);
        } else if (i + 1 < args.size()) {
            value = args[++i];
        } else {
            return util::make_error("--" + name + " needs a value");
        }
        if (!is_utf8(value)) return util::make_error("--" + name + ": not valid UTF-8");
        std::vector<std::string>& values = request.fields[name];
        if (!values.empty() && !spec->repeatable) {
            return util::make_error("--" + name + " given twice; it takes one value");
        }
        values.push_back(value);
    }
    return request;
}

util::Result<std::string> generate_event(const EventRequest& request, const util::Clock& clock) {
    const auto& kinds = event_kinds();
    if (request.kind < kinds.data() || request.kind >= kinds.data() + kinds.size()) {
        return util::make_error("generate_event: the kind is not one of event_kinds()");
    }
    const Entry& entry = entries()[static_cast<std::size_t>(request.kind - kinds.data())];
    BuildContext context(entry.kind.type, request.fields, clock.system_now());
    if (auto ok = check_region_and_account(context); !ok) return ok.error();
    try {
        auto event = entry.build(context);
        if (!event) return event.error();
        return event->dump(2);
    } catch (const Json::exception& e) {
        return util::make_error(entry.kind.label() + ": " + e.what());
    }
}

std::string describe_fields(const EventKind& kind) {
    std::string out = kind.label() + ": " + kind.description + "\n";
    std::size_t width = 0;
    for (const FieldSpec& f : kind.fields) {
        width = std::max(width, f.name.size() + f.value_name.size() + 3);
    }
    for (const FieldSpec& f : kind.fields) {
        std::string left = "--" + f.name + " " + f.value_name;
        out += "  " + left + std::string(width - left.size() + 2, ' ') + f.help + "\n";
    }
    return out;
}

}  // namespace lambda_emu::events
