#!/usr/bin/env python3
"""lambda-emu's soak run (issue 9; bench/README.md, section "Soak").

Drives one `lambda-emu serve` for N minutes with a bounded, mixed load (warm echo, cold starts,
crashes, timeouts, out-of-memory kills, 5 MB payloads each way) from K keep-alive client
threads, checks every answer, and reports per minute: invocations sent and answered, p99
latency, and serve's RSS, descriptors and threads. PASS/FAIL lines at the end; exit status 1 on
any FAIL, 2 on bad usage, 130 when interrupted.

Normally started by bench/soak.sh, which builds lambda-emu and the C++ example bootstrap first.
Python 3 standard library only. Loopback only; every wait is bounded.
"""

import argparse
import collections
import ctypes
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time

INVOKE_PATH = "/2015-03-31/functions/{}/invocations"
LARGE_BYTES = 5 * 1024 * 1024  # the request, and so the echoed response
COLD_GAP_S = 2.0  # a cold request at least this long after the previous one's answer
IDLE_TIMEOUT_S = 1  # serve --idle-timeout (the minimum); the reaper runs every 250 ms then
REQUEST_TIMEOUT_S = 60.0  # client socket timeout: far above every function's timeout
SAMPLE_EVERY_S = 5.0
RSS_SLACK_MB = 20.0
FD_SLACK = 4

# name -> function config and how it is driven. "weight" is its share of the mix; the cold
# function is paced instead (see COLD_GAP_S).
BEHAVIOURS = {
    "warm": dict(memory=128, timeout=3, concurrency=4, weight=75),
    "cold": dict(memory=128, timeout=3, concurrency=1, weight=0, paced=True),
    "crash": dict(memory=128, timeout=3, concurrency=None, weight=3),
    "timeout": dict(memory=128, timeout=1, concurrency=None, weight=2),
    "oom": dict(memory=128, timeout=10, concurrency=None, weight=1),
    "large": dict(memory=512, timeout=10, concurrency=None, weight=2),
}
ECHOING = ("warm", "cold", "large")
PAUSED = object()  # take_slot's answer between minutes
FUNCTION_PREFIX = "soak-"  # function names: soak-warm, soak-cold, ...

ID_RE = re.compile(rb'"id":"(s\d+)"')
SERVING_RE = re.compile(r"serving .* on http://127\.0\.0\.1:(\d+)")
LOG_RE = re.compile(r"^\[([A-Za-z0-9_-]+)\] (.*)$")
REPORT_RE = re.compile(r"^REPORT RequestId: ([0-9a-fA-F-]+)\t(.*)$")


def now():
    return time.monotonic()


def percentile(values, p):
    """Type 7 (linear interpolation), as report::stats does; None when empty."""
    if not values:
        return None
    xs = sorted(values)
    h = (len(xs) - 1) * p
    lo = int(h)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (h - lo)


def ms(x):
    return None if x is None else round(x * 1000.0, 2)


def fmt(x, width, nd=1):
    if x is None:
        return "-".rjust(width)
    return f"{x:.{nd}f}".rjust(width)


# ---------------------------------------------------------------------------------------------
# /proc readings


