// Benchmark workload "health": the minimal /health endpoint of rust-lambda-cold-start-floor
// (GET /health -> 200 "Healthy"), as an API Gateway / Function URL proxy response, for AWS's
// Node.js runtime interface client (aws-lambda-ric). Nothing happens at init.

export const handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "text/plain" },
  body: "Healthy",
  isBase64Encoded: false,
});
