//! lambda-emu example: a custom-runtime bootstrap in Rust, std only.
//!
//! A minimal HTTP/1.1 client over one keep-alive `TcpStream` (TCP_NODELAY,
//! every request written with a single `write_all`) and a small JSON scanner
//! that reads just the top-level keys the behaviour contract needs.
//! See README.md for the contract.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::exit;
use std::thread::sleep;
use std::time::Duration;

const PREFIX: &str = "/2018-06-01/runtime";
const APIGW_RESPONSE: &str = r#"{"statusCode":200,"headers":{"content-type":"application/json"},"body":"{\"status\":\"ok\"}","isBase64Encoded":false}"#;
const HANDLER_ERROR: &str =
    r#"{"errorMessage":"deliberate failure","errorType":"HandlerError","stackTrace":[]}"#;
const INIT_ERROR: &str = r#"{"errorMessage":"deliberate init failure","errorType":"InitFailure"}"#;

// ---------------------------------------------------------------------------
// Output helpers: stdout is written and flushed at once (Rust's stdout is line
// buffered; the log action writes partial lines).

fn out(b: &[u8]) {
    let mut o = io::stdout().lock();
    let _ = o.write_all(b);
    let _ = o.flush();
}

fn die(msg: &str) -> ! {
    eprintln!("lambda-emu-example: {msg}");
    exit(1)
}

/// Reads one byte of every 4 KiB page with volatile loads, so the optimiser
/// can neither drop the allocation nor its fill while the block is in use.
fn touch_pages(block: &[u8]) {
    for page in block.chunks(4096) {
        // SAFETY: `page` is a non-empty slice, so its first byte is valid to read.
        unsafe { std::ptr::read_volatile(page.as_ptr()) };
    }
}

fn sleep_ms(ms: u64) {
    if ms > 0 {
        sleep(Duration::from_millis(ms));
    }
}

// ---------------------------------------------------------------------------
// Minimal HTTP/1.1 client over one keep-alive connection.

struct Response {
    status: u16,
    request_id: String,
    body: Vec<u8>,
}

struct Client {
    host_port: String,
    addr: SocketAddr,
    conn: Option<TcpStream>,
    rbuf: Vec<u8>,
    rpos: usize,
}

enum ReadErr {
    Nothing, // the connection ended before any byte of a response
    Broken,
}

impl Client {
    fn new(host_port: &str) -> Client {
        let addr = host_port
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .unwrap_or_else(|| die("AWS_LAMBDA_RUNTIME_API must be host:port"));
        Client {
            host_port: host_port.to_string(),
            addr,
            conn: None,
            rbuf: Vec::new(),
            rpos: 0,
        }
    }

    fn close(&mut self) {
        self.conn = None;
        self.rbuf.clear();
        self.rpos = 0;
    }

    /// True if an idle keep-alive connection was closed by the server (or has
    /// stray bytes waiting): it must not be reused.
    fn peer_closed(&self) -> bool {
        let c = match &self.conn {
            Some(c) => c,
            None => return false,
        };
        if c.set_nonblocking(true).is_err() {
            return true;
        }
        let mut b = [0u8; 1];
        let r = c.peek(&mut b);
        let _ = c.set_nonblocking(false);
        !matches!(r, Err(ref e) if e.kind() == io::ErrorKind::WouldBlock)
    }

    /// Sends one request and reads the whole response. A request on a reused
    /// connection that got nothing back (the server had closed it while idle)
    /// is retried once on a fresh connection.
    fn request(&mut self, method: &str, path: &str, extra: &str, body: &[u8]) -> Option<Response> {
        let mut req = Vec::with_capacity(160 + extra.len() + body.len());
        write!(
            req,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: lambda-emu-example-rust\r\n",
            self.host_port
        )
        .ok()?;
        if method == "POST" {
            write!(
                req,
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            )
            .ok()?;
        }
        req.extend_from_slice(extra.as_bytes());
        req.extend_from_slice(b"\r\n");
        req.extend_from_slice(body);

        for _ in 0..2 {
            if self.peer_closed() {
                self.close();
            }
            let reused = self.conn.is_some();
            if !reused {
                let c = TcpStream::connect(self.addr).ok()?;
                let _ = c.set_nodelay(true);
                self.conn = Some(c);
            }
            // Even if the send fails part-way (e.g. the server rejected an
            // oversized body and closed), its answer may already be readable.
            let _ = self.conn.as_mut().unwrap().write_all(&req);
            match self.read_response() {
                Ok(r) => return Some(r),
                Err(e) => {
                    self.close();
                    if !reused || !matches!(e, ReadErr::Nothing) {
                        return None;
                    }
                }
            }
        }
        None
    }

