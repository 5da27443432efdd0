//! Benchmark workload "health": the minimal /health endpoint of rust-lambda-cold-start-floor
//! (GET /health -> 200 "Healthy"), as an API Gateway / Function URL proxy response. Nothing
//! happens at init but reading AWS_LAMBDA_RUNTIME_API.

mod runtime;

const HEALTHY: &[u8] = br#"{"statusCode":200,"headers":{"content-type":"text/plain"},"body":"Healthy","isBase64Encoded":false}"#;

fn handle(_event: &[u8], response: &mut Vec<u8>) {
    response.extend_from_slice(HEALTHY);
}

fn main() {
    runtime::run(handle)
}
