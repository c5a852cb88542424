#!/usr/bin/env python3
"""The benchmark's Python clients (run by scripts/bench; not part of the test suite).

    python3 bench/clients.py NAME URL CALLS WARMUP
    python3 bench/clients.py concurrent NAME URL TASKS POOL BURSTS

NAME is ``trillet`` (the binding, dict results, called from the main thread), ``trillet-nowatch``
(the same on the main thread with a SIGINT handler of the program's own, so the binding keeps no
Ctrl-C watch: the sync client as it was before the watch), ``requests`` (``requests.Session`` with
its defaults), ``httpx`` (``httpx.Client`` with its defaults), ``trillet-async``
(``trillet.AsyncClient``, each call awaited in turn), ``httpx-async`` (``httpx.AsyncClient``) or
``aiohttp`` (``aiohttp.ClientSession``). Each does WARMUP untimed, then CALLS timed sequential GETs
of one agent with the same headers, parses the JSON answer, and prints ``{"us_per_call": ...}``.

``concurrent``: BURSTS + 1 bursts (the first untimed) of TASKS tasks started at once, each one GET,
with POOL threads (``trillet-async``: ``max_concurrency``) or connections (``httpx-async``:
``max_connections``; ``aiohttp``: ``limit``); prints the median burst's wall time and the
process's peak RSS. The binding is imported from bindings/python (TRILLET_LIB names the library
to load).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
import asyncio
import resource
import statistics
import threading
from typing import Any, Awaitable, Callable, List, Tuple

AGENT_ID = "665a1b2c3d4e5f6a7b8c9d0e"
KEY = "sk_bench_0123456789"
WORKSPACE = "64a1b2c3d4e5f6a7b8c9d0e1"
HEADERS = {"x-api-key": KEY, "x-workspace-id": WORKSPACE, "accept": "application/json"}


def make(name: str, url: str) -> Callable[[], Any]:
    agent_url = f"{url}/v1/api/agents/{AGENT_ID}"
    if name in ("trillet", "trillet-nowatch"):
        if name == "trillet-nowatch":
            import signal

            signal.signal(signal.SIGINT, lambda *_: None)
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


async def make_async(name: str, url: str, pool: int) -> Tuple[Callable[[], Awaitable[Any]], Callable[[], Awaitable[None]]]:
    """An async GET of the agent (parsed JSON) and the client's close."""
    agent_url = f"{url}/v1/api/agents/{AGENT_ID}"
    if name == "trillet-async":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bindings" / "python"))
        import trillet

        client = trillet.AsyncClient(api_key=KEY, workspace_id=WORKSPACE, base_url=url, ignore_env=True,
                                     max_concurrency=pool or None)
        return (lambda: client.agents.get(AGENT_ID)), client.close
    if name == "httpx-async":
        import httpx

        limits = httpx.Limits(max_connections=pool, max_keepalive_connections=pool) if pool else httpx.Limits()
        hclient = httpx.AsyncClient(headers=HEADERS, limits=limits)

        async def hget() -> Any:
            return (await hclient.get(agent_url)).json()

        return hget, hclient.aclose
    if name == "aiohttp":
        import aiohttp

        session = aiohttp.ClientSession(headers=HEADERS, connector=aiohttp.TCPConnector(limit=pool or 100))

        async def aget() -> Any:
            async with session.get(agent_url) as resp:
                return await resp.json()

        return aget, session.close
    raise SystemExit(f"unknown async client {name!r}")


async def sequential_async(name: str, url: str, calls: int, warmup: int) -> float:
    get, close = await make_async(name, url, 0)
    try:
        for _ in range(warmup):
            assert (await get())["_id"] == AGENT_ID
        started = time.perf_counter()
        for _ in range(calls):
            await get()
        return time.perf_counter() - started
    finally:
        await close()


async def concurrent(name: str, url: str, tasks: int, pool: int, bursts: int) -> List[float]:
    get, close = await make_async(name, url, pool)
    walls = []
    try:
        for burst in range(bursts + 1):
            started = time.perf_counter()
            results = await asyncio.gather(*(get() for _ in range(tasks)))
            took = time.perf_counter() - started
            assert all(r["_id"] == AGENT_ID for r in results)
            if burst:
                walls.append(took)
    finally:
        await close()
    return walls


def main() -> int:
    if sys.argv[1] == "concurrent":
        name, url, tasks, pool, bursts = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
        walls = asyncio.run(concurrent(name, url, tasks, pool, bursts))
        rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(json.dumps({"wall_ms": round(statistics.median(walls) * 1000, 2), "max_rss_kb": rss_kb,
                          "threads_after": threading.active_count()}))
        return 0
    name, url, calls, warmup = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    if name in ("trillet-async", "httpx-async", "aiohttp"):
        took = asyncio.run(sequential_async(name, url, calls, warmup))
        print(json.dumps({"us_per_call": round(took * 1e6 / max(calls, 1), 2), "dns_lookups": None}))
        return 0
    get = make(name, url)
    outcome: List[float] = []

    def run() -> None:
        for _ in range(warmup):
            assert get()["_id"] == AGENT_ID
        started = time.perf_counter()
        for _ in range(calls):
            get()
        outcome.append(time.perf_counter() - started)

    run()
    print(json.dumps({"us_per_call": round(outcome[0] * 1e6 / max(calls, 1), 2), "dns_lookups": None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