    fn fill(&mut self) -> bool {
        if self.rpos > 0 && self.rpos == self.rbuf.len() {
            self.rbuf.clear();
            self.rpos = 0;
        }
        let old = self.rbuf.len();
        self.rbuf.resize(old + 65536, 0);
        let n = loop {
            match self.conn.as_mut().unwrap().read(&mut self.rbuf[old..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => break r.unwrap_or(0),
            }
        };
        self.rbuf.truncate(old + n);
        n > 0
    }

    fn read_line(&mut self) -> Option<String> {
        loop {
            if let Some(i) = self.rbuf[self.rpos..].iter().position(|&b| b == b'\n') {
                let mut line = &self.rbuf[self.rpos..self.rpos + i];
                if line.last() == Some(&b'\r') {
                    line = &line[..line.len() - 1];
                }
                let s = String::from_utf8_lossy(line).into_owned();
                self.rpos += i + 1;
                return Some(s);
            }
            if !self.fill() {
                return None;
            }
        }
    }

    fn read_exact_into(&mut self, n: usize, dst: &mut Vec<u8>) -> bool {
        let take = n.min(self.rbuf.len() - self.rpos);
        dst.extend_from_slice(&self.rbuf[self.rpos..self.rpos + take]);
        self.rpos += take;
        let rest = n - take;
        if rest == 0 {
            return true;
        }
        let old = dst.len();
        dst.resize(old + rest, 0);
        self.conn
            .as_mut()
            .unwrap()
            .read_exact(&mut dst[old..])
            .is_ok()
    }

    fn read_response(&mut self) -> Result<Response, ReadErr> {
        let status_line = self.read_line().ok_or(ReadErr::Nothing)?;
        if !status_line.starts_with("HTTP/") || status_line.len() < 12 {
            return Err(ReadErr::Broken);
        }
        let status: u16 = status_line[9..12].parse().map_err(|_| ReadErr::Broken)?;
        let mut close = status_line.starts_with("HTTP/1.0");
        let mut content_length: Option<usize> = None;
        let mut chunked = false;
        let mut request_id = String::new();
        loop {
            let line = self.read_line().ok_or(ReadErr::Broken)?;
            if line.is_empty() {
                break;
            }
            let (name, value) = match line.split_once(':') {
                Some(pair) => pair,
                None => continue,
            };
            let (name, value) = (name.trim(), value.trim());
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.parse().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.to_ascii_lowercase().contains("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            } else if name.eq_ignore_ascii_case("lambda-runtime-aws-request-id") {
                request_id = value.to_string();
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let line = self.read_line().ok_or(ReadErr::Broken)?;
                let hex = line.split(';').next().unwrap_or("").trim();
                let n = usize::from_str_radix(hex, 16).map_err(|_| ReadErr::Broken)?;
                if n == 0 {
                    // trailers up to the empty line
                    while !self.read_line().ok_or(ReadErr::Broken)?.is_empty() {}
                    break;
                }
                if !self.read_exact_into(n, &mut body) || self.read_line().is_none() {
                    return Err(ReadErr::Broken);
                }
            }
        } else if let Some(n) = content_length {
            if !self.read_exact_into(n, &mut body) {
                return Err(ReadErr::Broken);
            }
        } else if status >= 200 && status != 204 && status != 304 {
            // No length: the body runs to the end of the connection.
            loop {
                body.extend_from_slice(&self.rbuf[self.rpos..]);
                self.rpos = self.rbuf.len();
                if !self.fill() {
                    break;
                }
            }
            close = true;
        }
        if close {
            self.close();
        }
        Ok(Response {
            status,
            request_id,
            body,
        })
    }
}

// ---------------------------------------------------------------------------
// Minimal JSON scanner: walks the top-level object, skipping nested values.

#[derive(Default)]
struct Event {
    action: Option<String>, // only when the top-level value is a string
    ms: u64,
    mb: u64,
    bytes: u64,
    no_newline: bool,
    http: bool, // top-level "httpMethod" or "requestContext" present
}

struct Scanner<'a> {
    s: &'a [u8],
    i: usize,
}

