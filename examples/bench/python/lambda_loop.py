"""lambda-emu benchmark workloads: the custom-runtime loop shared by health/ and fib/.

Stdlib only. One persistent http.client connection (http.client turns TCP_NODELAY on) to
http://$AWS_LAMBDA_RUNTIME_API/2018-06-01: GET /runtime/invocation/next, call the handler,
POST /runtime/invocation/{id}/response. Nothing is printed on the way, so that init stays
minimal. Follows the client of examples/python/bootstrap.
"""
import os
import sys

# http.client imports ssl only to offer HTTPSConnection; the Runtime API is plain HTTP, and
# skipping ssl takes ~10 ms off every cold start.
_block_ssl = "ssl" not in sys.modules
if _block_ssl:
    sys.modules["ssl"] = None  # makes "import ssl" raise ImportError
import http.client  # noqa: E402

if _block_ssl:
    del sys.modules["ssl"]
import select  # noqa: E402

NEXT_PATH = "/2018-06-01/runtime/invocation/next"


def _log_err(msg):
    sys.stderr.write(f"lambda-emu-bench: {msg}\n")
    sys.stderr.flush()


class Client:
    def __init__(self, host_port):
        self.conn = http.client.HTTPConnection(host_port)

    def _stale(self):
        """True if the idle keep-alive connection was closed by the server."""
        sock = self.conn.sock
        if sock is None:
            return False
        try:
            return bool(select.select([sock], [], [], 0)[0])  # EOF or stray bytes
        except (OSError, ValueError):
            return True

    def request(self, method, path, body=None):
        """Returns (status, response, body); None on a transport failure.

        A request on a reused connection that the server had already closed is retried once
        on a fresh connection.
        """
        hdrs = {"User-Agent": "lambda-emu-bench-python"}
        if body is not None:
            hdrs["Content-Type"] = "application/json"
            hdrs["Content-Length"] = str(len(body))
        for attempt in range(2):
            if self._stale():
                self.conn.close()
            reused = self.conn.sock is not None
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
            except OSError as e:
                if self.conn.sock is None:  # could not connect
                    _log_err(f"{method} {path} failed: {e!r}")
                    return None
                # The send failed part-way: the server's answer may still be readable.
            try:
                resp = self.conn.getresponse()
                return resp.status, resp, resp.read()
            except http.client.RemoteDisconnected as e:
                self.conn.close()
                if not reused or attempt:
                    _log_err(f"{method} {path} failed: {e!r}")
                    return None
            except (OSError, http.client.HTTPException) as e:
                self.conn.close()
                _log_err(f"{method} {path} failed: {e!r}")
                return None
        return None


def run(handler):
    """Runs the loop until the process is ended. handler(event_bytes) returns the response
    body as bytes (JSON). Exits with status 1 (after a line on stderr) when
    AWS_LAMBDA_RUNTIME_API is missing, when /next fails or when a POST gets a 5xx."""
    api = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not api:
        _log_err("AWS_LAMBDA_RUNTIME_API is not set")
        sys.exit(1)
    client = Client(api)
    while True:
        r = client.request("GET", NEXT_PATH)
        if r is None:
            _log_err("GET /runtime/invocation/next failed (connection)")
            sys.exit(1)
        status, resp, event = r
        if status != 200:
            _log_err(f"GET /runtime/invocation/next returned {status}")
            sys.exit(1)
        rid = resp.getheader("Lambda-Runtime-Aws-Request-Id", "")
        path = f"/2018-06-01/runtime/invocation/{rid}/response"
        r = client.request("POST", path, handler(event))
        if r is None or r[0] == 202:
            continue
        _log_err(f"POST {path} returned {r[0]}: {r[2].decode('utf-8', 'replace')}")
        if r[0] >= 500:
            sys.exit(1)
