#!/usr/bin/env python3
"""The side-by-side benchmark, driven by ``scripts/bench`` (which builds everything first).

Starts the neutral keep-alive server (``bench server`` of examples/bench.rs: a fixed 639-byte
agent, counted accepts), then runs every client against it in interleaved rounds, each client a
fresh process doing WARMUP untimed then CALLS timed sequential GETs. Prints one markdown table
(median µs/call, same-language ratios, syscalls per call, connections opened, lookups) and
writes it to bench/results.md with the machine and versions.

Instructions per call (Rust clients, with valgrind): callgrind's count of two runs, the same
difference; unlike times, it does not change with the machine's load.
Syscalls per call: ``strace -f -c`` of two runs (CALLS_A and CALLS_B calls), difference divided by
the difference in calls, so start-up does not count. Lookups: ``/etc/hosts`` opens and DNS
(port 53) connects under ``strace -f`` for 1,000 calls to ``localhost``. Both need strace; the
columns read n/a without it.

Python asyncio (``--concurrency``, on by default): against a second server answering after 20 ms,
bursts of 200 concurrent tasks, trillet ``AsyncClient`` with ``max_concurrency`` = 16, 32 (the
default), 64 and 256 next to ``httpx.AsyncClient`` (and ``aiohttp``, when it is installed) limited
to as many connections: median burst wall time, connections opened, peak RSS.

    python3 bench/run.py --bench BIN --go BIN --python PY [--calls N] [--rounds R]
    python3 bench/run.py --quick-async --bench BIN --python PY --lib LIB   (scripts/bench --quick)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent

# (label, language, command prefix key, client name)
CLIENTS: List[Tuple[str, str, str, str]] = [
    ("bare ureq 3, no timeouts", "Rust", "rust", "ureq"),
    ("bare ureq 3, the client's timeouts", "Rust", "rust", "ureq-timeouts"),
    ("trillet Rust `call_json`", "Rust", "rust", "trillet"),
    ("trillet C ABI (`trillet_call`)", "C", "rust", "trillet-c"),
    ("trillet Python (dict results)", "Python", "py", "trillet"),
    ("`requests.Session` (defaults)", "Python", "py", "requests"),
    ("`httpx.Client` (defaults)", "Python", "py", "httpx"),
    ("trillet Python, without the Ctrl-C watch (own SIGINT handler)", "Python", "py", "trillet-nowatch"),
    ("trillet Python `AsyncClient` (awaited in turn)", "Python", "py", "trillet-async"),
    ("`httpx.AsyncClient` (defaults) + `.json()`", "Python", "py", "httpx-async"),
    ("`aiohttp.ClientSession` + `.json()`", "Python", "py", "aiohttp"),
    ("trillet Go (decoded result)", "Go", "go", "trillet"),
    ("net/http + encoding/json", "Go", "go", "nethttp"),
]

# The order the clients run in within a round: each ratio's two sides adjacent.
RUN_ORDER: List[Tuple[str, str, str, str]] = [
    CLIENTS[i] for i in (1, 0, 2, 3, 5, 4, 7, 6, 8, 9, 10, 11, 12)
]
assert sorted(CLIENTS.index(c) for c in RUN_ORDER) == list(range(len(CLIENTS)))

# (numerator, denominator, target) by client name pairs
RATIOS: List[Tuple[Tuple[str, str], Tuple[str, str], str]] = [
    (("rust", "trillet"), ("rust", "ureq"), "≤ 1.10"),
    (("rust", "trillet"), ("rust", "ureq-timeouts"), ""),
    (("rust", "trillet-c"), ("rust", "trillet"), "≤ 1.05"),
    (("py", "trillet"), ("py", "requests"), "≤ 0.20"),
    (("py", "trillet"), ("py", "httpx"), "≤ 0.33"),
    (("py", "trillet"), ("py", "trillet-nowatch"), "≤ 1.10"),
    (("py", "trillet-async"), ("py", "httpx-async"), "≤ 0.33"),
    (("py", "trillet-async"), ("py", "aiohttp"), ""),
    (("go", "trillet"), ("go", "nethttp"), "≤ 0.90"),
]


#: Python clients whose instructions are counted too: the sync client on the main thread and on
#: another thread, so the Ctrl-C watch's cost is a count, not a time on a shared machine.
COUNTED_PYTHON = {("py", "trillet"), ("py", "trillet-nowatch")}


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.prefix: Dict[str, List[str]] = {
            "rust": [args.bench, "client"],
            "py": [args.python, str(ROOT / "bench" / "clients.py")],
            "go": [args.go],
        }
        self.env = dict(os.environ)
        self.env["TRILLET_LIB"] = args.lib
        for var in ("TRILLET_API_KEY", "TRILLET_WORKSPACE_ID", "TRILLET_BASE_URL", "TRILLET_LOG"):
            self.env.pop(var, None)
        for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
            self.env.pop(var, None)
        self.server = subprocess.Popen(
            [args.bench, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.server.stdout is not None
        self.url = self.server.stdout.readline().strip()
        self.strace = shutil.which("strace")

    def close(self) -> None:
        assert self.server.stdin is not None
        self.server.stdin.close()
        self.server.wait(10)

    def accepts(self) -> int:
        with urllib.request.urlopen(f"{self.url}/__stats", timeout=10) as resp:
            return int(json.load(resp)["accepts"])

    def command(self, kind: str, name: str, url: str, calls: int, warmup: int) -> List[str]:
        return self.prefix[kind] + [name, url, str(calls), str(warmup)]

    def run(self, kind: str, name: str, calls: int, warmup: int) -> Tuple[float, int, Optional[int]]:
        """µs/call, connections opened, trillet's own lookup count (Rust only)."""
        before = self.accepts()
        out = subprocess.run(
            self.command(kind, name, self.url, calls, warmup), env=self.env, check=True, capture_output=True, text=True
        ).stdout
        # The second /__stats request opens a connection of its own (counted before it answers).
        opened = self.accepts() - before - 1
        answer = json.loads(out.strip().splitlines()[-1])
        return float(answer["us_per_call"]), opened, answer.get("dns_lookups")

    def syscalls(self, kind: str, name: str, calls_a: int, calls_b: int) -> Optional[float]:
        if not self.strace:
            return None
        totals = []
        for calls in (calls_a, calls_b):
            with tempfile.NamedTemporaryFile("r", suffix=".strace") as f:
                cmd = [self.strace, "-f", "-c", "-o", f.name] + self.command(kind, name, self.url, calls, 20)
                subprocess.run(cmd, env=self.env, check=True, capture_output=True)
                total = [line for line in f.read().splitlines() if line.rstrip().endswith("total")]
                totals.append(int(total[-1].split()[3]) if total else 0)
        return (totals[1] - totals[0]) / (calls_b - calls_a)

    def instructions(self, kind: str, name: str, calls_a: int, calls_b: int) -> Optional[float]:
        """Instructions per call under valgrind's callgrind (Rust clients only): unlike time, the
        same on a loaded machine."""
        valgrind = shutil.which("valgrind")
        if not valgrind or (kind != "rust" and (kind, name) not in COUNTED_PYTHON):
            return None
        totals = []
        for calls in (calls_a, calls_b):
            with tempfile.TemporaryDirectory() as tmp:
                cmd = [valgrind, "--tool=callgrind", f"--callgrind-out-file={tmp}/cg.out"]
                done = subprocess.run(cmd + self.command(kind, name, self.url, calls, 20), env=self.env,
                                      check=True, capture_output=True, text=True)
            found = re.search(r"Collected : (\d+)", done.stderr)
            if not found:
                return None
            totals.append(int(found.group(1)))
        return (totals[1] - totals[0]) / (calls_b - calls_a)

    def lookups(self, kind: str, name: str, calls: int) -> Optional[int]:
        if not self.strace:
            return None
        url = self.url.replace("127.0.0.1", "localhost")
        with tempfile.NamedTemporaryFile("r", suffix=".strace") as f:
            cmd = [self.strace, "-f", "-e", "trace=openat,open,connect", "-o", f.name]
            subprocess.run(cmd + self.command(kind, name, url, calls, 0), env=self.env, check=True, capture_output=True)
            text = f.read()
        return len(re.findall(r'"/etc/hosts"', text)) + len(re.findall(r"htons\(53\)", text))


