#!/usr/bin/env python3
"""The same GET against the local sandbox through trillet and through ``requests.Session``.

    python3 bindings/python/bench.py [--calls 2000] [--warmup 200] [--url http://127.0.0.1:PORT]

Starts ``trillet sandbox --port 0`` (``$TRILLET_SANDBOX_BIN``, else the release or debug build
under ``$CARGO_TARGET_DIR`` or ``<repo>/target``) unless ``--url`` or ``TRILLET_SANDBOX_URL``
names one that is running, creates an agent, then times ``GET /v1/api/agents/{id}`` both ways,
alternating rounds so that both see the same machine load. Both sides send the same headers,
keep one connection alive and parse the JSON answer. Prints the time per call and the ratio
trillet / requests (below 1: trillet is faster).

For a fair number build the library in release mode (``cargo build --release --lib``) and point
``TRILLET_LIB`` at it; ``requests`` must be installed (``pip install requests``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, List, Optional, Sequence

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import trillet  # noqa: E402
from trillet import _native  # noqa: E402

API_KEY = "sk_test_trillet_sandbox"
WORKSPACE_ID = "64a1b2c3d4e5f6a7b8c9d0e1"


def sandbox_binary() -> Path:
    explicit = os.environ.get("TRILLET_SANDBOX_BIN")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    for profile in ("release", "debug"):
        if (target / profile / "trillet").is_file():
            return target / profile / "trillet"
    raise SystemExit(f"no trillet binary under {target}: run `cargo build --release -p trillet-cli` first")


def per_call(fn: Callable[[], Any], calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - started) / calls


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=2000, help="timed calls per client (default 2000)")
    parser.add_argument("--warmup", type=int, default=200, help="untimed calls per client first (default 200)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (default 5)")
    parser.add_argument("--url", default=os.environ.get("TRILLET_SANDBOX_URL"), help="a running sandbox")
    args = parser.parse_args(argv)

    try:
        import requests
    except ImportError:
        print("bench.py needs requests: python3 -m pip install requests", file=sys.stderr)
        return 2

    proc: Optional[subprocess.Popen[str]] = None
    url: str = args.url or ""
    if not url:
        binary = sandbox_binary()
        proc = subprocess.Popen(
            [str(binary), "sandbox", "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        print(f"sandbox:  {binary} at {url}")
    try:
        client = trillet.Client(api_key=API_KEY, workspace_id=WORKSPACE_ID, base_url=url, max_retries=0)
        agent_id = str(
            client.agents.create(
                name="Bench agent", llm_model="gpt-4o-mini", tts_model={"provider": "openai", "voiceId": "alloy"}
            )["_id"]
        )

        session = requests.Session()
        session.trust_env = False  # loopback, no proxies from the environment
        session.headers.update(
            {"x-api-key": API_KEY, "x-workspace-id": WORKSPACE_ID, "accept": "application/json"}
        )
        agent_url = f"{url}/v1/api/agents/{agent_id}"

        def with_trillet() -> Any:
            return client.agents.get(agent_id)

        def with_requests() -> Any:
            resp = session.get(agent_url, timeout=10)
            resp.raise_for_status()
            return resp.json()

        assert with_trillet() == with_requests()
        per_call(with_trillet, args.warmup)
        per_call(with_requests, args.warmup)
        ours: List[float] = []
        theirs: List[float] = []
        per_round = max(1, args.calls // args.rounds)
        for _ in range(args.rounds):
            ours.append(per_call(with_trillet, per_round))
            theirs.append(per_call(with_requests, per_round))
            client.request("DELETE", "/__sandbox/requests")  # keep the sandbox's log small
        t, r = statistics.median(ours), statistics.median(theirs)
        print(f"library:  {_native.LIB_PATH}")
        print(f"calls:    {per_round * args.rounds} each, GET /v1/api/agents/{{id}}, median of {args.rounds} rounds")
        print(f"trillet:  {t * 1e6:8.1f} us/call")
        print(f"requests: {r * 1e6:8.1f} us/call (requests {getattr(requests, '__version__', '?')})")
        print(f"ratio trillet/requests: {t / r:.2f}")
        client.close()
        session.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
