// One Lambda Invoke call with the AWS SDK for JavaScript v3, for tests/e2e/clients_test.cpp.
//
// Usage: node js_sdk_invoke.mjs NODE_MODULES_DIR ENDPOINT_URL FUNCTION_NAME [--payload JSON]
//                               [--qualifier Q] [--invocation-type T] [--log-type Tail]
//
// NODE_MODULES_DIR holds @aws-sdk/client-lambda (ES modules ignore NODE_PATH, so it is loaded
// with a require() rooted there). Prints one JSON object on stdout and exits 0 when the call
// returned, 3 when the SDK threw:
//   {"StatusCode": 200, "FunctionError": ..., "ExecutedVersion": ..., "LogResult": "<base64>",
//    "RequestId": ..., "Payload": "<text>"}                             (keys absent when absent)
//   {"name": ..., "message": ..., "httpStatus": ..., "isResourceNotFoundException": true|false}
// Exits 2 (with a message on stderr) when the SDK cannot be loaded.
import { createRequire } from "node:module";
import { join } from "node:path";

const [modules, endpoint, functionName, ...rest] = process.argv.slice(2);
if (!functionName) {
  console.error("usage: js_sdk_invoke.mjs NODE_MODULES_DIR ENDPOINT_URL FUNCTION_NAME [options]");
  process.exit(64);
}
const options = {};
for (let i = 0; i < rest.length; i += 2) options[rest[i]] = rest[i + 1];

let sdk;
try {
  sdk = createRequire(join(modules, "noop.js"))("@aws-sdk/client-lambda");
} catch (e) {
  console.error(`@aws-sdk/client-lambda is not installed under ${modules}: ${e.message}`);
  process.exit(2);
}
const { LambdaClient, InvokeCommand, ResourceNotFoundException } = sdk;

const client = new LambdaClient({
  endpoint,
  region: "us-east-1",
  credentials: { accessKeyId: "x", secretAccessKey: "x" },
  maxAttempts: 1,
});
const input = { FunctionName: functionName };
if (options["--payload"] !== undefined) input.Payload = new TextEncoder().encode(options["--payload"]);
if (options["--qualifier"] !== undefined) input.Qualifier = options["--qualifier"];
if (options["--invocation-type"] !== undefined) input.InvocationType = options["--invocation-type"];
if (options["--log-type"] !== undefined) input.LogType = options["--log-type"];

try {
  const response = await client.send(new InvokeCommand(input));
  const out = { StatusCode: response.StatusCode, RequestId: response.$metadata.requestId };
  for (const key of ["FunctionError", "ExecutedVersion", "LogResult"]) {
    if (response[key] !== undefined) out[key] = response[key];
  }
  out.Payload = response.Payload ? new TextDecoder().decode(response.Payload) : "";
  console.log(JSON.stringify(out));
} catch (e) {
  console.log(JSON.stringify({
    name: e.name,
    message: e.message,
    httpStatus: e.$metadata?.httpStatusCode,
    isResourceNotFoundException: e instanceof ResourceNotFoundException,
  }));
  process.exitCode = 3;
} finally {
  client.destroy();
}