def versions(python: str, go: str) -> Dict[str, str]:
    def out(cmd: Sequence[str]) -> str:
        try:
            return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return "?"

    lock = (ROOT / "Cargo.lock").read_text()
    ureq = re.search(r'name = "ureq"\nversion = "([^"]+)"', lock)
    py = out([python, "-c", "import sys,requests,httpx;print(sys.version.split()[0],requests.__version__,httpx.__version__)"])
    py_parts = (py.split() + ["?", "?", "?"])[:3]
    return {
        "rustc": out(["rustc", "--version"]),
        "ureq": ureq.group(1) if ureq else "?",
        "python": py_parts[0],
        "requests": py_parts[1],
        "httpx": py_parts[2],
        "go": out([go, "version"]) if go.endswith("go") else out(["go", "version"]),
    }


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, {os.cpu_count()} CPUs"


POOL_SIZES = (16, 32, 64, 256)
ASYNC_PEERS = ("httpx-async", "aiohttp")


def has_module(python: str, module: str) -> bool:
    return subprocess.run([python, "-c", f"import {module}"], capture_output=True).returncode == 0


class DelayedServer:
    """``bench server --delay-ms N``: every answer after N ms; ``accepts()`` counts connections."""

    def __init__(self, bench: str, delay_ms: int) -> None:
        self.proc = subprocess.Popen([bench, "server", "--delay-ms", str(delay_ms)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.url = self.proc.stdout.readline().strip()

    def accepts(self) -> int:
        with urllib.request.urlopen(f"{self.url}/__stats", timeout=10) as resp:
            return int(json.load(resp)["accepts"])

    def run(self, python: str, env: Dict[str, str], name: str, tasks: int, pool: int, bursts: int) -> Dict[str, float]:
        before = self.accepts()
        out = subprocess.run([python, str(ROOT / "bench" / "clients.py"), "concurrent", name, self.url, str(tasks),
                              str(pool), str(bursts)], env=env, check=True, capture_output=True, text=True).stdout
        answer: Dict[str, float] = json.loads(out.strip().splitlines()[-1])
        answer["connections"] = self.accepts() - before - 1  # the second /__stats opens one itself
        return answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(10)


def concurrency_rows(bench_bin: str, python: str, env: Dict[str, str], rounds: int) -> List[str]:
    """The 200-concurrent-tasks table: per pool size, trillet AsyncClient next to the others with
    as many connections. Rounds interleave the clients; each cell is the median round."""
    peers = [p for p in ASYNC_PEERS if has_module(python, p.split("-")[0])]
    names = ["trillet-async"] + peers
    server = DelayedServer(bench_bin, 20)
    cells: Dict[Tuple[int, str], List[Dict[str, float]]] = {}
    try:
        for r in range(rounds):
            for pool in POOL_SIZES:
                for name in names if r % 2 == 0 else names[::-1]:
                    got = server.run(python, env, name, 200, pool, 5)
                    cells.setdefault((pool, name), []).append(got)
                    print(f"async round {r + 1}/{rounds}  pool {pool:3}  {name:14} {got['wall_ms']:8.1f} ms/burst  "
                          f"{int(got['connections'])} connection(s)  {got['max_rss_kb'] / 1024:.0f} MB", flush=True)
    finally:
        server.close()
    rows = ["| pool size (threads / connections) | client | ms per burst of 200 (median) | trillet / this | "
            "connections opened, 6 bursts | peak RSS MB |", "|---:|---|---:|---:|---:|---:|"]
    for pool in POOL_SIZES:
        ours = statistics.median(c["wall_ms"] for c in cells[(pool, "trillet-async")])
        for name in names:
            runs = cells[(pool, name)]
            wall = statistics.median(c["wall_ms"] for c in runs)
            ratio = "" if name == "trillet-async" else f"{ours / wall:.2f} (target ≤ 1.0)"
            conns = max(int(c["connections"]) for c in runs)
            rss = statistics.median(c["max_rss_kb"] for c in runs) / 1024
            label = {"trillet-async": "trillet `AsyncClient(max_concurrency=N)`", "httpx-async":
                     "`httpx.AsyncClient(limits=Limits(max_connections=N))`", "aiohttp": "`aiohttp.TCPConnector(limit=N)`"}[name]
            rows.append(f"| {pool}{' (default)' if pool == 32 else ''} | {label} | {wall:.1f} | {ratio} | {conns} | {rss:.0f} |")
    return rows


class HoldingServer:
    """A keep-alive HTTP server on loopback (a thread per connection) that holds each request until
    ``hold`` requests are in flight (for 5 s after the first request at most, so a failing client
    ends soon), then answers the agent: overlapping calls get there, serialized ones never do.
    Counts connections and the most requests in flight at once."""

    def __init__(self, hold: int) -> None:
        import socket
        import threading

        self.hold = hold
        self.accepted = 0
        self.in_flight = 0
        self.most = 0
        self.deadline = 0.0
        self.cond = threading.Condition()
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=1024)
        self.url = "http://127.0.0.1:%d" % self.listener.getsockname()[1]
        self.body = json.dumps({"_id": "665a1b2c3d4e5f6a7b8c9d0e", "name": "Bench"}).encode()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import threading

        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with self.cond:
                self.accepted += 1
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: "socket.socket") -> None:
        import time

        data = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
                _, data = data.split(b"\r\n\r\n", 1)  # GETs only: no body
                with self.cond:
                    self.in_flight += 1
                    self.most = max(self.most, self.in_flight)
                    self.cond.notify_all()
                    self.deadline = self.deadline or time.monotonic() + 5
                    while self.most < self.hold and time.monotonic() < self.deadline:
                        self.cond.wait(self.deadline - time.monotonic())
                    self.in_flight -= 1
                conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: %d\r\n\r\n"
                             % len(self.body) + self.body)

    def close(self) -> None:
        self.listener.close()