impl<'a> Scanner<'a> {
    /// The fields, or an empty Event if the input is not a JSON object.
    fn scan(s: &'a [u8]) -> Event {
        let mut sc = Scanner { s, i: 0 };
        let mut ev = Event::default();
        match sc.object(&mut ev) {
            Some(()) => ev,
            None => Event::default(),
        }
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
        self.eat(c).then_some(())
    }

    /// A string; escapes decoded (non-ASCII \u escapes become '?', which can
    /// never match an action name).
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
                            let hex = self.s.get(self.i..self.i + 4)?;
                            let v = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            self.i += 4;
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

    fn number(&mut self) -> Option<f64> {
        self.ws();
        let start = self.i;
        while self.i < self.s.len() && b"+-0123456789.eE".contains(&self.s[self.i]) {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse::<f64>()
            .ok()
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.ws();
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
                        return self.expect(b'}');
                    }
                }
            }
            b'[' => {
                self.i += 1;
                if self.eat(b']') {
                    return Some(());
                }
                loop {
                    self.skip_value(depth + 1)?;
                    if !self.eat(b',') {
                        return self.expect(b']');
                    }
                }
            }
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number().map(|_| ()),
        }
    }

    /// A count: a JSON number truncated to an integer (like Python's int());
    /// negative, non-numeric or missing values count as 0.
    fn count(&mut self) -> Option<u64> {
        let c = self.peek();
        if c == b'-' || c.is_ascii_digit() {
            let v = self.number()?;
            Some(if v.is_finite() && v > 0.0 {
                v.min(9.0e15) as u64
            } else {
                0
            })
        } else {
            self.skip_value(1).map(|_| 0)
        }
    }

    fn object(&mut self, ev: &mut Event) -> Option<()> {
        self.expect(b'{')?;
        if !self.eat(b'}') {
            loop {
                let key = self.string()?;
                self.expect(b':')?;
                match key.as_slice() {
                    b"action" => {
                        ev.action = if self.peek() == b'"' {
                            Some(String::from_utf8_lossy(&self.string()?).into_owned())
                        } else {
                            self.skip_value(1)?;
                            None
                        }
                    }
                    b"ms" => ev.ms = self.count()?,
                    b"mb" => ev.mb = self.count()?,
                    b"bytes" => ev.bytes = self.count()?,
                    b"no_newline" => {
                        ev.no_newline = self.peek() == b't';
                        self.skip_value(1)?;
                    }
                    k => {
                        if k == b"httpMethod" || k == b"requestContext" {
                            ev.http = true;
                        }
                        self.skip_value(1)?;
                    }
                }
                if !self.eat(b',') {
                    break;
                }
            }
            self.expect(b'}')?;
        }
        self.ws();
        (self.i == self.s.len()).then_some(())
    }
}

// ---------------------------------------------------------------------------
// The runtime loop.

struct Runtime {
    http: Client,
}

impl Runtime {
    /// POSTs to /runtime/...; a 5xx means the environment is broken: exit.
    fn post(&mut self, path: &str, extra: &str, body: &[u8]) {
        let full = format!("{PREFIX}{path}");
        match self.http.request("POST", &full, extra, body) {
            None => eprintln!("lambda-emu-example: POST {full} failed (connection)"),
            Some(r) if r.status == 202 => {}
            Some(r) => {
                eprintln!(
                    "lambda-emu-example: POST {full} returned {}: {}",
                    r.status,
                    String::from_utf8_lossy(&r.body)
                );
                if r.status >= 500 {
                    exit(1);
                }
            }
        }
    }

    fn respond(&mut self, id: &str, body: &[u8]) {
        self.post(&format!("/invocation/{id}/response"), "", body);
    }

