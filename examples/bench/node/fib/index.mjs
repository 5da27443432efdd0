// Benchmark workload "fib": the CPU + memory probe of rust-vs-python-lambda-benchmark, for AWS's
// Node.js runtime interface client (aws-lambda-ric).
//
// n comes from the event's queryStringParameters.n (a string of ASCII digits, 0..93; anything
// else gives 40). Fibonacci(n) is computed iteratively (with BigInt: u64 values beyond 2^53 stay
// exact) and timed, then an array of the 100,000 squares i*i is built and timed, and its sum is
// reported. The response is an API Gateway / Function URL proxy response whose body is the JSON
//   {"runtime":"node","fib_result":..,"fib_n":..,"compute_ms":..,"alloc_items":100000,
//    "alloc_sum":333328333350000,"alloc_ms":..,"total_ms":..}
// with the times in milliseconds rounded to 4 decimals.

const DEFAULT_N = 40;
const MAX_N = 93; // fib(93) is the largest Fibonacci number in a u64
const ITEMS = 100_000;

// n from the event: a string of ASCII digits whose value is 0..93, else 40.
function eventN(event) {
  const params = event !== null && typeof event === "object" ? event.queryStringParameters : null;
  const text = params !== null && typeof params === "object" ? params.n : undefined;
  if (typeof text !== "string" || text.length === 0) return DEFAULT_N;
  let value = 0;
  for (const c of text) {
    if (c < "0" || c > "9") return DEFAULT_N;
    value = value * 10 + (c.charCodeAt(0) - 48);
    if (value > MAX_N) return DEFAULT_N;
  }
  return value;
}

function fibonacci(n) {
  if (n <= 1) return BigInt(n);
  let a = 0n;
  let b = 1n;
  for (let i = 2; i <= n; i++) {
    const tmp = a + b;
    a = b;
    b = tmp;
  }
  return b;
}

const round4 = (ms) => Math.round(ms * 10_000) / 10_000;

export const handler = async (event) => {
  const n = eventN(event);

  const totalStart = performance.now();
  const computeStart = performance.now();
  const fibResult = fibonacci(n);
  const computeMs = performance.now() - computeStart;

  const allocStart = performance.now();
  const items = [];
  for (let i = 0; i < ITEMS; i++) items.push(i * i);
  const allocMs = performance.now() - allocStart;
  const totalMs = performance.now() - totalStart;
  let allocSum = 0; // 333328333350000 < 2^53: exact as a Number
  for (const v of items) allocSum += v;

  // fib_result can exceed 2^53, so the body is written by hand rather than by JSON.stringify.
  const body =
    `{"runtime":"node","fib_result":${fibResult},"fib_n":${n},` +
    `"compute_ms":${round4(computeMs)},"alloc_items":${items.length},` +
    `"alloc_sum":${allocSum},"alloc_ms":${round4(allocMs)},"total_ms":${round4(totalMs)}}`;
  return {
    statusCode: 200,
    headers: { "content-type": "application/json" },
    body,
    isBase64Encoded: false,
  };
};