def quick_async(python: str, env: Dict[str, str]) -> int:
    """``scripts/bench --quick``'s Python facts, no time at all: 2 bursts of 200 concurrent
    AsyncClient calls with max_concurrency 16 against a server that holds each request until 16
    are in flight: the server sees exactly 16 at once (the calls overlap, and never more than the
    pool), at most 16 connections, and the pool's threads are gone after close."""
    pool = 16
    server = HoldingServer(pool)
    try:
        out = subprocess.run([python, str(ROOT / "bench" / "clients.py"), "concurrent", "trillet-async", server.url,
                              "200", str(pool), "1"], env=env, check=True, capture_output=True, text=True).stdout
    finally:
        server.close()
    got = json.loads(out.strip().splitlines()[-1])
    checks = [
        (f"AsyncClient, 2 x 200 concurrent calls, max_concurrency {pool}: {server.most} request(s) in flight at once "
         f"at the server (want {pool})", server.most == pool),
        (f"... {server.accepted} connection(s) (want <= {pool})", server.accepted <= pool),
        (f"... threads left after close: {got['threads_after']} (want 1, the main thread)", got["threads_after"] == 1),
    ]
    for text, ok in checks:
        print(("ok   " if ok else "FAIL ") + text)
    return 0 if all(ok for _, ok in checks) else 1


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bench", required=True, help="the examples/bench binary (release)")
    p.add_argument("--quick-async", action="store_true", help="only the Python asyncio facts of --quick")
    p.add_argument("--no-concurrency", action="store_true", help="skip the 200-concurrent-tasks table")
    p.add_argument("--go", help="the bench/go binary")
    p.add_argument("--python", required=True, help="a Python with requests and httpx")
    p.add_argument("--lib", required=True, help="libtrillet.so for the Python binding")
    p.add_argument("--calls", type=int, default=5000, help="timed calls per client per round (5000)")
    p.add_argument("--warmup", type=int, default=200, help="untimed calls first (200)")
    p.add_argument("--rounds", type=int, default=7, help="interleaved rounds (7)")
    p.add_argument("--out", default=str(ROOT / "bench" / "results.md"))
    p.add_argument("--cancel", help="the JSON lines of `bench cancel N` (cancel-to-return latency)")
    p.add_argument("--limiter", help="the JSON lines of `bench limiter CALLS` (a rate-limit slot's cost)")
    p.add_argument("--cold", help="the markdown of bench/cold.py (the cold path), appended to the results")
    args = p.parse_args(argv)
    if args.quick_async:
        env = dict(os.environ, TRILLET_LIB=args.lib)
        return quick_async(args.python, env)
    if not args.go:
        p.error("--go is required")
    if not has_module(args.python, "aiohttp"):
        global CLIENTS, RUN_ORDER
        print("aiohttp is not installed for this Python: its rows are left out", flush=True)
        CLIENTS = [c for c in CLIENTS if c[3] != "aiohttp"]
        RUN_ORDER = [c for c in RUN_ORDER if c[3] != "aiohttp"]

    load_before = os.getloadavg()[0]
    bench = Bench(args)
    try:
        times: Dict[Tuple[str, str], List[float]] = {(k, n): [] for _, _, k, n in CLIENTS}
        conns: Dict[Tuple[str, str], int] = {(k, n): 0 for _, _, k, n in CLIENTS}
        own_lookups: Dict[Tuple[str, str], Optional[int]] = {}
        for r in range(args.rounds):
            # Compared clients run next to each other, and every other round backwards, so that a
            # drifting load falls on both sides of a ratio alike.
            order = RUN_ORDER if r % 2 == 0 else RUN_ORDER[::-1]
            for label, _, kind, name in order:
                us, opened, lookups = bench.run(kind, name, args.calls, args.warmup)
                times[(kind, name)].append(us)
                conns[(kind, name)] = max(conns[(kind, name)], opened)
                own_lookups[(kind, name)] = lookups
                print(f"round {r + 1}/{args.rounds}  {label:40} {us:9.1f} µs/call  {opened} connection(s)", flush=True)
        sys_per_call = {}
        dns = {}
        instr: Dict[Tuple[str, str], Optional[float]] = {}
        for label, _, kind, name in CLIENTS:
            instr[(kind, name)] = bench.instructions(kind, name, 300, 1300)
            sys_per_call[(kind, name)] = bench.syscalls(kind, name, 200, 1200)
            dns[(kind, name)] = bench.lookups(kind, name, 1000)
            print(f"strace  {label:40} {sys_per_call[(kind, name)]} syscalls/call, {dns[(kind, name)]} lookups", flush=True)
        async_rows = [] if args.no_concurrency else concurrency_rows(args.bench, args.python, bench.env, max(3, args.rounds // 2))
    finally:
        bench.close()
    load_after = os.getloadavg()[0]

    med = {key: statistics.median(v) for key, v in times.items()}
    fmt = lambda v, spec: "n/a" if v is None else format(v, spec)  # noqa: E731
    best = {key: min(v) for key, v in times.items()}
    rows = ["| client | µs/call (best round) | µs/call (median) | instructions/call | syscalls/call | connections "
            "| lookups, 1,000 calls to `localhost` |", "|---|---:|---:|---:|---:|---:|---:|"]
    for label, _, kind, name in CLIENTS:
        key = (kind, name)
        ins = "" if instr[key] is None else f"{instr[key] / 1000:.1f} k"
        rows.append(
            f"| {label} | {best[key]:.0f} | {med[key]:.0f} | {ins} | {fmt(sys_per_call[key], '.1f')} | {conns[key]} | {fmt(dns[key], 'd')} |"
        )
    ratio_rows = ["| ratio | best rounds | median of per-round ratios | target |", "|---|---:|---:|---|"]
    labels = {(k, n): label for label, _, k, n in CLIENTS}
    for num, den, target in RATIOS:
        if num not in times or den not in times:
            continue
        # Each round's pair ran minutes apart at most: the median of the per-round ratios is
        # steadier under a changing load than the ratio of the medians.
        per_round = statistics.median(a / b for a, b in zip(times[num], times[den]))
        ratio_rows.append(f"| {labels[num]} / {labels[den]} | {best[num] / best[den]:.2f} | {per_round:.2f} | {target} |")
    for num, den, _ in RATIOS:
        a, b = instr.get(num), instr.get(den)
        if a is not None and b is not None:
            ratio_rows.append(f"| instructions: {labels[num]} / {labels[den]} | {a / b:.2f} | | |")
    cancel_rows = []
    if args.cancel:
        cancel_rows = ["| a cancel while the call waits on… | cancels | p50 µs | p99 µs | max µs | outcome | target |",
                       "|---|---:|---:|---:|---:|---|---|"]
        for line in Path(args.cancel).read_text().splitlines():
            c = json.loads(line)
            outcome = "cancelled as expected" if c["outcome_ok"] else "**wrong outcome**"
            cancel_rows.append(f"| {c['place']} | {c['cancels']} | {c['p50_us']} | {c['p99_us']} | {c['max_us']} "
                               f"| {outcome} | p99 ≤ 50,000 |")
        cancel_rows.append("")
    if args.limiter:
        cancel_rows += ["| rate limiter | µs/call (best of 5 rounds) | added to a call |", "|---|---:|---:|"]
        for line in Path(args.limiter).read_text().splitlines():
            c = json.loads(line)
            if "skipped" in c:
                cancel_rows.append(f"| {c['limiter']} | {c['skipped']} | |")
            else:
                cancel_rows.append(f"| {c['limiter']} | {c['us_per_call']:.1f} | {c['added_us']:+.1f} µs |")
        cancel_rows.append("")
    v = versions(args.python, shutil.which("go") or "go")
    cpus = os.cpu_count() or 1
    loaded = max(load_before, load_after) > 0.5 * cpus
    notes = [
        f"Machine: {machine()}. Load average {load_before:.2f} before, {load_after:.2f} after"
        + (" — the machine was busy (a load average above half its CPUs; the builds just before count): "
        "read the ratios, not the times." if loaded else "."),
        f"Versions: {v['rustc']}; ureq {v['ureq']}; Python {v['python']}, requests {v['requests']}, "
        f"httpx {v['httpx']}; {v['go']}.",
        f"Method: one neutral keep-alive server on 127.0.0.1 (examples/bench.rs, a fixed 639-byte agent), "
        f"{args.rounds} interleaved rounds of {args.calls} sequential GETs per client (each round a fresh "
        f"process, {args.warmup} warm-up calls first; the two sides of a ratio run one after the other, "
        f"every other round in reverse order). Best round: the least disturbed by other load; "
        f"median: of the rounds, or of each round's ratio. Syscalls: strace -f -c, (1,200 calls − 200 calls) "
        f"/ 1,000. Instructions: valgrind --tool=callgrind, the same difference (Rust clients, and trillet Python with and without the Ctrl-C watch). Connections: server-side accepts per process (warm-up included). Lookups: /etc/hosts opens "
        f"and port-53 connects under strace for 1,000 calls to `localhost`.",
    ]
    if async_rows:
        async_rows = ["Python asyncio: bursts of 200 concurrent tasks (one GET each) against a server answering "
                      "after 20 ms, the client limited to N threads (trillet) or N connections (the others). "
                      "The core keeps up to 256 idle connections per host, so a burst's connections serve the "
                      "next burst.", "", *async_rows, ""]
    cold_rows = [Path(args.cold).read_text(), ""] if args.cold else []
    text = "\n".join(["# trillet benchmark results", "", "Written by `scripts/bench`.", "", *rows, "", *ratio_rows, "",
                      *async_rows, *cancel_rows, *cold_rows, *[n + "\n" for n in notes]])
    print()
    print(text)
    Path(args.out).write_text(text)
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
