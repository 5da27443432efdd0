//! The custom-runtime loop shared by the `health` and `fib` binaries.
//!
//! A minimal HTTP/1.1 client over one keep-alive `TcpStream` (TCP_NODELAY, every request
//! written with a single `write_all`) to `http://$AWS_LAMBDA_RUNTIME_API/2018-06-01`:
//! `GET /runtime/invocation/next`, call the handler, `POST /runtime/invocation/{id}/response`.
//! It follows the client of examples/rust: `Content-Length`, chunked and read-to-close
//! responses, and a reconnect when the server has closed the idle connection.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::exit;

const NEXT_PATH: &str = "/2018-06-01/runtime/invocation/next";

fn die(msg: &str) -> ! {
    eprintln!("lambda-emu-bench: {}", msg);
    exit(1)
}

struct Response {
    status: u16,
    request_id: String,
    body: Vec<u8>,
}

enum ReadErr {
    Nothing, // the connection ended before any byte of a response
    Broken,
}

struct Client {
    host_port: String,
    addr: SocketAddr,
    conn: Option<TcpStream>,
    rbuf: Vec<u8>,
    rpos: usize,
    req: Vec<u8>,
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
            req: Vec::new(),
        }
    }

    fn close(&mut self) {
        self.conn = None;
        self.rbuf.clear();
        self.rpos = 0;
    }

    /// True if an idle keep-alive connection was closed by the server (or has stray bytes
    /// waiting): it must not be reused.
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

    /// Sends one request and reads the whole response. A request on a reused connection
    /// that got nothing back (the server had closed it while idle) is retried once on a
    /// fresh connection.
    fn request(&mut self, method: &str, path: &str, body: &[u8]) -> Option<Response> {
        self.req.clear();
        let _ = write!(
            self.req,
            "{} {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: lambda-emu-bench-rust\r\n",
            method, path, self.host_port
        );
        if method == "POST" {
            let _ = write!(
                self.req,
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                body.len()
            );
        }
        self.req.extend_from_slice(b"\r\n");
        self.req.extend_from_slice(body);

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
            // Even if the send fails part-way, the server's answer may be readable.
            let _ = self.conn.as_mut().unwrap().write_all(&self.req);
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

/// Runs the Runtime API loop until the process is ended. The handler gets the event's bytes
/// and appends the response body (JSON) to the empty vector it is given. Nothing is printed
/// on the way, so that init stays minimal; the process exits with status 1 (after a line on
/// stderr) when AWS_LAMBDA_RUNTIME_API is missing, when /next fails or when a POST gets a 5xx.
pub fn run(handler: fn(&[u8], &mut Vec<u8>)) -> ! {
    let api = std::env::var("AWS_LAMBDA_RUNTIME_API").unwrap_or_default();
    if api.is_empty() {
        die("AWS_LAMBDA_RUNTIME_API is not set");
    }
    let mut http = Client::new(&api);
    let mut response = Vec::new();
    loop {
        let next = match http.request("GET", NEXT_PATH, b"") {
            Some(r) => r,
            None => die("GET /runtime/invocation/next failed (connection)"),
        };
        if next.status != 200 {
            die(&format!(
                "GET /runtime/invocation/next returned {}",
                next.status
            ));
        }
        response.clear();
        handler(&next.body, &mut response);
        let path = format!(
            "/2018-06-01/runtime/invocation/{}/response",
            next.request_id
        );
        match http.request("POST", &path, &response) {
            None => eprintln!("lambda-emu-bench: POST {} failed (connection)", path),
            Some(r) if r.status == 202 => {}
            Some(r) => {
                eprintln!(
                    "lambda-emu-bench: POST {} returned {}: {}",
                    path,
                    r.status,
                    String::from_utf8_lossy(&r.body)
                );
                if r.status >= 500 {
                    exit(1);
                }
            }
        }
    }
}
