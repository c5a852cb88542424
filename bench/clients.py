#!/usr/bin/env python3
"""The benchmark's Python clients (run by scripts/bench; not part of the test suite).

    python3 bench/clients.py NAME URL CALLS WARMUP

NAME is ``trillet`` (the binding, dict results), ``requests`` (``requests.Session`` with its
defaults) or ``httpx`` (``httpx.Client`` with its defaults). Each does WARMUP untimed, then CALLS
timed sequential GETs of one agent with the same headers, parses the JSON answer, and prints
``{"us_per_call": ...}``. The binding is imported from bindings/python (TRILLET_LIB names the
library to load).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, Callable

AGENT_ID = "665a1b2c3d4e5f6a7b8c9d0e"
KEY = "sk_bench_0123456789"
WORKSPACE = "64a1b2c3d4e5f6a7b8c9d0e1"
HEADERS = {"x-api-key": KEY, "x-workspace-id": WORKSPACE, "accept": "application/json"}


def make(name: str, url: str) -> Callable[[], Any]:
    agent_url = f"{url}/v1/api/agents/{AGENT_ID}"
    if name == "trillet":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bindings" / "python"))
        import trillet

        client = trillet.Client(api_key=KEY, workspace_id=WORKSPACE, base_url=url, ignore_env=True)
        return lambda: client.agents.get(AGENT_ID)
    if name == "requests":
        import requests

        session = requests.Session()
        session.headers.update(HEADERS)
        return lambda: session.get(agent_url, timeout=60).json()
    if name == "httpx":
        import httpx

        hclient = httpx.Client(headers=HEADERS)
        return lambda: hclient.get(agent_url).json()
    raise SystemExit(f"unknown client {name!r}")


def main() -> int:
    name, url, calls, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    get = make(name, url)
    for _ in range(warmup):
        assert get()["_id"] == AGENT_ID
    started = time.perf_counter()
    for _ in range(calls):
        get()
    took = time.perf_counter() - started
    print(json.dumps({"us_per_call": round(took * 1e6 / max(calls, 1), 2), "dns_lookups": None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
