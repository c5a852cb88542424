#!/usr/bin/env python3
"""The cold path: a new process's first answered call over HTTPS (run by scripts/bench).

    python3 bench/cold.py --c BIN --go BIN --python PY --lib LIB [--runs 21] [--out FILE]

A throw-away CA (openssl) signs a certificate for 127.0.0.1; a small HTTPS server on loopback
answers one 639-byte agent per connection. Each client is a new process that trusts the
system's roots plus that CA the way its users add a root (trillet's ``ca_bundle``; Go's
``x509.SystemCertPool()`` with the CA appended; requests' ``verify=`` a copy of certifi's bundle
with the CA appended), makes one GET, decodes it and exits. The whole process is timed, from
spawn to exit, in interleaved rounds; SSL_CERT_FILE and SSL_CERT_DIR are unset, so each side
finds the system's store its own default way. Prints a markdown fragment (also written to
--out): the median and best milliseconds per client, the ratios to Go net/http and Python
requests, and, from the C client, what building the client took (the system store read
included). Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
AGENT_ID = "665a1b2c3d4e5f6a7b8c9d0e"
KEY = "sk_bench_0123456789"
WORKSPACE = "64a1b2c3d4e5f6a7b8c9d0e1"


def agent_body() -> bytes:
    head = (
        f'{{"_id":"{AGENT_ID}","name":"Customer Support Agent","status":"ready","llmModel":"gpt-4o-mini",'
        f'"voiceId":"alloy","language":"en-US","workspaceId":"{WORKSPACE}","createdAt":"2026-01-01T00:00:00.000Z",'
        '"updatedAt":"2026-01-01T00:00:00.000Z","prompt":"'
    )
    return (head + "x" * (639 - len(head) - 2) + '"}').encode()


def make_ca(work: Path) -> Tuple[Path, Path, Path]:
    """A throw-away CA and a server certificate for 127.0.0.1: (ca.pem, leaf.pem, leaf.key)."""
    ca_key, ca, key, csr, leaf, ext = (work / n for n in ("ca.key", "ca.pem", "leaf.key", "leaf.csr", "leaf.pem", "leaf.ext"))
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run = lambda *a: subprocess.run(["openssl", *a], check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", *ec, "-keyout", str(ca_key), "-out", str(ca), "-days", "2", "-subj", "/CN=trillet bench CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", *ec, "-keyout", str(key), "-out", str(csr), "-subj", "/CN=127.0.0.1")
    ext.write_text("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial", "-out", str(leaf),
        "-days", "2", "-extfile", str(ext))
    return ca, leaf, key


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    body = agent_body()
    # Headers and body in one write, without Nagle: otherwise the body waits for the client's
    # delayed ACK (40 ms on Linux), whatever the client.
    disable_nagle_algorithm = True
    wbufsize = 64 * 1024

    def do_GET(self) -> None:  # noqa: N802
        ok = self.path == f"/v1/api/agents/{AGENT_ID}" and self.headers.get("x-api-key") == KEY
        body = self.body if ok else b'{"error":"not found"}'
        self.send_response(200 if ok else 404)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def serve(leaf: Path, key: Path) -> Tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(leaf), str(key))
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"https://127.0.0.1:{server.server_address[1]}"


def clients(args: argparse.Namespace, url: str, ca: Path, requests_bundle: Path) -> List[Tuple[str, List[str]]]:
    py_trillet = (
        "import sys; sys.path.insert(0, sys.argv[1]); import trillet; "
        "c = trillet.Client(api_key=sys.argv[2], workspace_id=sys.argv[3], base_url=sys.argv[4], ca_bundle=sys.argv[5], "
        "ignore_env=True); assert c.agents.get(sys.argv[6])['_id'] == sys.argv[6]"
    )
    py_requests = (
        "import sys, requests; r = requests.get(sys.argv[1] + '/v1/api/agents/' + sys.argv[2], "
        "headers={'x-api-key': sys.argv[3], 'x-workspace-id': sys.argv[4], 'accept': 'application/json'}, "
        "verify=sys.argv[5], timeout=60); assert r.json()['_id'] == sys.argv[2]"
    )
    return [
        ("trillet (C)", [args.c, url, str(ca)]),
        ("trillet (Go)", [args.go, "cold", "trillet", url, str(ca)]),
        ("Go net/http", [args.go, "cold", "nethttp", url, str(ca)]),
        ("trillet (Python)", [args.python, "-c", py_trillet, str(ROOT / "bindings" / "python"), KEY, WORKSPACE, url, str(ca), AGENT_ID]),
        ("Python requests", [args.python, "-c", py_requests, url, AGENT_ID, KEY, WORKSPACE, str(requests_bundle)]),
    ]


def main(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--c", required=True, help="the bench/cold.c binary")
    p.add_argument("--go", required=True, help="the bench/go binary")
    p.add_argument("--python", required=True, help="a Python with requests")
    p.add_argument("--lib", required=True, help="libtrillet.so for the Python binding")
    p.add_argument("--runs", type=int, default=21, help="processes per client (21)")
    p.add_argument("--out", help="also write the markdown fragment here")
    args = p.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env["TRILLET_LIB"] = args.lib
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ca, leaf, key = make_ca(work)
        certifi = subprocess.run([args.python, "-c", "import certifi; print(certifi.where())"], check=True,
                                 capture_output=True, text=True).stdout.strip()
        requests_bundle = work / "requests-bundle.pem"
        requests_bundle.write_text(Path(certifi).read_text() + "\n" + ca.read_text())
        server, url = serve(leaf, key)
        try:
            runs: Dict[str, List[float]] = {}
            client_new: List[float] = []
            order = clients(args, url, ca, requests_bundle)
            for r in range(args.runs + 1):
                for label, cmd in order if r % 2 == 0 else order[::-1]:
                    started = time.perf_counter()
                    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
                    took = (time.perf_counter() - started) * 1000
                    if done.returncode != 0:
                        print(f"{label} failed ({done.returncode}): {done.stderr[-2000:]}", file=sys.stderr)
                        return 1
                    if r == 0:
                        continue  # the first round warms the page cache for every side
                    runs.setdefault(label, []).append(took)
                    if label == "trillet (C)":
                        client_new.append(json.loads(done.stdout)["client_new_us"] / 1000)
        finally:
            server.shutdown()
    med = {label: statistics.median(v) for label, v in runs.items()}
    rows = ["| new process → first answered call (HTTPS, loopback) | median ms | best ms |", "|---|---:|---:|"]
    rows += [f"| {label} | {med[label]:.1f} | {min(runs[label]):.1f} |" for label, _ in order]
    ratios = [("trillet (Go)", "Go net/http"), ("trillet (C)", "Go net/http"), ("trillet (Python)", "Python requests")]
    rows += ["", "| cold-path ratio | of the medians |", "|---|---:|"]
    rows += [f"| {a} / {b} | {med[a] / med[b]:.2f} |" for a, b in ratios]
    rows += ["", f"Building a client with the system trust store (C, `trillet_client_new`, the store's one read per process "
             f"included): median {statistics.median(client_new):.2f} ms, best {min(client_new):.2f} ms (target ≤ 1 ms).",
             "", f"Cold path: {args.runs} new processes per client, interleaved (every other round reversed), after one "
             "untimed round; each trusts the system's roots plus a throw-away CA (trillet `ca_bundle`, Go "
             "`SystemCertPool` + the CA, requests `verify=` certifi + the CA), with SSL_CERT_FILE/SSL_CERT_DIR unset; "
             "the whole process is timed, from spawn to exit.", ""]
    text = "\n".join(rows)
    print(text)
    if args.out:
        Path(args.out).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
