//! Benchmark workload "fib": the CPU + memory probe of rust-vs-python-lambda-benchmark.
//!
//! n comes from the event's queryStringParameters.n (a string of ASCII digits, 0..93; anything
//! else gives 40). Fibonacci(n) is computed iteratively and timed, then a vector of the 100,000
//! squares i*i is collected and timed, and its sum is reported so that it cannot be optimised
//! away. The response is an API Gateway / Function URL proxy response whose body is the JSON
//!   {"runtime":"rust","fib_result":..,"fib_n":..,"compute_ms":..,"alloc_items":100000,
//!    "alloc_sum":333328333350000,"alloc_ms":..,"total_ms":..}
//! with the times in milliseconds rounded to 4 decimals.

mod runtime;

use std::io::Write;
use std::time::Instant;

const DEFAULT_N: u32 = 40;
const MAX_N: u32 = 93; // fib(93) is the largest Fibonacci number in a u64
const ITEMS: u64 = 100_000;

/// Makes the value behind `p` count as read here, so that it is computed (and stored) before
/// this point: an empty asm statement that may read any memory. (std::hint::black_box is
/// Rust 1.66 or later; this builds with 1.63.)
#[inline(always)]
fn keep<T: ?Sized>(p: *const T) {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    // SAFETY: the asm statement is empty: it only names the pointer in a comment.
    unsafe {
        std::arch::asm!("/* {0} */", in(reg) p as *const u8, options(nostack, preserves_flags));
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    // SAFETY: callers pass a pointer to a live, initialised value of at least one byte.
    unsafe {
        std::ptr::read_volatile(p as *const u8);
    }
}

// ---------------------------------------------------------------------------
// A minimal JSON scanner: finds the top-level "queryStringParameters" object and its "n"
// member. Other values are skipped. The last of duplicate keys wins, as in JSON.parse and
// Python's json. An input that is not a valid JSON object yields nothing.

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    /// The string value of queryStringParameters.n, if there is one.
    fn query_n(s: &'a [u8]) -> Option<Vec<u8>> {
        let mut sc = Scanner { s, i: 0 };
        let found = sc.top()?;
        sc.ws();
        if sc.i == sc.s.len() {
            found
        } else {
            None
        }
    }

    /// Some(found) for a valid object, None for invalid JSON.
    fn top(&mut self) -> Option<Option<Vec<u8>>> {
        let mut found = None;
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Some(found);
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            if key == b"queryStringParameters" {
                found = None;
                if self.peek() == b'{' {
                    self.params(&mut found)?;
                } else {
                    self.skip_value(1)?;
                }
            } else {
                self.skip_value(1)?;
            }
            if !self.eat(b',') {
                break;
            }
        }
        self.expect(b'}')?;
        Some(found)
    }

    fn params(&mut self, found: &mut Option<Vec<u8>>) -> Option<()> {
        self.expect(b'{')?;
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.expect(b':')?;
            if key == b"n" && self.peek() == b'"' {
                *found = Some(self.string()?);
            } else {
                if key == b"n" {
                    *found = None;
                }
                self.skip_value(2)?;
            }
            if !self.eat(b',') {
                break;
            }
        }
        self.expect(b'}')
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> u8 {
        self.ws();
        self.s.get(self.i).copied().unwrap_or(0)
    }

    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == c {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        if self.eat(c) {
            Some(())
        } else {
            None
        }
    }

    /// A string, escapes decoded. A \u escape of a non-ASCII character becomes '?', which is
    /// neither a digit nor part of a wanted key.
    fn string(&mut self) -> Option<Vec<u8>> {
        self.expect(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            match c {
                b'"' => return Some(out),
                0..=0x1f => return None,
                b'\\' => {
                    let e = *self.s.get(self.i)?;
                    self.i += 1;
                    out.push(match e {
                        b'"' => b'"',
                        b'\\' => b'\\',
                        b'/' => b'/',
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'u' => {
                            let mut v: u32 = 0;
                            for _ in 0..4 {
                                let h = (*self.s.get(self.i)? as char).to_digit(16)?;
                                self.i += 1;
                                v = v * 16 + h;
                            }
                            if v < 0x80 {
                                v as u8
                            } else {
                                b'?'
                            }
                        }
                        _ => return None,
                    });
                }
                _ => out.push(c),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Option<()> {
        self.ws();
        if self.s.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        if self.digits() == 0 {
            return None;
        }
        if self.s.get(self.i) == Some(&b'.') {
            self.i += 1;
            if self.digits() == 0 {
                return None;
            }
        }
        if matches!(self.s.get(self.i), Some(b'e') | Some(b'E')) {
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+') | Some(b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        Some(())
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        if self.s[self.i..].starts_with(word) {
            self.i += word.len();
            Some(())
        } else {
            None
        }
    }

    fn skip_value(&mut self, depth: u32) -> Option<()> {
        if depth > 512 {
            return None;
        }
        match self.peek() {
            b'"' => self.string().map(|_| ()),
            b'{' => {
                self.i += 1;
                if self.eat(b'}') {
                    return Some(());
                }
                loop {
                    self.string()?;
                    self.expect(b':')?;
                    self.skip_value(depth + 1)?;
                    if !self.eat(b',') {
                        break;
                    }
                }
                self.expect(b'}')
            }
            b'[' => {
                self.i += 1;
                if self.eat(b']') {
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    if !self.eat(b',') {
                        break;
                    }
                }
                self.expect(b']')
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }
}

/// n from the event: a string of ASCII digits whose value is 0..93, else 40.
fn event_n(event: &[u8]) -> u32 {
    let text = match Scanner::query_n(event) {
        Some(t) if !t.is_empty() => t,
        _ => return DEFAULT_N,
    };
    let mut value: u32 = 0;
    for c in text {
        if !c.is_ascii_digit() {
            return DEFAULT_N;
        }
        value = value * 10 + u32::from(c - b'0');
        if value > MAX_N {
            return DEFAULT_N;
        }
    }
    value
}

fn fibonacci(n: u32) -> u64 {
    if n <= 1 {
        return n as u64;
    }
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 2..=n {
        let tmp = a + b;
        a = b;
        b = tmp;
    }
    b
}

/// Milliseconds rounded to 4 decimals ("0", "0.0123", "12.5").
fn round4(ms: f64) -> f64 {
    (ms * 10_000.0).round() / 10_000.0
}

fn handle(event: &[u8], response: &mut Vec<u8>) {
    let n = event_n(event);

    let total_start = Instant::now();
    let compute_start = Instant::now();
    let fib_result = fibonacci(n);
    keep(&fib_result);
    let compute_ms = compute_start.elapsed().as_secs_f64() * 1000.0;

    let alloc_start = Instant::now();
    let items: Vec<u64> = (0..ITEMS).map(|i| i * i).collect();
    keep(items.as_ptr());
    let alloc_ms = alloc_start.elapsed().as_secs_f64() * 1000.0;
    let total_ms = total_start.elapsed().as_secs_f64() * 1000.0;
    let alloc_sum: u64 = items.iter().sum();

    let body = format!(
        r#"{{"runtime":"rust","fib_result":{},"fib_n":{},"compute_ms":{},"alloc_items":{},"alloc_sum":{},"alloc_ms":{},"total_ms":{}}}"#,
        fib_result,
        n,
        round4(compute_ms),
        items.len(),
        alloc_sum,
        round4(alloc_ms),
        round4(total_ms)
    );
    // The body as a JSON string: it holds quotes, but no backslashes or control characters.
    let _ = write!(
        response,
        r#"{{"statusCode":200,"headers":{{"content-type":"application/json"}},"body":"{}","isBase64Encoded":false}}"#,
        body.replace('"', "\\\"")
    );
}

fn main() {
    runtime::run(handle)
}
