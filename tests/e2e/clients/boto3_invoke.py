"""One Lambda Invoke call with boto3, for tests/e2e/clients_test.cpp.

Usage: boto3_invoke.py ENDPOINT_URL FUNCTION_NAME [--payload JSON] [--qualifier Q]
                       [--invocation-type T] [--log-type Tail]

Prints one JSON object on stdout and exits 0 when the call returned, 3 when boto3 raised:
  {"StatusCode": 200, "FunctionError": ..., "ExecutedVersion": ..., "LogResult": "<base64>",
   "RequestId": ..., "Payload": "<text>"}                               (keys absent when absent)
  {"exception": "<class name>", "code": ..., "message": ..., "httpStatus": ...,
   "isResourceNotFoundException": true|false}
Exits 2 (with a message on stderr) when boto3 cannot be imported.
"""
import argparse
import json
import sys

try:
    import boto3
    from botocore.config import Config
    from botocore.exceptions import ClientError
except ImportError as e:
    print(f"boto3 is not importable by {sys.executable}: {e} "
          "(install Debian's python3-boto3)", file=sys.stderr)
    sys.exit(2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("endpoint")
    parser.add_argument("function_name")
    parser.add_argument("--payload")
    parser.add_argument("--qualifier")
    parser.add_argument("--invocation-type")
    parser.add_argument("--log-type")
    args = parser.parse_args()

    client = boto3.client(
        "lambda",
        endpoint_url=args.endpoint,
        region_name="us-east-1",
        aws_access_key_id="x",
        aws_secret_access_key="x",
        config=Config(retries={"total_max_attempts": 1}, read_timeout=30, connect_timeout=5),
    )
    params = {"FunctionName": args.function_name}
    if args.payload is not None:
        params["Payload"] = args.payload.encode()
    if args.qualifier is not None:
        params["Qualifier"] = args.qualifier
    if args.invocation_type is not None:
        params["InvocationType"] = args.invocation_type
    if args.log_type is not None:
        params["LogType"] = args.log_type

    try:
        response = client.invoke(**params)
    except ClientError as e:
        print(json.dumps({
            "exception": type(e).__name__,
            "code": e.response.get("Error", {}).get("Code"),
            "message": e.response.get("Error", {}).get("Message"),
            "httpStatus": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
            "isResourceNotFoundException":
                isinstance(e, client.exceptions.ResourceNotFoundException),
        }))
        return 3

    out = {"StatusCode": response["StatusCode"],
           "RequestId": response["ResponseMetadata"].get("RequestId")}
    for key in ("FunctionError", "ExecutedVersion", "LogResult"):
        if key in response:
            out[key] = response[key]
    out["Payload"] = response["Payload"].read().decode("utf-8", "replace")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
