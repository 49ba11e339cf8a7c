#!/usr/bin/env python3
"""Hostile-client campaign against one doralake binary (a measurement, not a pass/fail test).

Usage: scripts/hostile-run.py --binary PATH [--scale F] [--concurrency N] [--timeout S]
                              [--idle-max S] [--fd-limit N] [--held-sockets N] [--json FILE] [--seed N]

Starts `PATH serve` on a free loopback port with a fresh SQLite file in a temp dir (random admin
token and key secret, as scripts/bench-ingest.sh does), creates a connection with an ingest key and
a project "my project", then sends a bounded campaign of malformed and hostile requests over every
route with raw sockets (so the framing is exactly what is written here), up to --concurrency at once:

  framing     chunk sizes `zz` and `ffffffffffffffffffff`, a chunk without its CRLF, a truncated
              chunk, bad or conflicting Content-Length / Transfer-Encoding
  protocol    CONNECT host:443, HTTP/0.9 request lines, only empty lines, binary garbage, a TLS
              ClientHello, the HTTP/2 preface, oversized request lines and headers, bad methods
  json        invalid JSON, 100 000-deep arrays and objects, wrong types
  control     "\\u0000", "vis\\u0000hidden" and other control characters in every string field of
              deployments, issues, pull requests and commits, in path segments and query (%00)
  sql         SQL-looking values (read back verbatim?)
  big         1 MB displayTitle (invalid: too long), 600 KB displayTitle (valid), 2 MB bodies,
              1000-commit deployments, many at once
  query       metrics with from=1970-01-01&to=9999-12-31 (several at once), bad metric parameters,
              list filters with garbage, ?project=my+project, the web UI's pages
  abort       clients that disconnect mid-body or mid-head
  valid       ordinary valid requests in between (the 200s of the stored-data check)

Watched connections, concurrent with the campaign (each held up to --idle-max seconds): a keep-alive
connection after its answer, a half request line (`GET /pi`), a silent connection, the request head
sent a byte per second, a body sent a byte per second, a head without its blank line. For each the
time until the server closed it (or `open` after --idle-max).

Then a second server with its file limit lowered to --fd-limit (setrlimit in the child;
DORALAKE_MAX_CONNECTIONS is set to half of it, for builds that read it) gets --held-sockets idle
sockets that each sent `GET /pi`, while /ping and /readyz are probed.

Recorded per request: status class (2xx/3xx/4xx/5xx), no answer within --timeout, closed without an
answer, answer size against request size. The server's VmRSS / VmHWM (/proc/PID/status) is sampled
every 0.2 s (peak per phase, peak overall, after the run). After the run every stored deployment,
issue, pull request and commit is listed with the admin token and compared with the requests that got
a 200 (nothing may be stored without one); control-character and SQL-looking values answered 200 are
read back and compared. Prints a summary table and, with --json FILE, writes it as JSON.
Needs only Python 3.11's standard library and Linux (/proc).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures
import json
import os
import random
import re
import resource
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

PREFIXES = ["/api/rest/plugins/webhook", "/rest/plugins/webhook", "/api/plugins/webhook", "/plugins/webhook"]
HEALTH_PREFIXES = ["", "/rest", "/api", "/api/rest"]
CONTROL_VALUES = ["\u0000", "vis\u0000hidden", "x\u0001y", "x\u001by", "x\u001fy"]
SQL_VALUES = [
    "'; DROP TABLE production_deployments; --",
    "\" OR 1=1 --",
    "%' OR '1'='1",
    "1; SELECT * FROM sqlite_master",
    "Robert'); DROP TABLE issues;--",
    "\\'\\\"\\\\ \\x00 ` $1 ?",
]


def log(message: str) -> None:
    print(f"[hostile] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# Server process and memory sampling
# --------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
    except (FileNotFoundError, ProcessLookupError, ValueError):
        pass
    return values


def open_fds(pid: int) -> int | None:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None


class Server:
    def __init__(self, binary: str, workdir: str, name: str, fd_limit: int | None = None, extra_env=None):
        self.port = free_port()
        self.admin = secrets.token_hex(32)
        self.log_path = os.path.join(workdir, f"{name}.log")
        env = dict(os.environ)
        env["DORALAKE_ADMIN_TOKEN"] = self.admin
        env["DORALAKE_KEY_SECRET"] = secrets.token_hex(32)
        env.update(extra_env or {})
        database = "sqlite:" + os.path.join(workdir, f"{name}.sqlite")

        def limit():
            if fd_limit is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (fd_limit, fd_limit))

        self.log_file = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--database", database,
             "--log-level", "info"],
            env=env, stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            preexec_fn=limit, cwd=workdir)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited during start-up ({self.process.returncode}): {self.log_tail()}")
            r = exchange(self.port, request("GET", "/ping"), timeout=2)
            if r.status == 200:
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not answer /ping within 60 s: " + self.log_tail())

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.log_path, "rb") as f:
                return b"\n".join(f.read().splitlines()[-lines:]).decode("utf-8", "replace")
        except OSError:
            return ""

    def log_levels(self) -> dict[str, int]:
        counts: collections.Counter[str] = collections.Counter()
        try:
            with open(self.log_path, "rb") as f:
                for line in f:
                    m = re.search(rb"\b(trace|debug|info|notice|warning|error|critical)\b", line[:80])
                    if m:
                        counts[m.group(1).decode()] += 1
        except OSError:
            pass
        return dict(counts)

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()
        return self.process.returncode


class Sampler(threading.Thread):
    """VmRSS / VmHWM of the server every `interval` seconds; peak VmRSS per phase."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.phase = "setup"
        self.peaks: dict[str, int] = {}
        self.max_rss = 0
        self.last: dict[str, int] = {}
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.sample()
            self.stopped.wait(self.interval)

    def sample(self) -> dict[str, int]:
        values = proc_status(self.pid)
        if values:
            self.last = values
            rss = values.get("VmRSS", 0)
            self.max_rss = max(self.max_rss, rss)
            self.peaks[self.phase] = max(self.peaks.get(self.phase, 0), rss)
        return values


# --------------------------------------------------------------------------------------------------
# Raw HTTP exchange
# --------------------------------------------------------------------------------------------------


@dataclass
class Result:
    case: str
    phase: str = ""
    status: int | None = None
    outcome: str = "answer"  # answer | incomplete | no-answer | closed | connect-error | client-abort
    request_bytes: int = 0
    answer_bytes: int = 0
    seconds: float = 0.0
    head: bytes = b""
    body: bytes = b""  # at most the first 64 KiB of the answer's body
    note: str = ""

    @property
    def status_class(self) -> str:
        if self.outcome != "answer" or self.status is None:
            return self.outcome
        return f"{self.status // 100}xx"


def request(method: str, path: str, body: bytes | None = None, token: str | None = None,
            headers: list[tuple[str, str]] | None = None, content_type: str | None = "application/json",
            close: bool = True, host: str = "127.0.0.1") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    if token is not None:
        lines.append(f"Authorization: Bearer {token}")
    if body is not None:
        if content_type:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body)}")
    for name, value in headers or []:
        lines.append(f"{name}: {value}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8", "surrogateescape") + (body or b"")


