// One builder per event source: the fields in, the event out. Internal to events/; the table
// that names them is in generator.cpp.
#pragma once

#include "events/build_context.h"
#include "util/result.h"

namespace lambda_emu::events {

using Builder = util::Result<Json> (*)(const BuildContext& context);

// http_events.cpp
util::Result<Json> build_apigw(const BuildContext& context);
util::Result<Json> build_apigw_v2(const BuildContext& context);
util::Result<Json> build_function_url(const BuildContext& context);
util::Result<Json> build_alb(const BuildContext& context);
// record_events.cpp
util::Result<Json> build_s3(const BuildContext& context);  // type "put" or "delete"
util::Result<Json> build_sqs(const BuildContext& context);
util::Result<Json> build_sns(const BuildContext& context);
util::Result<Json> build_kinesis(const BuildContext& context);
// dynamodb_event.cpp
util::Result<Json> build_dynamodb(const BuildContext& context);  // "insert", "modify", "remove"
// bus_events.cpp
util::Result<Json> build_eventbridge(const BuildContext& context);
util::Result<Json> build_scheduled(const BuildContext& context);
util::Result<Json> build_cloudwatch_logs(const BuildContext& context);

}  // namespace lambda_emu::events