    fn init_error(&mut self) -> ! {
        let r = self.http.request(
            "POST",
            &format!("{PREFIX}/init/error"),
            "Lambda-Runtime-Function-Error-Type: InitFailure\r\n",
            INIT_ERROR.as_bytes(),
        );
        if !matches!(r, Some(Response { status: 202, .. })) {
            eprintln!("lambda-emu-example: POST /runtime/init/error failed");
        }
        exit(1)
    }

    fn run(&mut self) -> ! {
        loop {
            let next = self
                .http
                .request("GET", &format!("{PREFIX}/invocation/next"), "", b"")
                .unwrap_or_else(|| die("GET /runtime/invocation/next failed (connection)"));
            if next.status != 200 {
                die(&format!(
                    "GET /runtime/invocation/next returned {}",
                    next.status
                ));
            }
            out(format!("handling {}\n", next.request_id).as_bytes());
            self.handle(&next.request_id, &next.body);
        }
    }

    fn handle(&mut self, id: &str, event: &[u8]) {
        let ev = Scanner::scan(event);
        let action = match ev.action.as_deref() {
            Some(action) => action,
            None => {
                let body = if ev.http {
                    APIGW_RESPONSE.as_bytes()
                } else {
                    event
                };
                return self.respond(id, body);
            }
        };
        match action {
            "error" => self.post(
                &format!("/invocation/{id}/error"),
                "Lambda-Runtime-Function-Error-Type: HandlerError\r\n",
                HANDLER_ERROR.as_bytes(),
            ),
            "crash" => {
                eprintln!("crashing");
                exit(1);
            }
            "sleep" => {
                sleep_ms(ev.ms);
                self.respond(id, format!("{{\"slept_ms\":{}}}", ev.ms).as_bytes());
            }
            "alloc" => {
                // A non-zero fill value: every byte (so every page) is written,
                // unlike a zeroed allocation whose pages stay unbacked.
                let block = vec![1u8; (ev.mb as usize) << 20];
                touch_pages(&block);
                self.respond(id, format!("{{\"allocated_mb\":{}}}", ev.mb).as_bytes());
                touch_pages(&block);
                drop(block);
            }
            "log" => {
                log(ev.bytes as usize, ev.no_newline);
                self.respond(id, format!("{{\"logged_bytes\":{}}}", ev.bytes).as_bytes());
            }
            "big" => {
                let pad = (ev.bytes as usize).saturating_sub(11); // 11 = len({"data":""})
                let mut body = Vec::with_capacity(pad + 11);
                body.extend_from_slice(b"{\"data\":\"");
                body.resize(body.len() + pad, b'x');
                body.extend_from_slice(b"\"}");
                self.respond(id, &body);
            }
            "exit0" => {
                self.respond(id, b"{\"ok\":true}");
                exit(0);
            }
            _ => self.respond(id, event), // "echo" and any other action
        }
    }
}

/// n bytes: the first n-1 bytes of ("x"*99 + "\n") repeated, then "\n" (or
/// "x" when no_newline), i.e. 100-byte lines and a shorter last line.
fn log(n: usize, no_newline: bool) {
    if n == 0 {
        return;
    }
    let mut left = n - 1;
    let block_size = left.min(1_048_500); // whole lines, so the block can repeat
    let mut block = vec![b'x'; block_size];
    for i in (99..block_size).step_by(100) {
        block[i] = b'\n';
    }
    let mut o = io::stdout().lock();
    while left > 0 {
        let take = left.min(block_size);
        let _ = o.write_all(&block[..take]);
        left -= take;
    }
    let _ = o.write_all(if no_newline { b"x" } else { b"\n" });
    let _ = o.flush();
}

fn env_ms(name: &str) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    out(b"init rust\n");
    sleep_ms(env_ms("EXAMPLE_INIT_SLEEP_MS"));
    let fail = std::env::var("EXAMPLE_INIT_FAIL").unwrap_or_default();
    if fail == "crash" {
        eprintln!("init crash");
        exit(2);
    }
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API")
        .unwrap_or_else(|_| die("AWS_LAMBDA_RUNTIME_API is not set"));
    let mut rt = Runtime {
        http: Client::new(&api),
    };
    if fail == "error" {
        rt.init_error();
    }
    rt.run();
}