def parse_head(data: bytes):
    """(status, headers dict lower-cased, head length) of a response head, or None when incomplete/invalid."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return None
    lines = data[:end].split(b"\r\n")
    m = re.match(rb"HTTP/\d(?:\.\d)? (\d{3})", lines[0])
    if not m:
        return ("invalid", {}, end + 4)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
    return (int(m.group(1)), headers, end + 4)


def exchange(port: int, data: bytes, *, timeout: float = 10.0, case: str = "", head_request: bool = False,
             abort_after_send: bool = False, parts: list[tuple[bytes, float]] | None = None,
             keep_bytes: int = 65536 + 16384) -> Result:
    """Sends `data` (or `parts`: bytes and a pause after each) on a fresh connection and reads one answer."""
    result = Result(case=case, request_bytes=len(data) if parts is None else sum(len(p) for p, _ in parts))
    started = time.monotonic()
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as error:
        result.outcome = "connect-error"
        result.note = str(error)
        result.seconds = time.monotonic() - started
        return result
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        try:
            if parts is None:
                sock.sendall(data)
            else:
                for piece, pause in parts:
                    sock.sendall(piece)
                    if pause:
                        time.sleep(pause)
        except OSError as error:  # the server closed early (e.g. 413 before the whole body): read what it sent
            result.note = f"send: {error.__class__.__name__}"
        if abort_after_send:
            result.outcome = "client-abort"
            result.seconds = time.monotonic() - started
            return result
        buffer = bytearray()
        parsed = None
        deadline = time.monotonic() + timeout
        closed = False
        done = False
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            sock.settimeout(min(remaining, 1.0))
            try:
                chunk = sock.recv(262144)
            except socket.timeout:
                continue
            except OSError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            result.answer_bytes += len(chunk)
            if len(buffer) < keep_bytes:
                buffer += chunk
            if parsed is None:
                parsed = parse_head(bytes(buffer))
                if parsed is not None and parsed[0] == 100:  # 100 Continue: skip it
                    del buffer[: parsed[2]]
                    result.answer_bytes -= parsed[2]
                    parsed = parse_head(bytes(buffer))
            if parsed is not None and parsed[0] != "invalid" and answer_complete(parsed, result.answer_bytes, buffer, head_request):
                done = True
                break
        result.seconds = time.monotonic() - started
        if parsed is None or parsed[0] == "invalid":
            if buffer and parsed is not None:
                result.note = "unparsable answer"
            result.outcome = "closed" if closed else "no-answer"
            result.head = bytes(buffer[:200])
            return result
        result.status = parsed[0]
        if not done and not closed:
            result.outcome = "incomplete"  # a head, but its body did not arrive within the timeout
        result.head = bytes(buffer[: parsed[2]])
        result.body = bytes(buffer[parsed[2]:])
        return result
    finally:
        sock.close()


def answer_complete(parsed, total: int, buffer: bytearray, head_request: bool) -> bool:
    status, headers, head_length = parsed
    if head_request or status in (204, 304) or 100 <= status < 200:
        return True
    if "content-length" in headers:
        try:
            return total - head_length >= int(headers["content-length"])
        except ValueError:
            return False
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return buffer.endswith(b"0\r\n\r\n")
    return False


def body_json(result: Result):
    body = result.body
    if result.head and b"chunked" in result.head.lower():
        body = dechunk(body)
    try:
        return json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None


def dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        line, _, rest = data.partition(b"\r\n")
        try:
            size = int(line.split(b";")[0], 16)
        except ValueError:
            break
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return bytes(out)


# --------------------------------------------------------------------------------------------------
# Bodies
# --------------------------------------------------------------------------------------------------


class Ids:
    def __init__(self) -> None:
        self.n = 0
        self.lock = threading.Lock()

    def next(self, prefix: str) -> str:
        with self.lock:
            self.n += 1
            return f"{prefix}-{self.n}"

    def number(self) -> int:
        with self.lock:
            self.n += 1
            return 100000 + self.n


def deployment(id_: str, **overrides) -> dict:
    body = {
        "id": id_, "startedDate": "2024-05-02T14:00:00Z", "finishedDate": "2024-05-02T14:30:00Z",
        "environment": "PRODUCTION", "result": "SUCCESS", "name": "hostile deploy", "displayTitle": "t",
        "deploymentCommits": [{"repoUrl": "https://github.com/acme/shop", "commitSha": "sha-" + id_,
                               "refName": "main", "commitMsg": "m", "displayTitle": "ct", "repoId": "r1",
                               "name": "n", "includedCommitShas": ["i1"]}],
    }
    body.update(overrides)
    return body


def issue(key: str, **overrides) -> dict:
    body = {"issueKey": key, "title": "hostile issue", "type": "INCIDENT", "status": "TODO",
            "createdDate": "2024-05-02T15:00:00Z", "url": "https://x/1", "description": "d"}
    body.update(overrides)
    return body


def pull_request(number: int, **overrides) -> dict:
    body = {"id": f"gh-{number}", "pullRequestKey": number, "displayTitle": "hostile pr", "status": "MERGED",
            "url": "https://github.com/acme/shop/pull/1", "createdDate": "2024-05-01T12:00:00Z",
            "mergedDate": "2024-05-02T09:30:00Z", "mergeCommitSha": "ccc333"}
    body.update(overrides)
    return body


def commit(sha_: str, **overrides) -> dict:
    body = {"sha": sha_, "repoUrl": "https://github.com/acme/shop", "authoredDate": "2024-05-03T09:12:00Z",
            "additions": 1, "deletions": 1}
    body.update(overrides)
    return body


DEPLOYMENT_FIELDS = ["id", "originalEnvironment", "name", "displayTitle", "environment", "result", "startedDate"]
DEPLOYMENT_COMMIT_FIELDS = ["repoUrl", "commitSha", "name", "repoId", "refName", "commitMsg", "displayTitle",
                            "result", "status"]
ISSUE_FIELDS = ["issueKey", "title", "status", "originalStatus", "type", "url", "description", "epicKey",
                "priority", "severity", "component", "creatorId", "creatorName", "assigneeId", "assigneeName",
                "parentIssueKey", "deploymentId"]
PR_FIELDS = ["id", "displayTitle", "status", "repoUrl", "mergeCommitSha", "baseCommitSha", "headCommitSha",
             "originalStatus", "description", "url", "authorName", "authorId", "mergedByName", "mergedById",
             "parentPrId", "type", "component", "headRef", "baseRef", "headRepoId", "baseRepoId"]
COMMIT_FIELDS = ["sha", "repoUrl"]


def dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()


# --------------------------------------------------------------------------------------------------
# The campaign
# --------------------------------------------------------------------------------------------------


@dataclass
class Job:
    case: str
    data: bytes
    head_request: bool = False
    abort: bool = False
    parts: list | None = None
    # what a 200 would have stored: (kind, identity) and, for read-back, (field, value)
    stores: tuple | None = None
    readback: tuple | None = None
    # a check on the answer: "control-field:<field>" (the 400 should name it)
    expect: str | None = None
    timeout: float | None = None


@dataclass
class Campaign:
    server: Server
    sampler: Sampler
    connection_id: int
    key: str
    scale: float
    concurrency: int
    timeout: float
    rng: random.Random
    results: list[Result] = field(default_factory=list)
    acked: dict = field(default_factory=lambda: collections.defaultdict(set))  # kind -> identities with 200
    attempted: dict = field(default_factory=lambda: collections.defaultdict(set))
    readbacks: list = field(default_factory=list)  # (job, result) answered 200 with a readback
    control_answers: list = field(default_factory=list)
    ids: Ids = field(default_factory=Ids)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def port(self) -> int:
        return self.server.port

    def n(self, base: float) -> int:
        return max(1, int(round(base * self.scale)))

    # ---- running ------------------------------------------------------------------------------

    def run_phase(self, phase: str, jobs: list[Job], concurrency: int | None = None) -> None:
        self.sampler.phase = phase
        self.rng.shuffle(jobs)
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency or self.concurrency) as pool:
            for job, result in zip(jobs, pool.map(self.run_job, jobs)):
                result.phase = phase
                self.record(job, result)
        counts = collections.Counter(r.status_class for r in self.results if r.phase == phase)
        log(f"phase {phase}: {len(jobs)} requests in {time.monotonic() - started:.1f} s {dict(counts)}")

    def run_job(self, job: Job) -> Result:
        if job.stores:
            with self.lock:
                self.attempted[job.stores[0]].add(job.stores[1])
        return exchange(self.port, job.data, timeout=job.timeout or self.timeout, case=job.case,
                        head_request=job.head_request, abort_after_send=job.abort, parts=job.parts)

    def record(self, job: Job, result: Result) -> None:
        self.results.append(result)
        if job.stores and result.status == 200:
            self.acked[job.stores[0]].add(job.stores[1])
            if job.readback:
                self.readbacks.append((job, result))
        if job.expect and job.expect.startswith("control-field:"):
            self.control_answers.append((job, result))

    # ---- helpers -----------------------------------------------------------------------------

    def ingest_paths(self, x: str) -> list[str]:
        c = self.connection_id
        return [f"{p}/connections/{c}/{x}" for p in PREFIXES] + [f"{p}/{c}/{x}" for p in PREFIXES] + \
            [f"{p}/connections/by-name/hostile/{x}" for p in PREFIXES]

    def ingest_path(self, x: str) -> str:
        return self.rng.choice(self.ingest_paths(x))

    def all_routes(self) -> list[tuple[str, str, str | None]]:
        """(method, path, token) of every route the server serves (and a few it does not)."""
        c, a, k = self.connection_id, self.server.admin, self.key
        routes: list[tuple[str, str, str | None]] = []
        for hp in HEALTH_PREFIXES:
            for name in ("ping", "readyz", "health", "version"):
                routes.append(("GET", f"{hp}/{name}", None))
            routes.append(("HEAD", f"{hp}/ping", None))
        for p in PREFIXES:
            routes += [("POST", f"{p}/connections", a), ("GET", f"{p}/connections", a),
                       ("GET", f"{p}/connections/{c}", a), ("PATCH", f"{p}/connections/999999", a),
                       ("DELETE", f"{p}/connections/999999", a), ("GET", f"{p}/connections/by-name/nope", a),
                       ("PATCH", f"{p}/connections/by-name/nope", a), ("DELETE", f"{p}/connections/by-name/nope", a),
                       ("POST", f"{p}/connections/999999/api-key/rotate", a),
                       ("POST", f"{p}/connections/by-name/nope/api-key/rotate", a),
                       ("POST", f"{p}/projects/my%20project/deployments", a),
                       ("POST", f"{p}/connections/{c}/cicd_tasks", k),
                       ("POST", f"{p}/connections/{c}/cicd_pipeline/x/finish", k)]
            for form in (f"{p}/connections/{c}", f"{p}/{c}", f"{p}/connections/by-name/hostile"):
                for x in ("deployments", "issues", "pull_requests", "commits", "issue/close", "issue/H-1/close"):
                    routes.append(("POST", f"{form}/{x}", k))
        routes += [("PUT", "/api-keys/999999", a), ("PUT", "/api/api-keys/999999", a)]
        for kind in ("deployments", "issues", "pull_requests", "commits"):
            routes.append(("GET", f"/api/v1/{kind}", a))
            routes.append(("GET", f"/api/v1/connections/{c}/{kind}/x", k))
        routes += [("POST", "/api/v1/projects", a), ("GET", "/api/v1/projects", a),
                   ("GET", "/api/v1/projects/my%20project", a), ("DELETE", "/api/v1/projects/nope", a),
                   ("PUT", "/api/v1/projects/nope/connections/1", a), ("DELETE", "/api/v1/projects/nope/connections/1", a),
                   ("GET", "/api/v1/projects/my%20project/metrics?series=none", a), ("GET", "/api/v1/metrics?series=none", a),
                   ("POST", "/api/v1/projects/nope/api-key/rotate", a)]
        routes += [("GET", "/", None), ("GET", "/signin", None), ("POST", "/signin", None), ("POST", "/signout", None),
                   ("GET", "/webhooks", None), ("GET", f"/webhooks/{c}", None), ("POST", f"/webhooks/{c}/rotate", None),
                   ("GET", "/projects", None), ("GET", "/projects/my%20project", None),
                   ("GET", "/projects/my%20project/deployments", None), ("GET", "/assets/app.css", None),
                   ("GET", "/no/such/route", None)]
        return routes

    # ---- phases ------------------------------------------------------------------------------

    def framing_jobs(self) -> list[Job]:
        jobs = []
        chunked_bodies = {
            "chunk-size-zz": b"zz\r\nhello\r\n0\r\n\r\n",
            "chunk-size-overflow": b"ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
            "chunk-missing-crlf": b"5\r\nhelloXX0\r\n\r\n",
            "chunk-size-negative": b"-5\r\nhello\r\n0\r\n\r\n",
            "chunk-ext-garbage": b"5;\x00\x01\r\nhello\r\n0\r\n\r\n",
            "chunk-lf-only": b"5\nhello\n0\n\n",
        }
        for rep in range(self.n(2)):
            for method, path, token in self.all_routes():
                for name, body in chunked_bodies.items():
                    if rep > 0 and name not in ("chunk-size-zz", "chunk-size-overflow"):
                        continue
                    head = request(method, path, token=token, headers=[("Transfer-Encoding", "chunked")],
                                   content_type="application/json")
                    jobs.append(Job(f"framing/{name}", head + body))
        for _ in range(self.n(4)):
            p = self.ingest_path("deployments")
            k = self.key
            cases = {
                "content-length-garbage": request("POST", p, token=k, headers=[("Content-Length", "abc")], content_type=None),
                "content-length-negative": request("POST", p, token=k, headers=[("Content-Length", "-1")], content_type=None),
                "content-length-huge": request("POST", p, token=k, headers=[("Content-Length", "99999999999999999999")], content_type=None),
                "content-length-twice": request("POST", p, token=k, headers=[("Content-Length", "2"), ("Content-Length", "3")], content_type=None) + b"{}",
                "te-and-cl": request("POST", p, token=k, headers=[("Content-Length", "5"), ("Transfer-Encoding", "chunked")], content_type=None) + b"0\r\n\r\n",
                "te-unknown": request("POST", p, token=k, headers=[("Transfer-Encoding", "gzip, chunked")], content_type=None) + b"0\r\n\r\n",
            }
            for name, data in cases.items():
                jobs.append(Job(f"framing/{name}", data))
        return jobs

    def protocol_jobs(self) -> list[Job]:
        jobs = []
        rng = self.rng
        for _ in range(self.n(40)):
            jobs += [
                Job("protocol/connect", b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"),
                Job("protocol/http09", b"GET /ping\r\n"),
                Job("protocol/http09-crlf2", b"GET /ping\r\n\r\n"),
                Job("protocol/empty-lines", b"\r\n" * rng.randint(2, 200)),
                Job("protocol/garbage", bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 4096)))),
                Job("protocol/garbage-line", b"\x16\x03\x01 hello there\r\n\r\n"),
                Job("protocol/tls-hello", bytes.fromhex("16030100a5010000a10303") + os.urandom(200)),
                Job("protocol/h2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
                Job("protocol/bad-method", b"G@T /ping HTTP/1.1\r\nHost: x\r\n\r\n"),
                Job("protocol/lowercase-method", b"get /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                Job("protocol/bad-version", b"GET /ping HTTP/9.9\r\nHost: x\r\n\r\n"),
                Job("protocol/no-host-http10", b"GET /ping HTTP/1.0\r\n\r\n"),
                Job("protocol/absolute-uri", b"GET http://evil.example/ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
                Job("protocol/header-no-colon", b"GET /ping HTTP/1.1\r\nHost x\r\n\r\n"),
                Job("protocol/header-nul", b"GET /ping HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
                Job("protocol/obs-fold", b"GET /ping HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\nConnection: close\r\n\r\n"),
                Job("protocol/space-before-colon", b"GET /ping HTTP/1.1\r\nHost : x\r\n\r\n"),
                Job("protocol/nul-in-request-line", b"GET /pi\x00ng HTTP/1.1\r\nHost: x\r\n\r\n"),
                Job("protocol/unicode-path", "GET /pïng/\u2028 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()),
            ]
        for _ in range(self.n(3)):
            method, path, token = rng.choice(self.all_routes())
            jobs += [
                Job("protocol/long-request-line", request("GET", "/ping?" + "a" * 100_000)),
                Job("protocol/huge-header", request(method, path, token=token, headers=[("X-Big", "b" * 200_000)])),
                Job("protocol/many-headers", request(method, path, token=token, headers=[(f"X-H{i}", "v") for i in range(5000)])),
                Job("protocol/huge-authorization", request("GET", "/api/v1/deployments", token="k" * 100_000)),
                Job("protocol/pipelined-100", (request("GET", "/ping", close=False) * 100) + request("GET", "/ping")),
            ]
        return jobs

    def json_jobs(self) -> list[Job]:
        jobs = []
        deep_arrays = b"[" * 100_000 + b"]" * 100_000
        deep_objects = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
        deep_open = b"[" * 100_000
        for _ in range(self.n(2)):
            for x in ("deployments", "issues", "pull_requests", "commits", "issue/close", "issue/H-1/close"):
                for p in self.ingest_paths(x)[:: 3 if x in ("issue/close", "issue/H-1/close") else 1]:
                    k = self.key
                    jobs += [
                        Job("json/invalid", request("POST", p, dumps({"a": 1})[:-1] + b",,", token=k)),
                        Job("json/not-object", request("POST", p, b"[1,2,3]", token=k)),
                        Job("json/bad-utf8", request("POST", p, b'{"id":"\xff\xfe"}', token=k)),
                        Job("json/lone-surrogate", request("POST", p, b'{"id":"\\ud800"}', token=k)),
                        Job("json/deep-arrays", request("POST", p, deep_arrays, token=k)),
                        Job("json/deep-objects", request("POST", p, deep_objects, token=k)),
                        Job("json/deep-unclosed", request("POST", p, deep_open, token=k)),
                        Job("json/huge-number", request("POST", p, b'{"pullRequestKey":' + b"9" * 100_000 + b"}", token=k)),
                        Job("json/multipart", request("POST", p, b"--x\r\n\r\n--x--", token=k, content_type="multipart/form-data; boundary=x")),
                    ]
            for p in ("/api/rest/plugins/webhook/connections", "/api/v1/projects"):
                a = self.server.admin
                jobs += [Job("json/deep-arrays-admin", request("POST", p, deep_arrays, token=a)),
                         Job("json/deep-objects-admin", request("POST", p, deep_objects, token=a)),
                         Job("json/invalid-admin", request("POST", p, b'{"name":', token=a))]
            # deep nesting inside a valid deployment's field (the field must be a string)
            did = self.ids.next("h-deep")
            nested = dumps(deployment(did))[:-1] + b', "displayTitle2": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
            jobs.append(Job("json/deep-in-unknown-key", request("POST", self.ingest_path("deployments"), nested, token=self.key),
                            stores=("deployments", did)))
        return jobs

    def control_jobs(self) -> list[Job]:
        jobs = []
        k = self.key
        for value in CONTROL_VALUES:
            tag = value.encode("unicode_escape").decode()
            for f in DEPLOYMENT_FIELDS:
                did = value if f == "id" else self.ids.next("h-ctl")
                body = deployment(did, **{f: value})
                jobs.append(Job(f"control/deployment.{f}={tag}", request("POST", self.ingest_path("deployments"), dumps(body), token=k),
                                stores=("deployments", did), readback=("deployments", did, f, value),
                                expect=f"control-field:{f}"))
            for f in DEPLOYMENT_COMMIT_FIELDS:
                did = self.ids.next("h-ctl")
                body = deployment(did)
                body["deploymentCommits"][0][f] = value
                jobs.append(Job(f"control/deployment.deploymentCommits[0].{f}={tag}",
                                request("POST", self.ingest_path("deployments"), dumps(body), token=k),
                                stores=("deployments", did), readback=("deployments", did, f, value),
                                expect=f"control-field:{f}"))
            did = self.ids.next("h-ctl")
            body = deployment(did)
            body["deploymentCommits"][0]["includedCommitShas"] = ["ok", value]
            jobs.append(Job(f"control/deployment.includedCommitShas={tag}", request("POST", self.ingest_path("deployments"), dumps(body), token=k),
                            stores=("deployments", did), readback=("deployments", did, "includedCommitShas", value),
                            expect="control-field:includedCommitShas"))
            # the legacy body of the issue's 500: pipeline_id "\u0000"
            legacy = {"pipeline_id": value, "start_time": "2024-05-02T14:00:00Z", "end_time": "2024-05-02T14:30:00Z",
                      "repo_url": "https://github.com/acme/shop", "commit_sha": "legacy-sha"}
            jobs.append(Job(f"control/legacy.pipeline_id={tag}", request("POST", self.ingest_path("deployments"), dumps(legacy), token=k),
                            stores=("deployments", value), readback=("deployments", value, "id", value), expect="control-field:pipeline_id|id"))
            for f in ISSUE_FIELDS:
                key = value if f == "issueKey" else self.ids.next("H-ctl")
                body = issue(key, **{f: value})
                jobs.append(Job(f"control/issue.{f}={tag}", request("POST", self.ingest_path("issues"), dumps(body), token=k),
                                stores=("issues", key), readback=("issues", key, f, value), expect=f"control-field:{f}"))
            for f in PR_FIELDS:
                number = self.ids.number()
                body = pull_request(number, **{f: value})
                jobs.append(Job(f"control/pull_request.{f}={tag}", request("POST", self.ingest_path("pull_requests"), dumps(body), token=k),
                                stores=("pull_requests", number), readback=("pull_requests", number, f, value),
                                expect=f"control-field:{f}"))
            for f in COMMIT_FIELDS:
                sha = value if f == "sha" else self.ids.next("c-ctl")
                body = commit(sha, **{f: value})
                repo = body["repoUrl"]
                jobs.append(Job(f"control/commit.{f}={tag}", request("POST", self.ingest_path("commits"), dumps(body), token=k),
                                stores=("commits", sha), readback=("commits", (sha, repo), f, value), expect=f"control-field:{f}"))
            # close routes with a control character in the key
            jobs.append(Job(f"control/issue-close-body.issueKey={tag}",
                            request("POST", self.ingest_path("issue/close"), dumps({"issueKey": value}), token=k)))
            jobs.append(Job(f"control/issue-close.originalStatus={tag}",
                            request("POST", self.ingest_path("issue/H-1/close"), dumps({"originalStatus": value}), token=k)))
            jobs.append(Job(f"control/connection.name={tag}",
                            request("POST", "/api/rest/plugins/webhook/connections", dumps({"name": value}), token=self.server.admin)))
            jobs.append(Job(f"control/project.name={tag}",
                            request("POST", "/api/v1/projects", dumps({"name": value, "connectionIds": []}), token=self.server.admin)))
        # %00 in path segments and query parameters
        c, a = self.connection_id, self.server.admin
        for enc in ("%00", "vis%00hidden", "%01", "%1F", "%C0%80", "%ZZ", "%"):
            paths = [
                f"/api/rest/plugins/webhook/connections/by-name/{enc}/deployments",
                f"/api/rest/plugins/webhook/connections/{enc}/deployments",
                f"/api/rest/plugins/webhook/connections/{c}/issue/{enc}/close",
                f"/api/rest/plugins/webhook/projects/{enc}/deployments",
                f"/api/v1/connections/{c}/deployments/{enc}", f"/api/v1/connections/{c}/issues/{enc}",
                f"/api/v1/connections/{c}/pull_requests/{enc}", f"/api/v1/connections/{c}/commits/{enc}?repoUrl={enc}",
                f"/api/v1/connections/{enc}/deployments/x", f"/api/v1/projects/{enc}", f"/api/v1/projects/{enc}/metrics",
                f"/api/v1/deployments?project={enc}", f"/api/v1/deployments?repoUrl={enc}&environment={enc}",
                f"/api/v1/issues?type={enc}&status={enc}", f"/api/v1/pull_requests?repoUrl={enc}&status={enc}",
                f"/api/v1/commits?repoUrl={enc}", f"/api/v1/deployments?cursor={enc}", f"/api/v1/deployments?limit={enc}",
                f"/api/v1/metrics?tz={enc}", f"/api/v1/metrics?from={enc}", f"/api/v1/metrics?metrics={enc}",
                f"/api/v1/metrics?report={enc}&series={enc}", f"/projects/{enc}", f"/webhooks/{enc}", f"/{enc}",
                f"/ping?{enc}={enc}",
            ]
            for p in paths:
                method = "POST" if "/plugins/webhook/" in p else "GET"
                body = dumps(deployment(self.ids.next("h-path"))) if method == "POST" else None
                token = a if p.startswith("/api/") else None
                jobs.append(Job(f"control/path {re.sub(r'[0-9]+', 'N', p.split('?')[0])}{'?…' if '?' in p else ''} {enc}",
                                request(method, p, body, token=token)))
        return jobs

    def sql_jobs(self) -> list[Job]:
        jobs = []
        k = self.key
        for value in SQL_VALUES:
            for f in ("id", "displayTitle", "name"):
                did = value if f == "id" else self.ids.next("h-sql")
                jobs.append(Job(f"sql/deployment.{f}", request("POST", self.ingest_path("deployments"), dumps(deployment(did, **{f: value})), token=k),
                                stores=("deployments", did), readback=("deployments", did, f, value)))
            for f in ("issueKey", "title", "description"):
                key = value if f == "issueKey" else self.ids.next("H-sql")
                jobs.append(Job(f"sql/issue.{f}", request("POST", self.ingest_path("issues"), dumps(issue(key, **{f: value})), token=k),
                                stores=("issues", key), readback=("issues", key, f, value)))
            number = self.ids.number()
            jobs.append(Job("sql/pull_request.displayTitle", request("POST", self.ingest_path("pull_requests"), dumps(pull_request(number, displayTitle=value)), token=k),
                            stores=("pull_requests", number), readback=("pull_requests", number, "displayTitle", value)))
            q = urllib.parse.quote(value, safe="")
            for p in (f"/api/v1/deployments?project={q}", f"/api/v1/deployments?repoUrl={q}", f"/api/v1/issues?type={q}",
                      f"/api/v1/connections/{self.connection_id}/deployments/{q}", f"/api/v1/projects/{q}",
                      f"/api/v1/deployments?cursor={q}"):
                jobs.append(Job("sql/query", request("GET", p, token=self.server.admin)))
        return jobs

    def big_jobs(self) -> list[Job]:
        jobs = []
        k = self.key
        for _ in range(self.n(16)):
            did = self.ids.next("h-big1m")
            jobs.append(Job("big/displayTitle-1MB-too-long", request("POST", self.ingest_path("deployments"),
                                                                    dumps(deployment(did, displayTitle="x" * 1_000_000)), token=k),
                            stores=("deployments", did)))
            did = self.ids.next("h-env1m")
            jobs.append(Job("big/environment-1MB-invalid", request("POST", self.ingest_path("deployments"),
                                                                  dumps(deployment(did, environment="p" * 1_000_000)), token=k),
                            stores=("deployments", did)))
            did = self.ids.next("h-big600k")
            title = "y" * 600_000
            jobs.append(Job("big/displayTitle-600KB-valid", request("POST", self.ingest_path("deployments"),
                                                                   dumps(deployment(did, displayTitle=title)), token=k),
                            stores=("deployments", did), readback=("deployments", did, "displayTitle", title)))
            did = self.ids.next("h-big2m")
            jobs.append(Job("big/body-2MB", request("POST", self.ingest_path("deployments"),
                                                   dumps(deployment(did, displayTitle="z" * 2_000_000)), token=k),
                            stores=("deployments", did)))
            did = self.ids.next("h-1000c")
            commits = [{"repoUrl": f"https://github.com/acme/r{i % 7}", "commitSha": f"s{i}-{did}", "commitMsg": "m" * 500}
                       for i in range(1000)]
            jobs.append(Job("big/1000-commits", request("POST", self.ingest_path("deployments"),
                                                       dumps(deployment(did, deploymentCommits=commits)), token=k),
                            stores=("deployments", did)))
            did = self.ids.next("h-many-keys")
            body = deployment(did)
            body.update({f"unknown{i}": i for i in range(40_000)})
            jobs.append(Job("big/40000-unknown-keys", request("POST", self.ingest_path("deployments"), dumps(body), token=k),
                            stores=("deployments", did)))
            key = self.ids.next("H-big")
            jobs.append(Job("big/issue-description-1MB", request("POST", self.ingest_path("issues"),
                                                                dumps(issue(key, description="d" * 1_000_000)), token=k),
                            stores=("issues", key)))
            jobs.append(Job("big/commits-10000", request("POST", self.ingest_path("commits"), dumps(
                {"commits": [commit(f"bulk-{self.ids.next('c')}") for _ in range(10_000)]}), token=k)))
        return jobs

    def query_jobs(self) -> list[Job]:
        jobs = []
        a, k, c = self.server.admin, self.key, self.connection_id
        for _ in range(self.n(4)):
            for p in ("/api/v1/metrics?from=1970-01-01&to=9999-12-31",
                      "/api/v1/projects/my%20project/metrics?from=1970-01-01&to=9999-12-31",
                      "/api/v1/metrics?from=1970-01-01&to=9999-12-31&series=none",
                      "/api/v1/metrics?from=0001-01-01&to=9999-12-31"):
                jobs.append(Job("query/metrics-" + ("project" if "projects" in p else "all") + "-1970-9999" +
                                ("-noseries" if "none" in p else "") + ("-year1" if "0001" in p else ""), request("GET", p, token=a),
                                timeout=max(self.timeout, 30)))
        for _ in range(self.n(6)):
            for p in ("/api/v1/metrics?from=2024-12-31&to=2024-01-01", "/api/v1/metrics?tz=Mars/Phobos",
                      "/api/v1/metrics?metrics=x,y,z", "/api/v1/metrics?series=daily", "/api/v1/metrics?report=1999",
                      "/api/v1/metrics?from=2024-02-30", "/api/v1/metrics?from=" + "9" * 5000,
                      "/api/v1/metrics?tz=" + "A" * 10000, "/api/v1/deployments?limit=0", "/api/v1/deployments?limit=99999999999999999999",
                      "/api/v1/deployments?cursor=" + "x" * 10000, "/api/v1/deployments?finishedFrom=1970-01-01&finishedTo=9999-12-31&limit=1000",
                      "/api/v1/issues?createdFrom=garbage", "/api/v1/pull_requests?mergedFrom=0", "/api/v1/commits?connectionId=-1",
                      "/api/v1/deployments?connectionId=99999999999999999999", "/api/v1/deployments?" + "&".join(f"p{i}=v" for i in range(3000)),
                      "/api/v1/deployments?project=my+project", "/api/v1/deployments?project=my%20project",
                      f"/api/v1/connections/{c}/commits/x", f"/api/v1/connections/{c}/pull_requests/notanumber"):
                jobs.append(Job("query/" + re.sub(r"=[^&]{12,}", "=…", p.split("/api/v1/")[1])[:60], request("GET", p, token=a)))
            for p in ("/", "/signin", "/webhooks", "/projects", "/projects/my%20project", "/projects/my%20project/deployments",
                      "/projects/my%20project/incidents", "/projects/my%20project/pull-requests", "/assets/../../etc/passwd",
                      "/assets/" + "a" * 5000, "/projects/" + "%2F" * 2000):
                jobs.append(Job("query/ui " + p[:40], request("GET", p)))
            jobs.append(Job("query/ui signin-garbage-form", request("POST", "/signin", b"token=" + b"%" * 5000 + b"&&&==",
                                                                   content_type="application/x-www-form-urlencoded")))
            jobs.append(Job("query/ui signin-huge-form", request("POST", "/signin", b"token=" + b"a" * 900_000,
                                                                content_type="application/x-www-form-urlencoded")))
            for token in (None, "", "garbage", "a" * 128, k + "x", "Bearer " + k):
                jobs.append(Job("query/auth-variants", request("GET", "/api/v1/deployments", token=token)))
            jobs.append(Job("query/auth-basic", request("GET", "/api/v1/deployments", headers=[("Authorization", "Basic Zm9vOmJhcg==")])))
        return jobs

    def abort_jobs(self) -> list[Job]:
        jobs = []
        for _ in range(self.n(30)):
            did = self.ids.next("h-abort")
            full = dumps(deployment(did, displayTitle="a" * 20_000))
            head = request("POST", self.ingest_path("deployments"), token=self.key, content_type="application/json")
            head = head.replace(b"\r\n\r\n", f"\r\nContent-Length: {len(full)}\r\n\r\n".encode(), 1)
            jobs.append(Job("abort/mid-body", head + full[: len(full) // 2], abort=True, stores=("deployments", did)))
            jobs.append(Job("abort/mid-head", request("GET", "/api/v1/deployments", token=self.server.admin)[:30], abort=True))
            did = self.ids.next("h-abort-chunk")
            chunked = request("POST", self.ingest_path("deployments"), token=self.key, headers=[("Transfer-Encoding", "chunked")])
            body = dumps(deployment(did))
            jobs.append(Job("abort/mid-chunked-body", chunked + f"{len(body):x}\r\n".encode() + body[:50], abort=True,
                            stores=("deployments", did)))
        return jobs

    def valid_jobs(self) -> list[Job]:
        jobs = []
        k = self.key
        for _ in range(self.n(60)):
            did = self.ids.next("h-ok")
            jobs.append(Job("valid/deployment", request("POST", self.ingest_path("deployments"), dumps(deployment(did)), token=k),
                            stores=("deployments", did)))
            key = self.ids.next("H-ok")
            jobs.append(Job("valid/issue", request("POST", self.ingest_path("issues"), dumps(issue(key)), token=k),
                            stores=("issues", key)))
            number = self.ids.number()
            jobs.append(Job("valid/pull_request", request("POST", self.ingest_path("pull_requests"), dumps(pull_request(number)), token=k),
                            stores=("pull_requests", number)))
            sha = self.ids.next("c-ok")
            jobs.append(Job("valid/commit", request("POST", self.ingest_path("commits"), dumps(commit(sha)), token=k),
                            stores=("commits", sha)))
            jobs.append(Job("valid/ping", request("GET", "/ping")))
        for _ in range(self.n(5)):
            did = self.ids.next("h-proj")
            jobs.append(Job("valid/project-deployment", request("POST", "/api/rest/plugins/webhook/projects/my%20project/deployments",
                                                                dumps(deployment(did)), token=self.server.admin),
                            stores=("deployments", did)))
        return jobs


# --------------------------------------------------------------------------------------------------
# Watched connections (idle, half requests, slow uploads)
# --------------------------------------------------------------------------------------------------


@dataclass
class Watch:
    case: str
    open_seconds: float | None = None  # None: still open at the cap
    answer: str = ""  # what the server sent, if anything (status line)
    note: str = ""


def watch_connection(port: int, case: str, cap: float, admin: str, connection_id: int) -> Watch:
    """Opens a connection, behaves as `case` says, and measures how long until the server closes it."""
    w = Watch(case)
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as error:
        w.note = f"connect: {error}"
        return w
    started = time.monotonic()
    drip: bytes = b""
    try:
        if case == "idle-keepalive-after-answer":
            sock.sendall(request("GET", "/ping", close=False))
            data = b""
            while True:
                parsed = parse_head(data)
                if parsed is not None and parsed[0] != "invalid" and answer_complete(parsed, len(data), bytearray(data), False):
                    break
                chunk = sock.recv(4096)
                if not chunk:
                    break
                data += chunk
            w.answer = data.split(b"\r\n", 1)[0].decode("latin-1")
            started = time.monotonic()  # idle from the end of the answer
        elif case == "half-request-line":
            sock.sendall(b"GET /pi")
        elif case == "silent":
            pass
        elif case == "head-without-blank-line":
            sock.sendall(b"GET /ping HTTP/1.1\r\nHost: x\r\n")
        elif case == "slow-head-1-byte-per-s":
            drip = request("GET", "/api/v1/deployments", token=admin) + b"X-Pad: " + b"p" * 10_000
        elif case == "chunked-body-stalled":
            sock.sendall(request("POST", f"/api/rest/plugins/webhook/connections/{connection_id}/deployments", token=admin,
                                 headers=[("Transfer-Encoding", "chunked")], close=False) + b"100\r\nabc")
        elif case == "slow-body-1-byte-per-s":
            body = b'{"id":"slow","startedDate":"2024-05-02T14:00:00Z"' + b" " * 10_000 + b"}"
            head = request("POST", f"/api/rest/plugins/webhook/connections/{connection_id}/deployments", body, token=admin)
            sock.sendall(head[: len(head) - len(body)])
            drip = body
        received = b""
        position = 0
        next_drip = time.monotonic()
        while True:
            now = time.monotonic()
            if now - started >= cap:
                w.open_seconds = None
                break
            if drip and position < len(drip) and now >= next_drip:
                try:
                    sock.sendall(drip[position:position + 1])
                except OSError:
                    w.open_seconds = time.monotonic() - started
                    w.note = "send failed (closed)"
                    break
                position += 1
                next_drip = now + 1.0
            readable, _, _ = select.select([sock], [], [], 0.2)
            if readable:
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    chunk = b""
                if not chunk:
                    w.open_seconds = time.monotonic() - started
                    break
                if not received:
                    w.answer = chunk.split(b"\r\n", 1)[0].decode("latin-1")[:60]
                received += chunk
    finally:
        sock.close()
    return w


def run_watches(port: int, cap: float, admin: str, connection_id: int, copies: int) -> list[Watch]:
    cases = ["idle-keepalive-after-answer", "half-request-line", "silent", "head-without-blank-line",
             "slow-head-1-byte-per-s", "slow-body-1-byte-per-s", "chunked-body-stalled"]
    jobs = [c for c in cases for _ in range(copies)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda c: watch_connection(port, c, cap, admin, connection_id), jobs))


# --------------------------------------------------------------------------------------------------
# Checks after the run
# --------------------------------------------------------------------------------------------------


def get_json(port: int, path: str, token: str, timeout: float = 60):
    r = exchange(port, request("GET", path, token=token), timeout=timeout, keep_bytes=1 << 30)
    return r.status, body_json(r)


def list_stored(port: int, admin: str) -> dict[str, set]:
    stored: dict[str, set] = {}
    fields = {"deployments": ("id",), "issues": ("issueKey",), "pull_requests": ("pullRequestKey",), "commits": ("sha",)}
    for kind, (key,) in fields.items():
        ids: set = set()
        cursor = None
        pages = 0
        while True:
            path = f"/api/v1/{kind}?limit=200" + (f"&cursor={urllib.parse.quote(cursor, safe='')}" if cursor else "")
            status, doc = get_json(port, path, admin)
            if status != 200 or not isinstance(doc, dict):
                ids.add(("<listing failed>", status))
                break
            for item in doc["data"]["items"]:
                ids.add(item.get(key))
            cursor = doc["data"].get("nextCursor")
            pages += 1
            if not cursor or pages > 10_000:
                break
        stored[kind] = ids
    return stored


def find_value(document, value) -> bool:
    if isinstance(document, dict):
        return any(find_value(v, value) for v in document.values())
    if isinstance(document, list):
        return any(find_value(v, value) for v in document)
    return document == value


def read_back(port: int, admin: str, connection_id: int, job: Job):
    kind, identity, f, value = job.readback
    if kind == "commits":
        sha, repo = identity
        path = f"/api/v1/connections/{connection_id}/commits/{urllib.parse.quote(sha, safe='')}?repoUrl={urllib.parse.quote(repo, safe='')}"
    else:
        path = f"/api/v1/connections/{connection_id}/{kind}/{urllib.parse.quote(str(identity), safe='')}"
    status, doc = get_json(port, path, admin)
    if status != 200 or not isinstance(doc, dict):
        # the project route writes to another connection; fall back to the listing
        return f"read {status}"
    return "intact" if find_value(doc.get("data"), value) else "altered"


# --------------------------------------------------------------------------------------------------
# The file-limit phase
# --------------------------------------------------------------------------------------------------


def fd_limit_phase(binary: str, workdir: str, fd_limit: int, held: int, max_connections: int, probe_seconds: float) -> dict:
    log(f"fd-limit phase: server with RLIMIT_NOFILE={fd_limit}, DORALAKE_MAX_CONNECTIONS={max_connections}, {held} held sockets")
    try:
        server = Server(binary, workdir, "fdlimit", fd_limit=fd_limit,
                        extra_env={"DORALAKE_MAX_CONNECTIONS": str(max_connections)})
    except RuntimeError as error:
        return {"error": str(error)}
    report: dict = {"fdLimit": fd_limit, "maxConnectionsSetting": max_connections, "heldSockets": held,
                    "serverFdsAtStart": open_fds(server.pid)}
    sockets = []
    try:
        for _ in range(held):
            try:
                s = socket.create_connection(("127.0.0.1", server.port), timeout=2)
                s.sendall(b"GET /pi")
                sockets.append(s)
            except OSError:
                break
        report["socketsOpened"] = len(sockets)
        time.sleep(0.5)
        report["serverFdsWhileHeld"] = open_fds(server.pid)
        probes = []
        deadline = time.monotonic() + probe_seconds
        while time.monotonic() < deadline:
            for path in ("/ping", "/readyz"):
                r = exchange(server.port, request("GET", path), timeout=2)
                probes.append({"path": path, "status": r.status, "outcome": r.outcome, "seconds": round(r.seconds, 3)})
            time.sleep(0.25)
        closed = 0
        for s in sockets:
            readable, _, _ = select.select([s], [], [], 0)
            if readable:
                try:
                    if not s.recv(4096):
                        closed += 1
                    else:
                        closed += 1  # an answer (e.g. 408/503) counts as shed too
                except OSError:
                    closed += 1
        report["heldSocketsClosedByServer"] = closed
        for path in ("/ping", "/readyz"):
            mine = [p for p in probes if p["path"] == path]
            ok = [p for p in mine if p["status"] == 200]
            report[path] = {"probes": len(mine), "ok200": len(ok),
                            "medianSeconds": sorted(p["seconds"] for p in ok)[len(ok) // 2] if ok else None,
                            "outcomes": dict(collections.Counter(str(p["status"] or p["outcome"]) for p in mine))}
    finally:
        for s in sockets:
            s.close()
        time.sleep(0.3)
        after = exchange(server.port, request("GET", "/ping"), timeout=5)
        report["pingAfterRelease"] = after.status or after.outcome
        report["serverExit"] = server.stop()
    return report


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n\n".join(__doc__.split("\n\n")[1:]))
    parser.add_argument("--binary", required=True, help="doralake executable to run")
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the repetitions of each case [1.0]")
    parser.add_argument("--concurrency", type=int, default=16, help="clients at once [16]")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for an answer [10]")
    parser.add_argument("--idle-max", type=float, default=75.0, help="longest a watched connection is held [75]")
    parser.add_argument("--watch-copies", type=int, default=2, help="watched connections of each kind [2]")
    parser.add_argument("--fd-limit", type=int, default=64, help="file limit of the second server [64]")
    parser.add_argument("--held-sockets", type=int, default=48, help="idle sockets held against it [48]")
    parser.add_argument("--settle", type=float, default=10.0, help="quiet seconds before the final RSS sample [10]")
    parser.add_argument("--seed", type=int, default=14, help="random seed [14]")
    parser.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (server logs)")
    args = parser.parse_args()
    args.binary = os.path.abspath(args.binary)
    if not os.access(args.binary, os.X_OK):
        parser.error(f"not an executable: {args.binary}")

    workdir = tempfile.mkdtemp(prefix="doralake-hostile-")
    wall_started = time.monotonic()
    summary: dict = {"binary": os.path.abspath(args.binary), "scale": args.scale, "concurrency": args.concurrency,
                     "timeoutSeconds": args.timeout, "seed": args.seed, "settle": args.settle}
    server = None
    try:
        log(f"starting {args.binary} serve (temp dir {workdir})")
        server = Server(args.binary, workdir, "main")
        sampler = Sampler(server.pid)
        sampler.start()
        summary["baselineRssKB"] = sampler.sample().get("VmRSS")

        status, created = post_json(server.port, "/api/rest/plugins/webhook/connections", {"name": "hostile"}, server.admin)
        if status != 200:
            raise RuntimeError(f"could not create a connection: {status} {created}")
        connection_id, key = created["id"], created["apiKey"]["apiKey"]
        status, _ = post_json(server.port, "/api/v1/projects", {"name": "my project", "connectionIds": [connection_id]}, server.admin)
        if status not in (200, 201):
            raise RuntimeError(f"could not create the project: {status}")
        log(f"connection {connection_id}, project \"my project\"; port {server.port}, pid {server.pid}")

        campaign = Campaign(server, sampler, connection_id, key, args.scale, args.concurrency, args.timeout,
                            random.Random(args.seed))
        # a deployment in "my project" for the `+` check
        plus_id = "plus-check"
        status, _ = post_json(server.port, f"/api/rest/plugins/webhook/connections/{connection_id}/deployments",
                              deployment(plus_id), key)
        if status == 200:
            campaign.acked["deployments"].add(plus_id)

        watches_result: list[Watch] = []
        watcher = threading.Thread(target=lambda: watches_result.extend(
            run_watches(server.port, args.idle_max, server.admin, connection_id, args.watch_copies)), daemon=True)
        watcher.start()

        for phase, make_jobs in (("valid", campaign.valid_jobs), ("framing", campaign.framing_jobs),
                                 ("protocol", campaign.protocol_jobs), ("json", campaign.json_jobs),
                                 ("control", campaign.control_jobs), ("sql", campaign.sql_jobs),
                                 ("big", campaign.big_jobs), ("query", campaign.query_jobs),
                                 ("abort", campaign.abort_jobs), ("valid-after", campaign.valid_jobs)):
            campaign.run_phase(phase, make_jobs())
            if not server.alive():
                log(f"the server exited during phase {phase} ({server.process.returncode})")
                break

        sampler.phase = "watch-wait"
        log(f"waiting for the watched connections (up to {args.idle_max:.0f} s from their start)")
        watcher.join()
        sampler.phase = "settle"
        time.sleep(args.settle)
        final = sampler.sample()
        summary["finalRssKB"] = final.get("VmRSS")
        summary["peakRssKB"] = final.get("VmHWM") or sampler.max_rss
        summary["maxSampledRssKB"] = sampler.max_rss
        summary["peakRssByPhaseKB"] = dict(sampler.peaks)
        sampler.stopped.set()

        # checks after the run
        sampler.phase = "checks"
        # Every page of the project's deployments (pages also end at about 1 MB of text).
        ids, cursor, status = set(), None, 0
        for _ in range(1000):
            path = "/api/v1/deployments?project=my+project&limit=1000" + (
                f"&cursor={urllib.parse.quote(cursor, safe='')}" if cursor else "")
            status, doc = get_json(server.port, path, server.admin)
            if status != 200 or not isinstance(doc, dict):
                break
            ids |= {item.get("id") for item in doc["data"]["items"]}
            cursor = doc["data"].get("nextCursor")
            if not cursor:
                break
        summary["plusInQuery"] = {"status": status, "found": plus_id in ids,
                                  "note": "GET /api/v1/deployments?project=my+project lists the project's deployment"}
        stored = list_stored(server.port, server.admin)
        stored_check = {}
        for kind, ids in stored.items():
            acked = campaign.acked.get(kind, set())
            unexpected = sorted((str(i) for i in ids - acked), key=str)
            truncated = [i for i in unexpected if any(isinstance(a, str) and "\u0000" in a and a.split("\u0000")[0] == i
                                                      for a in acked)]
            stored_check[kind] = {"stored": len(ids), "acknowledged200": len(acked), "attempted": len(campaign.attempted.get(kind, ())),
                                  "storedWithout200": [i for i in unexpected if i not in truncated][:50],
                                  "storedCutAtNul": truncated[:50],
                                  "acknowledgedNotListed": sorted((repr(i) for i in acked - ids))[:50]}
        summary["storedCheck"] = stored_check
        readback = collections.Counter()
        altered = []
        for job, _ in campaign.readbacks:
            outcome = read_back(server.port, server.admin, connection_id, job)
            readback[outcome] += 1
            if outcome != "intact":
                altered.append(f"{job.case}: {outcome}")
        summary["readBack"] = {"counts": dict(readback), "notIntact": altered[:100]}
        control = collections.Counter()
        for job, result in campaign.control_answers:
            name = job.expect.split(":", 1)[1]
            doc = body_json(result)
            message = doc.get("message", "") if isinstance(doc, dict) else ""
            if result.status == 400:
                named = any(re.search(rf"(^|[^A-Za-z0-9_]){re.escape(n)}([^A-Za-z0-9_]|$)", message) for n in name.split("|"))
                control["400 naming the field" if named else "400 not naming the field"] += 1
            elif result.status is not None:
                control[str(result.status)] += 1
            else:
                control[result.outcome] += 1
        summary["controlCharacterAnswers"] = dict(control)
        ping = exchange(server.port, request("GET", "/ping"), timeout=5)
        summary["aliveAfterRun"] = ping.status == 200
        summary["serverLogLevels"] = server.log_levels()

        # request results
        results = campaign.results
        summary["requests"] = len(results)
        summary["countsByClass"] = dict(collections.Counter(r.status_class for r in results))
        by_phase = collections.defaultdict(collections.Counter)
        for r in results:
            by_phase[r.phase][r.status_class] += 1
        summary["countsByPhase"] = {p: dict(c) for p, c in by_phase.items()}
        answered = [r for r in results if r.outcome == "answer" and r.request_bytes > 0]
        ratios = sorted(answered, key=lambda r: r.answer_bytes / r.request_bytes, reverse=True)
        summary["largestAmplification"] = [
            {"case": r.case, "requestBytes": r.request_bytes, "answerBytes": r.answer_bytes,
             "ratio": round(r.answer_bytes / r.request_bytes, 1), "status": r.status} for r in ratios[:5]]
        biggest: dict[str, Result] = {}
        for r in sorted(answered, key=lambda r: r.answer_bytes, reverse=True):
            biggest.setdefault(r.case, r)
        summary["largestAnswers"] = [{"case": r.case, "requestBytes": r.request_bytes, "answerBytes": r.answer_bytes,
                                      "status": r.status} for r in list(biggest.values())[:5]]
        errors_400 = [r for r in answered if r.status and 400 <= r.status < 500]
        if errors_400:
            r = max(errors_400, key=lambda r: r.answer_bytes)
            summary["largest4xxAnswer"] = {"case": r.case, "status": r.status, "answerBytes": r.answer_bytes,
                                           "requestBytes": r.request_bytes}
        bad = collections.defaultdict(list)
        for r in results:
            if r.status_class in ("5xx", "no-answer", "incomplete", "connect-error"):
                bad[(r.status_class, r.status, r.case)].append(r)
        summary["failures"] = [
            {"class": cls, "status": status, "case": case, "count": len(rs),
             "sample": (rs[0].body[:160] or rs[0].head[:160]).decode("utf-8", "replace")}
            for (cls, status, case), rs in sorted(bad.items(), key=lambda kv: (-len(kv[1]), kv[0][2]))]
        closed = collections.Counter(r.case for r in results if r.outcome == "closed")
        summary["closedWithoutAnswer"] = dict(closed.most_common())
        summary["watchedConnections"] = [
            {"case": w.case, "openSeconds": None if w.open_seconds is None else round(w.open_seconds, 1),
             "answer": w.answer, "note": w.note} for w in watches_result]
        summary["idleMaxSeconds"] = args.idle_max
        exit_code = server.stop()
        summary["serverExit"] = exit_code
        server = None
        summary["fdLimitPhase"] = fd_limit_phase(args.binary, workdir, args.fd_limit, args.held_sockets,
                                                 max(4, args.fd_limit // 2), 10.0)
        summary["wallSeconds"] = round(time.monotonic() - wall_started, 1)
        print_summary(summary)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(summary, f, indent=2, ensure_ascii=False)
            log(f"summary written to {args.json}")
        return 0
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def post_json(port: int, path: str, value, token: str):
    r = exchange(port, request("POST", path, dumps(value), token=token), timeout=30)
    return r.status, body_json(r)


def mb(kb) -> str:
    return "?" if kb is None else f"{kb / 1024:.0f} MB"


def print_summary(s: dict) -> None:
    out = []
    out.append(f"Hostile run of {s['binary']} (scale {s['scale']}, {s['concurrency']} clients, answer timeout {s['timeoutSeconds']:.0f} s, "
               f"{s['wallSeconds']:.0f} s in all)")
    out.append("")
    out.append(f"Requests: {s['requests']}")
    classes = ["2xx", "3xx", "4xx", "5xx", "no-answer", "incomplete", "closed", "connect-error", "client-abort"]
    out.append("  " + "  ".join(f"{c}: {s['countsByClass'].get(c, 0)}" for c in classes))
    out.append("")
    out.append(f"{'phase':<12}" + "".join(f"{c:>14}" for c in classes))
    for phase, counts in s["countsByPhase"].items():
        out.append(f"{phase:<12}" + "".join(f"{counts.get(c, 0):>14}" for c in classes))
    out.append("")
    out.append(f"Memory: baseline {mb(s.get('baselineRssKB'))}, peak (VmHWM) {mb(s.get('peakRssKB'))}, "
               f"final after {s.get('settle', 10):.0f} s quiet {mb(s.get('finalRssKB'))}")
    out.append("  peak sampled VmRSS by phase: " + ", ".join(f"{p} {mb(v)}" for p, v in s["peakRssByPhaseKB"].items()))
    out.append("")
    amp = s["largestAmplification"]
    if amp:
        a = amp[0]
        out.append(f"Largest answer/request ratio: {a['ratio']} ({a['case']}: {a['requestBytes']} B -> {a['answerBytes']} B, {a['status']})")
    for a in s["largestAnswers"][:3]:
        out.append(f"  large answer: {a['answerBytes']} B for {a['case']} ({a['requestBytes']} B, {a['status']})")
    if "largest4xxAnswer" in s:
        a = s["largest4xxAnswer"]
        out.append(f"  largest 4xx answer: {a['answerBytes']} B for {a['case']} ({a['requestBytes']} B request, {a['status']})")
    out.append("")
    out.append(f"Watched connections (held up to {s['idleMaxSeconds']:.0f} s; time until the server closed them):")
    for w in s["watchedConnections"]:
        open_for = "still open" if w["openSeconds"] is None else f"closed after {w['openSeconds']} s"
        extra = (f", answered {w['answer']!r}" if w["answer"] and w["case"] != "idle-keepalive-after-answer" else "") + \
                (f" ({w['note']})" if w["note"] else "")
        out.append(f"  {w['case']:<30} {open_for}{extra}")
    fd = s["fdLimitPhase"]
    out.append("")
    if "error" in fd:
        out.append(f"File-limit phase: {fd['error']}")
    else:
        out.append(f"File-limit phase: RLIMIT_NOFILE {fd['fdLimit']}, server fds at start {fd['serverFdsAtStart']}, "
                   f"{fd['socketsOpened']} sockets holding `GET /pi` (server fds then {fd['serverFdsWhileHeld']}), "
                   f"{fd['heldSocketsClosedByServer']} of them closed by the server within the probe window")
        for path in ("/ping", "/readyz"):
            p = fd[path]
            out.append(f"  {path:<8} {p['ok200']}/{p['probes']} answered 200 (median {p['medianSeconds']} s) {p['outcomes']}")
        out.append(f"  /ping after the sockets were released: {fd['pingAfterRelease']}")
    out.append("")
    out.append("Stored data (listed with the admin token) against the requests answered 200:")
    for kind, c in s["storedCheck"].items():
        out.append(f"  {kind:<14} stored {c['stored']}, answered 200 {c['acknowledged200']} (of {c['attempted']} attempted); "
                   f"stored without a 200: {len(c['storedWithout200'])} {c['storedWithout200'][:5]}; "
                   f"stored cut at a NUL: {len(c['storedCutAtNul'])} {c['storedCutAtNul'][:3]}")
    rb = s["readBack"]
    out.append(f"Read back of values answered 200 (control characters, SQL-looking, 600 KB): {rb['counts']}")
    for line in rb["notIntact"][:15]:
        out.append(f"  not intact: {line}")
    out.append(f"Control characters in fields: {s['controlCharacterAnswers']}")
    out.append(f"`+` in a query string (?project=my+project): status {s['plusInQuery']['status']}, "
               f"{'found' if s['plusInQuery']['found'] else 'NOT found'}")
    out.append(f"Server alive after the run (/ping 200): {s['aliveAfterRun']}; exit status on SIGTERM: {s['serverExit']}; "
               f"log lines by level: {s['serverLogLevels']}")
    out.append("")
    out.append("Closed without an answer, by case: " + (", ".join(f"{k} {v}" for k, v in s["closedWithoutAnswer"].items()) or "none"))
    out.append("")
    out.append(f"5xx, no-answer and incomplete answers ({sum(f['count'] for f in s['failures'])}):")
    for f in s["failures"]:
        label = f["class"] if f["class"] != "5xx" else f"{f['status']}"
        if f["class"] == "incomplete":
            label = f"{f['status']} head only"
        out.append(f"  {f['count']:>5} x {label:<10} {f['case']}   {f['sample'][:100]!r}")
    if not s["failures"]:
        out.append("  none")
    print("\n".join(out), flush=True)


if __name__ == "__main__":
    sys.exit(main())
