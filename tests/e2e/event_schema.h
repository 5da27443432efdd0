// Checks an event's shape against Powertools for AWS Lambda (TypeScript)'s event schemas
// (@aws-lambda-powertools/parser's zod schemas, installed from npm by tests/e2e/node_ric.cmake),
// through tests/e2e/powertools/validate.mjs. An independent check, written by others, of the
// events lambda-emu ships (fixtures/) and produces (the event generator, the HTTP front ends).
//
//   EXPECT_EQ(event_schema_problems("SqsSchema", event), "");
#pragma once

#include <string>

namespace lambda_emu::testing {

// What is wrong with the event json_text by the schema named `schema` (an export of
// @aws-lambda-powertools/parser/schemas, e.g. "APIGatewayProxyEventV2Schema"): one line per
// issue, "<path>: <message>" (e.g. "Records[0].body: Invalid input: expected string, received
// undefined"). Empty when the event passes. When the check cannot run (node or the parser is
// not installed, an unknown schema name) it says so, never empty, so that the caller's test
// FAILS rather than passing unchecked.
std::string event_schema_problems(const std::string& schema, const std::string& json_text);

// Why the validator cannot run in this build (node, the parser or zod missing), with what to
// do about it; empty when it can.
std::string event_schema_validator_missing();

}  // namespace lambda_emu::testing