def proc_status(pid):
    """VmRSS (kB) and Threads of pid, or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    rss = threads = None
    for line in text.splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
        elif line.startswith("Threads:"):
            threads = int(line.split()[1])
    return rss, threads


def fd_count(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


def processes_of(exe_path):
    """Pids of live processes running exe_path (the soak's own copy of the bootstrap)."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            target = os.readlink(f"/proc/{entry}/exe")
        except OSError:
            continue
        if target == exe_path or target == exe_path + " (deleted)":
            pids.append(int(entry))
    return pids


def loadavg():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


# ---------------------------------------------------------------------------------------------
# The run


class Request:
    __slots__ = ("id", "kind", "minute", "sent_at", "answers", "own_answer", "request_id",
                 "latency", "wrong")

    def __init__(self, rid, kind, minute, sent_at):
        self.id = rid
        self.kind = kind
        self.minute = minute
        self.sent_at = sent_at
        self.answers = 0  # answers carrying this payload id (its own and any stray one)
        self.own_answer = False  # the HTTP response to this request arrived
        self.request_id = None
        self.latency = None
        self.wrong = None


class Soak:
    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.requests = {}  # payload id -> Request
        self.seq = 0
        self.by_request_id = collections.Counter()  # X-Amzn-RequestId -> answers
        self.request_id_kind = {}
        self.stray_answers = []  # answers whose body carried another request's id
        self.wrong_examples = []
        self.transport_errors = collections.Counter()
        self.reports = collections.defaultdict(list)  # RequestId -> [(function, fields)]
        self.init_starts = collections.Counter()  # function -> INIT_START lines
        self.serve_notices = []  # serve's own lines other than serving/stopping
        self.samples = []
        self.rest = {}
        self.serve = None
        self.serve_log = None
        self.port = None
        self.stop_sending = threading.Event()
        self.interrupted = threading.Event()
        self.next_slot = 0.0
        self.cold_busy = False
        self.cold_next = 0.0
        self.t0 = None
        self.gate = threading.Event()  # set while a minute's load runs
        self.gate_open = False
        self.window_end = 0.0
        self.in_flight = 0
        self.current_minute = 0
        self.checkpoints = []  # serve at rest after each minute
        self.drain_s = []
        self.large_pad = None
        rnd = random.Random(args.seed)
        self.rng_lock = threading.Lock()
        self.rng = rnd

    # --- set-up ----------------------------------------------------------------------------

    def prepare(self):
        a = self.args
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.work = os.path.join(os.path.abspath(a.work_dir), f"run-{stamp}-{os.getpid()}")
        os.makedirs(self.work)
        # The soak's own copy of the bootstrap: its path identifies the soak's runtimes in /proc.
        self.bootstrap = os.path.join(self.work, "bootstrap")
        shutil.copy2(a.bootstrap, self.bootstrap)
        os.chmod(self.bootstrap, 0o755)
        functions = []
        for kind, b in BEHAVIOURS.items():
            functions.append({
                "name": FUNCTION_PREFIX + kind,
                "bootstrap": "bootstrap",
                "memory": b["memory"],
                "timeout": b["timeout"],
                # Failure functions get one environment per client thread: no request ever waits
                # for an environment (a wait can end in 429 when the function's timeout is short).
                "reserved_concurrency": b["concurrency"] or a.threads,
            })
        self.config_path = os.path.join(self.work, "lambda-emu.json")
        with open(self.config_path, "w") as f:
            json.dump({"functions": functions}, f, indent=2)
        self.large_pad = b"x" * LARGE_BYTES

    def start_serve(self):
        libc = ctypes.CDLL(None, use_errno=True)

        def child_setup():
            libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: SIGTERM if the soak dies

        cmd = [self.args.lambda_emu, "serve", "--host", "127.0.0.1", "--port", "0",
               "--idle-timeout", str(IDLE_TIMEOUT_S), "--config", self.config_path]
        self.serve_cmd = cmd
        self.serve_log_path = os.path.join(self.work, "serve.log")
        self.serve_log = open(self.serve_log_path, "w", encoding="utf-8", errors="replace")
        self.serve = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, start_new_session=True,
                                      preexec_fn=child_setup, cwd=self.work)
        self.serving = threading.Event()
        self.reader = threading.Thread(target=self.read_stderr, daemon=True)
        self.reader.start()
        if not self.serving.wait(15.0) or self.port is None:
            raise RuntimeError(f"lambda-emu serve did not print its serving line in 15 s; "
                               f"see {self.serve_log_path}")

    def read_stderr(self):
        for raw in self.serve.stderr:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            self.serve_log.write(line + "\n")
            m = LOG_RE.match(line)
            if m:
                fn, rest = m.group(1), m.group(2)
                r = REPORT_RE.match(rest)
                if r:
                    with self.lock:
                        self.reports[r.group(1)].append((fn, r.group(2)))
                elif rest.startswith("INIT_START "):
                    with self.lock:
                        self.init_starts[fn] += 1
                continue
            if self.port is None:
                s = SERVING_RE.search(line)
                if s:
                    self.port = int(s.group(1))
                    self.serving.set()
                    continue
            if line.startswith("lambda-emu: stopp"):
                continue
            with self.lock:
                if len(self.serve_notices) < 200:
                    self.serve_notices.append(line)
        self.serve_log.flush()

    # --- measuring -------------------------------------------------------------------------

    def sample(self):
        pid = self.serve.pid
        st = proc_status(pid)
        fds = fd_count(pid)
        if st is None or fds is None:
            return None
        return {"rss_kb": st[0], "threads": st[1], "fds": fds,
                "runtimes": len(processes_of(self.bootstrap))}

    def sampler(self):
        while not self.sampler_stop.wait(SAMPLE_EVERY_S):
            if not self.gate.is_set():
                continue  # between minutes: serve is sampled at rest instead
            s = self.sample()
            if s is None:
                continue
            s["t"] = round(now() - self.t0, 1)
            with self.lock:
                s["minute"] = self.current_minute
                self.samples.append(s)

    def at_rest(self):
        """Waits (up to 15 s) for every environment to be spun down, then samples serve."""
        limit = now() + 15.0
        while processes_of(self.bootstrap) and now() < limit and not self.interrupted.is_set():
            time.sleep(0.25)
        time.sleep(1.0)  # the reaper's last shutdowns and closed client sockets settle
        return self.sample()

    # --- load ------------------------------------------------------------------------------

    def take_slot(self):
        """The global pacing: at most --rate requests a second over all threads, no bursts to
        catch up. Returns the time to send at, PAUSED between minutes, or None at the end."""
        with self.lock:
            if self.stop_sending.is_set():
                return None
            t = max(self.next_slot, now())
            if not self.gate_open or t >= self.window_end:
                return PAUSED
            self.next_slot = t + 1.0 / self.args.rate
            self.in_flight += 1
            return t

    def choose(self):
        with self.lock:
            if BEHAVIOURS["cold"]["paced"] and not self.cold_busy and now() >= self.cold_next:
                self.cold_busy = True
                return "cold"
        kinds = [k for k, b in BEHAVIOURS.items() if b["weight"] > 0]
        with self.rng_lock:
            return self.rng.choices(kinds, weights=[BEHAVIOURS[k]["weight"] for k in kinds])[0]

    def new_request(self, kind, t):
        with self.lock:
            self.seq += 1
            rid = f"s{self.seq}"
            minute = self.current_minute
            req = Request(rid, kind, minute, t)
            self.requests[rid] = req
        if kind in ECHOING:
            head = f'{{"action":"echo","id":"{rid}","kind":"{kind}","pad":"'.encode()
            if kind == "large":
                body = head + self.large_pad[: LARGE_BYTES - len(head) - 2] + b'"}'
            else:
                body = head + b'"}'
        elif kind == "crash":
            body = f'{{"action":"crash","id":"{rid}"}}'.encode()
        elif kind == "timeout":
            body = f'{{"action":"sleep","ms":3000,"id":"{rid}"}}'.encode()
        else:  # oom: 200 MB in a 128 MB function
            body = f'{{"action":"alloc","mb":200,"id":"{rid}"}}'.encode()
        return req, body

    def check(self, req, payload, status, function_error, body, request_id):
        """None if the answer is right, else why not."""
        if status != 200:
            return f"status {status}: {body[:200]!r}"
        if not request_id:
            return "no X-Amzn-RequestId"
        if req.kind in ECHOING:
            if function_error is not None:
                return f"X-Amz-Function-Error {function_error}: {body[:200]!r}"
            if body != payload:
                return f"body is not the payload ({len(body)} bytes, {body[:120]!r})"
            return None
        if function_error != "Unhandled":
            return f"X-Amz-Function-Error {function_error!r}: {body[:200]!r}"
        try:
            err = json.loads(body)
        except ValueError:
            return f"error body is not JSON: {body[:200]!r}"
        expected = {
            "crash": ("Runtime.ExitError",
                      f"RequestId: {request_id} Error: Runtime exited with error: exit status 1"),
            "timeout": ("Sandbox.Timedout",
                        f"RequestId: {request_id} Error: Task timed out after 1.00 seconds"),
            "oom": ("Runtime.OutOfMemory", f"RequestId: {request_id} Error: Runtime exited"),
        }[req.kind]
        if not isinstance(err, dict) or err.get("errorType") != expected[0]:
            return f"errorType {err.get('errorType') if isinstance(err, dict) else err!r}"
        message = err.get("errorMessage", "")
        if req.kind == "oom":
            if not message.startswith(expected[1]):
                return f"errorMessage {message!r}"
        elif message != expected[1]:
            return f"errorMessage {message!r}"
        return None

    def client(self, index):
        conn = None
        try:
            while True:
                t = self.take_slot()
                if t is None:
                    break
                if t is PAUSED:
                    # Between minutes: no connection stays open while serve is sampled at rest.
                    if conn is not None:
                        conn.close()
                        conn = None
                    self.gate.wait(0.1)
                    continue
                try:
                    delay = t - now()
                    if delay > 0 and self.stop_sending.wait(delay):
                        break
                    kind = self.choose()
                    req, payload = self.new_request(kind, now())
                    conn = self.invoke(conn, kind, req, payload)
                finally:
                    with self.lock:
                        self.in_flight -= 1
        finally:
            if conn is not None:
                conn.close()

    def invoke(self, conn, kind, req, payload):
        """One invocation and the checks of its answer; returns the connection to go on with."""
        start = now()
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", self.port,
                                                  timeout=REQUEST_TIMEOUT_S)
            conn.request("POST", INVOKE_PATH.format(FUNCTION_PREFIX + kind), body=payload,
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            latency = now() - start
            status = resp.status
            function_error = resp.getheader("X-Amz-Function-Error")
            request_id = resp.getheader("X-Amzn-RequestId")
            if resp.will_close:
                conn.close()
                conn = None
        except Exception as e:  # no answer: the request counts as lost
            with self.lock:
                self.transport_errors[f"{kind}: {type(e).__name__}: {e}"[:160]] += 1
            if conn is not None:
                conn.close()
            conn = None
            if kind == "cold":
                with self.lock:
                    self.cold_busy = False
                    self.cold_next = now() + COLD_GAP_S
            return None
        why = self.check(req, payload, status, function_error, body, request_id)
        stray = None
        if kind in ECHOING and why is not None:
            m = ID_RE.search(body[:200])
            if m and m.group(1).decode() != req.id:
                stray = m.group(1).decode()
        with self.lock:
            req.own_answer = True
            req.latency = latency
            req.request_id = request_id
            req.wrong = why
            if stray is None:
                req.answers += 1
            elif stray in self.requests:
                self.requests[stray].answers += 1
                self.stray_answers.append({"request": req.id, "carried": stray})
            if request_id:
                self.by_request_id[request_id] += 1
                self.request_id_kind[request_id] = kind
            if why is not None and len(self.wrong_examples) < 20:
                self.wrong_examples.append({"id": req.id, "kind": kind,
                                            "request_id": request_id, "why": why})
            if kind == "cold":
                self.cold_busy = False
                self.cold_next = now() + COLD_GAP_S
        return conn

    # --- stopping --------------------------------------------------------------------------

    def stop_serve(self):
        """SIGTERM, then wait for a graceful stop (bounded). Returns (seconds, exit status)."""
        t = now()
        try:
            os.killpg(self.serve.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            rc = self.serve.wait(30.0)
        except subprocess.TimeoutExpired:
            self.kill_everything()
            rc = None
        return now() - t, rc

    def kill_everything(self):
        """Second SIGTERM (serve kills every runtime group at once), then SIGKILL the group and
        any runtime of the soak's bootstrap that is left."""
        if self.serve is not None and self.serve.poll() is None:
            for sig, wait in ((signal.SIGTERM, 0.3), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
                try:
                    os.killpg(self.serve.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.serve.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    pass
        if getattr(self, "bootstrap", None):
            for pid in processes_of(self.bootstrap):
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass

    # --- the whole run ---------------------------------------------------------------------

    def run(self):
        """Minute by minute: a minute of load, then a pause (the clients finish what is in
        flight and close their connections, every environment is spun down) in which serve is
        sampled at rest, so that its descriptors and threads compare exactly between minutes."""
        a = self.args
        self.minutes_total = max(1, int(-(-a.minutes // 1)))  # minutes, rounded up
        self.info = {
            "date_utc": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime()),
            "nproc": os.cpu_count(), "cpu": cpu_model(), "loadavg_before": loadavg(),
            "python": platform.python_version(),
        }
        self.prepare()
        self.start_serve()
        print(f"soak: serve pid {self.serve.pid} on 127.0.0.1:{self.port}, work dir {self.work}",
              flush=True)
        self.rest["start"] = self.at_rest()
        self.t0 = now()
        self.sampler_stop = threading.Event()
        sampler = threading.Thread(target=self.sampler, daemon=True)
        sampler.start()
        clients = [threading.Thread(target=self.client, args=(i,), daemon=True)
                   for i in range(a.threads)]
        for c in clients:
            c.start()
        print(f"soak: {a.threads} clients, at most {a.rate:g} invocations/s, "
              f"{a.minutes:g} min of load (started {self.info['date_utc']} UTC)", flush=True)

        serve_died = False
        stuck = 0
        for m in range(self.minutes_total):
            length = min(60.0, a.minutes * 60.0 - 60.0 * m)
            with self.lock:
                self.current_minute = m
                self.window_end = now() + length
                self.next_slot = now()
                self.gate_open = True
                self.gate.set()
            while now() < self.window_end and not self.interrupted.is_set():
                time.sleep(0.2)
                if self.serve.poll() is not None:
                    serve_died = True
                    break
            with self.lock:
                self.gate_open = False
                self.gate.clear()
            if serve_died or self.interrupted.is_set():
                break
            # Drain: every client finishes the request it has in flight (bounded).
            t = now()
            limit = t + a.drain
            while self.in_flight > 0 and now() < limit and not self.interrupted.is_set():
                time.sleep(0.05)
            stuck = max(stuck, self.in_flight)
            self.drain_s.append(round(now() - t, 2))
            if self.interrupted.is_set():
                break
            rest = self.at_rest()
            with self.lock:
                sent = sum(1 for r in self.requests.values() if r.minute == m)
                answered = sum(1 for r in self.requests.values() if r.minute == m and r.own_answer)
            self.checkpoints.append(dict(rest or {}, minute=m + 1))
            print(f"soak: minute {m + 1}: {sent} sent, {answered} answered; at rest: "
                  + (f"RSS {rest['rss_kb'] / 1024:.1f} MB, {rest['fds']} fds, "
                     f"{rest['threads']} threads" if rest else "serve not readable")
                  + f"; load {loadavg()}", flush=True)
        self.stop_sending.set()
        self.sampler_stop.set()
        if self.interrupted.is_set():
            return None
        for c in clients:
            c.join(1.0)
        sampler.join(1.0)
        self.rest["end"] = self.checkpoints[-1] if self.checkpoints else None
        self.info["loadavg_after"] = loadavg()
        stop_s, rc = self.stop_serve()
        self.reader.join(10.0)
        self.serve_log.close()
        leftover = processes_of(self.bootstrap)
        if leftover:
            self.kill_everything()
        return self.summarise(serve_died, stuck, stop_s, rc, leftover)

    # --- results ---------------------------------------------------------------------------

    def summarise(self, serve_died, stuck, stop_s, rc, leftover):
        reqs = list(self.requests.values())
        sent = len(reqs)
        answered = sum(1 for r in reqs if r.own_answer)
        lost_ids = [r.id for r in reqs if not r.own_answer]
        wrong = [r for r in reqs if r.own_answer and r.wrong is not None]
        twice_payload = [r.id for r in reqs if r.answers > 1]
        twice_rid = [k for k, n in self.by_request_id.items() if n > 1]

        # REPORT lines: exactly one per answered request, of the right function and status.
        expected_status = {"warm": None, "cold": None, "large": None,
                           "crash": "Status: error\tError Type: Runtime.ExitError",
                           "timeout": "Status: timeout",
                           "oom": "Status: error\tError Type: Runtime.OutOfMemory"}
        report_problems = collections.Counter()
        report_examples = []
        cold_starts = collections.Counter()  # function kind -> REPORTs with Init Duration
        answered_rids = {r.request_id: r for r in reqs if r.own_answer and r.request_id}
        for rid, r in answered_rids.items():
            lines = self.reports.get(rid, [])
            problem = None
            if not lines:
                problem = "missing"
            elif len(lines) > 1:
                problem = "more than one"
            else:
                fn, fields = lines[0]
                want = expected_status[r.kind]
                if fn != FUNCTION_PREFIX + r.kind:
                    problem = "wrong function"
                elif want is None and "Status:" in fields:
                    problem = "unexpected status"
                elif want is not None and want not in fields:
                    problem = "wrong status"
                if "Init Duration:" in fields:
                    cold_starts[r.kind] += 1
            if problem:
                report_problems[problem] += 1
                if len(report_examples) < 10:
                    report_examples.append({"request_id": rid, "kind": r.kind,
                                            "problem": problem, "lines": lines})
        unanswered_reports = [rid for rid in self.reports if rid not in answered_rids]
        if unanswered_reports:
            report_problems["REPORT for no answered request"] += len(unanswered_reports)

        # Per minute.
        minutes = []
        for m in range(self.minutes_total):
            in_m = [r for r in reqs if r.minute == m]
            lat_all = [r.latency for r in in_m if r.latency is not None]
            per_kind = {}
            for kind in BEHAVIOURS:
                lat = [r.latency for r in in_m if r.kind == kind and r.latency is not None]
                per_kind[kind] = {"sent": sum(1 for r in in_m if r.kind == kind),
                                  "answered": len(lat), "p50_ms": ms(percentile(lat, 0.5)),
                                  "p99_ms": ms(percentile(lat, 0.99))}
            ss = [s for s in self.samples if s["minute"] == m]
            minutes.append({
                "minute": m + 1, "sent": len(in_m),
                "answered": sum(1 for r in in_m if r.own_answer),
                "wrong": sum(1 for r in in_m if r.own_answer and r.wrong is not None),
                "p50_ms": ms(percentile(lat_all, 0.5)), "p99_ms": ms(percentile(lat_all, 0.99)),
                "behaviours": per_kind,
                "rss_mb_max": round(max(s["rss_kb"] for s in ss) / 1024, 1) if ss else None,
                "rss_mb_min": round(min(s["rss_kb"] for s in ss) / 1024, 1) if ss else None,
                "fds_max": max(s["fds"] for s in ss) if ss else None,
                "fds_min": min(s["fds"] for s in ss) if ss else None,
                "threads_max": max(s["threads"] for s in ss) if ss else None,
                "runtimes_max": max(s["runtimes"] for s in ss) if ss else None,
                "samples": len(ss),
            })
            cp = next((c for c in self.checkpoints if c["minute"] == m + 1 and "fds" in c), None)
            minutes[-1]["rest"] = None if cp is None else {
                "rss_mb": round(cp["rss_kb"] / 1024, 1), "fds": cp["fds"],
                "threads": cp["threads"], "runtimes": cp["runtimes"]}

        behaviours = {}
        for kind in BEHAVIOURS:
            rs = [r for r in reqs if r.kind == kind]
            lat = [r.latency for r in rs if r.latency is not None]
            behaviours[kind] = {
                "sent": len(rs), "answered": len(lat),
                "wrong": sum(1 for r in rs if r.own_answer and r.wrong is not None),
                "p50_ms": ms(percentile(lat, 0.5)), "p99_ms": ms(percentile(lat, 0.99)),
                "max_ms": ms(max(lat) if lat else None),
                "environments_started": self.init_starts.get(FUNCTION_PREFIX + kind, 0),
                "cold_starts_in_report": cold_starts.get(kind, 0),
            }

        checks = []

        def check(ok, text):
            checks.append({"pass": bool(ok), "text": text})

        check(not twice_payload and not twice_rid,
              f"answered twice == 0 ({len(twice_payload)} by payload id, "
              f"{len(twice_rid)} by X-Amzn-RequestId)")
        check(not lost_ids, f"lost == 0 ({len(lost_ids)} sent without an answer; "
                            f"{sum(self.transport_errors.values())} transport errors)")
        check(not wrong, f"wrong == 0 ({len(wrong)} answers with the wrong status, header or body)")
        check(not report_problems,
              "one REPORT per answered request, right function and status ("
              + (", ".join(f"{k}: {v}" for k, v in report_problems.items()) or "all "
                 f"{len(answered_rids)}") + ")")
        first, last = minutes[0], minutes[-1]
        if first["rss_mb_max"] is None or last["rss_mb_max"] is None:
            check(False, "RSS flat: no samples")
        else:
            check(last["rss_mb_max"] <= first["rss_mb_max"] + RSS_SLACK_MB,
                  f"RSS flat: last minute's max {last['rss_mb_max']} MB <= first minute's max "
                  f"{first['rss_mb_max']} MB + {RSS_SLACK_MB:g} MB (under load, sampled every "
                  f"{SAMPLE_EVERY_S:g} s)")
        r1, rn = first["rest"], last["rest"]
        if r1 is None or rn is None:
            check(False, "fds and threads flat: serve could not be sampled at rest")
        else:
            check(rn["fds"] <= r1["fds"] + FD_SLACK,
                  f"fds flat: at rest after the last minute {rn['fds']} <= after the first "
                  f"{r1['fds']} + {FD_SLACK} (under load the largest: {last['fds_max']} and "
                  f"{first['fds_max']}, with up to {last['runtimes_max']} and "
                  f"{first['runtimes_max']} runtimes)")
            check(rn["threads"] <= r1["threads"] + FD_SLACK,
                  f"threads flat: at rest after the last minute {rn['threads']} <= after the "
                  f"first {r1['threads']} + {FD_SLACK}")
        rs, re_ = self.rest.get("start"), self.rest.get("end")
        if rs and re_:
            check(re_["fds"] <= rs["fds"] and re_["threads"] <= rs["threads"]
                  and re_["runtimes"] == 0,
                  f"back to the start at rest (no environment, no client connection): "
                  f"fds {rs['fds']} -> {re_['fds']}, "
                  f"threads {rs['threads']} -> {re_['threads']}, RSS "
                  f"{rs['rss_kb'] / 1024:.1f} -> {re_['rss_kb'] / 1024:.1f} MB, "
                  f"runtimes left {re_['runtimes']}")
        else:
            check(False, "at rest: serve could not be sampled")
        check(not serve_died and rc == 0,
              f"serve ran to the end and stopped on SIGTERM in {stop_s:.2f} s, exit status {rc}")
        check(not leftover, f"no leftover process of the soak functions ({len(leftover)} left)")
        if stuck:
            check(False, f"{stuck} requests still in flight after a {self.args.drain:g} s drain")

        return {
            "info": self.info,
            "settings": {"minutes": self.args.minutes, "threads": self.args.threads,
                         "rate_per_s": self.args.rate, "drain_s": self.args.drain,
                         "seed": self.args.seed, "mix": self.args.mix,
                         "idle_timeout_s": IDLE_TIMEOUT_S,
                         "cold_gap_s": COLD_GAP_S, "large_bytes": LARGE_BYTES,
                         "sample_every_s": SAMPLE_EVERY_S, "rss_slack_mb": RSS_SLACK_MB,
                         "fd_slack": FD_SLACK, "behaviours": BEHAVIOURS,
                         "serve": self.serve_cmd, "work_dir": self.work,
                         "serve_log": self.serve_log_path},
            "totals": {"sent": sent, "answered": answered,
                       "answered_twice_by_payload_id": len(twice_payload),
                       "answered_twice_by_request_id": len(twice_rid),
                       "lost": len(lost_ids), "wrong": len(wrong),
                       "transport_errors": dict(self.transport_errors),
                       "report_problems": dict(report_problems),
                       "environments_started": sum(self.init_starts.values()),
                       "drain_s": self.drain_s, "serve_stop_s": round(stop_s, 2),
                       "serve_exit_status": rc},
            "behaviours": behaviours,
            "minutes": minutes,
            "rest": self.rest,
            "checkpoints": self.checkpoints,
            "samples": self.samples,
            "checks": checks,
            "lost_ids": lost_ids[:100],
            "answered_twice": {"payload_ids": twice_payload[:100],
                               "request_ids": twice_rid[:100],
                               "stray_answers": self.stray_answers[:100]},
            "wrong_examples": self.wrong_examples,
            "report_examples": report_examples,
            "unanswered_reports": unanswered_reports[:100],
            "serve_notices": self.serve_notices,
            "leftover_pids": leftover,
        }


def print_results(res):
    info, t = res["info"], res["totals"]
    print()
    print(f"soak: {info['date_utc']} UTC, {info['nproc']} CPUs ({info['cpu']}), load average "
          f"{info['loadavg_before']} before, {info['loadavg_after']} after")
    print()
    print("    |       |          |       |   p99 warm |  p99 all | under load (max of samples)   "
          "| at rest after the minute")
    print("min |  sent | answered | wrong |         ms |       ms | RSS MB | fds | threads | run. "
          "| RSS MB | fds | threads")
    print("----|-------|----------|-------|------------|----------|--------|-----|---------|------"
          "|--------|-----|--------")
    for m in res["minutes"]:
        r = m["rest"] or {}
        print(f"{m['minute']:>3} | {m['sent']:>5} | {m['answered']:>8} | {m['wrong']:>5} | "
              f"{fmt(m['behaviours']['warm']['p99_ms'], 10)} | {fmt(m['p99_ms'], 8)} | "
              f"{fmt(m['rss_mb_max'], 6)} | {m['fds_max'] if m['fds_max'] is not None else '-':>3} | "
              f"{m['threads_max'] if m['threads_max'] is not None else '-':>7} | "
              f"{m['runtimes_max'] if m['runtimes_max'] is not None else '-':>4} | "
              f"{fmt(r.get('rss_mb'), 6)} | {r.get('fds', '-'):>3} | {r.get('threads', '-'):>7}")
    rs = res["rest"].get("start") or {}
    if rs:
        print(f"before the load, at rest: RSS {rs['rss_kb'] / 1024:.1f} MB, {rs['fds']} fds, "
              f"{rs['threads']} threads")
    print(f"(under load: one sample every {SAMPLE_EVERY_S:g} s; run.: live processes of the "
          "soak's bootstrap; at rest: after the minute's requests are answered, the clients' "
          "connections closed and every environment spun down)")
    print()
    print("behaviour |  sent | answered | wrong | p50 ms | p99 ms |  max ms | environments | "
          "REPORTs with Init Duration")
    for kind, b in res["behaviours"].items():
        print(f"{kind:<9} | {b['sent']:>5} | {b['answered']:>8} | {b['wrong']:>5} | "
              f"{fmt(b['p50_ms'], 6)} | {fmt(b['p99_ms'], 6)} | {fmt(b['max_ms'], 7)} | "
              f"{b['environments_started']:>12} | {b['cold_starts_in_report']}")
    print()
    print(f"totals: {t['sent']} sent, {t['answered']} answered, "
          f"{t['answered_twice_by_payload_id'] + t['answered_twice_by_request_id']} answered "
          f"twice, {t['lost']} lost, {t['wrong']} wrong; {t['environments_started']} "
          f"environments started; drain {t['drain_s']} s")
    if res["wrong_examples"]:
        print("wrong answers (first ones):")
        for w in res["wrong_examples"][:5]:
            print(f"  {w['id']} {w['kind']} {w['request_id']}: {w['why']}")
    if t["transport_errors"]:
        print("transport errors:")
        for k, v in t["transport_errors"].items():
            print(f"  {v} x {k}")
    if res["report_examples"]:
        print("REPORT problems (first ones):")
        for e in res["report_examples"][:5]:
            print(f"  {e['kind']} {e['request_id']}: {e['problem']}")
    if res["serve_notices"]:
        print(f"serve's own lines ({len(res['serve_notices'])}, first ones):")
        for line in res["serve_notices"][:5]:
            print(f"  {line}")
    print()
    for c in res["checks"]:
        print(("PASS " if c["pass"] else "FAIL ") + c["text"])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lambda-emu", required=True, help="the lambda-emu binary")
    p.add_argument("--bootstrap", required=True, help="the C++ example bootstrap")
    p.add_argument("--work-dir", required=True, help="scratch directory (a run-* folder per run)")
    p.add_argument("--minutes", type=float, default=10.0, help="minutes of load (default 10)")
    p.add_argument("--threads", type=int, default=6, help="client threads (default 6)")
    p.add_argument("--rate", type=float, default=20.0,
                   help="most invocations a second, all threads together (default 20)")
    p.add_argument("--drain", type=float, default=30.0,
                   help="seconds the clients may take to finish after the load (default 30)")
    p.add_argument("--seed", type=int, default=9, help="seed of the behaviour mix")
    p.add_argument("--mix", default="",
                   help="other weights, for diagnosis, e.g. warm=1,large=0 (cold=0: no cold "
                        "requests); the defaults are warm=75,crash=3,timeout=2,oom=1,large=2")
    p.add_argument("--json", help="write every figure to this file")
    a = p.parse_args()
    if not (0 < a.minutes <= 120) or not (1 <= a.threads <= 64) or not (0 < a.rate <= 1000) \
            or not (5 <= a.drain <= 300):
        p.error("--minutes 0-120, --threads 1-64, --rate 0-1000, --drain 5-300")
    a.lambda_emu, a.bootstrap = os.path.abspath(a.lambda_emu), os.path.abspath(a.bootstrap)
    for path in (a.lambda_emu, a.bootstrap):
        if not os.access(path, os.X_OK):
            p.error(f"{path}: not an executable file")

    for item in filter(None, a.mix.split(",")):
        kind, _, weight = item.partition("=")
        if kind not in BEHAVIOURS or not weight.isdigit():
            p.error(f"--mix {item}: KIND=WEIGHT with KIND one of {', '.join(BEHAVIOURS)}")
        if kind == "cold":
            BEHAVIOURS["cold"]["paced"] = int(weight) > 0
        else:
            BEHAVIOURS[kind]["weight"] = int(weight)
    if not any(b["weight"] for b in BEHAVIOURS.values()):
        p.error("--mix: every weight is 0")

    soak = Soak(a)

    def on_signal(signum, _frame):
        soak.interrupted.set()
        soak.stop_sending.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        res = soak.run()
    except Exception as e:
        soak.kill_everything()
        print(f"soak: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    if res is None:  # interrupted
        soak.kill_everything()
        print("soak: interrupted; serve and its runtimes were killed", file=sys.stderr)
        return 130
    print_results(res)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
        print(f"soak: wrote {a.json}")
    return 0 if all(c["pass"] for c in res["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
