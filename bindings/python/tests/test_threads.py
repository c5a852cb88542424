"""One client shared by many threads: every call succeeds, calls run in parallel (ctypes releases
the GIL), and closing while calls are in flight ends them (``RequestCancelledError``)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, List

import trillet
from conftest import AGENT_BODY, Sandbox

THREADS = 8


def test_threads_share_one_client(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = client.agents.create(body=AGENT_BODY)["_id"]
    per_thread = 40
    errors: List[BaseException] = []

    def work(n: int) -> int:
        done = 0
        for i in range(per_thread):
            try:
                if i % 2:
                    assert client.agents.get(agent)["_id"] == agent
                else:
                    assert client.call("agents.get", path={"agent_id": agent})["_id"] == agent
                done += 1
            except BaseException as e:  # noqa: BLE001 - collected and reported below
                errors.append(e)
        return done

    with ThreadPoolExecutor(THREADS) as pool:
        done = sum(pool.map(work, range(THREADS)))
    assert errors == []
    assert done == THREADS * per_thread
    assert sandbox.count("agents.get") == THREADS * per_thread


def test_calls_run_in_parallel_without_the_gil(client: trillet.Client, sandbox: Sandbox) -> None:
    delay_ms = 1000
    sandbox.fault("agents.list", {"type": "delay", "ms": delay_ms}, count=THREADS)
    barrier = threading.Barrier(THREADS)

    def work(_: int) -> Any:
        barrier.wait()
        return client.agents.list()

    started = time.monotonic()
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(work, range(THREADS)))
    elapsed = time.monotonic() - started
    assert results == [[]] * THREADS
    # Serialized, eight 1 s answers would take at least 8 s; in parallel about 1 s. The bound
    # is what a loaded machine meets while still telling the two apart.
    assert elapsed < THREADS * delay_ms / 1000 - 2, elapsed
    # Meanwhile the interpreter kept running Python code (the GIL was free during the call):
    # with the GIL held the loop below could not run at all until the call returned. A few
    # iterations prove it; no rate of iterations is assumed (a loaded machine sleeps long).
    ticks = 0
    sandbox.fault("agents.list", {"type": "delay", "ms": delay_ms})
    caller = threading.Thread(target=client.agents.list)
    caller.start()
    while caller.is_alive():
        ticks += 1
        time.sleep(0.001)
    caller.join()
    assert ticks >= 5, ticks


def test_close_while_calls_are_in_flight_ends_them_as_cancelled(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client()
    # Each call would wait 30 s for its answer; close must end them instead of waiting.
    sandbox.fault("agents.list", {"type": "delay", "ms": 30000}, count=4)
    outcomes: List[Any] = []
    started = threading.Barrier(5)

    def work() -> None:
        started.wait()
        try:
            outcomes.append(client.agents.list())
        except trillet.TrilletError as e:
            outcomes.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    started.wait()
    time.sleep(0.5)
    closed_at = time.monotonic()
    client.close()  # ends the four calls; the handle is freed when the last has returned
    assert client.closed
    for t in threads:
        t.join(timeout=20)
        assert not t.is_alive(), "close left a call waiting for its 30 s answer"
    assert time.monotonic() - closed_at < 15
    assert len(outcomes) == 4
    for outcome in outcomes:
        assert isinstance(outcome, trillet.RequestCancelledError), outcome
        assert outcome.kind == "cancelled" and outcome.code in ("not_sent", "maybe_sent")
    assert client._handle is None
    try:
        client.agents.list()
        raise AssertionError("a closed client made a call")
    except trillet.InvalidInputError as e:
        assert e.code == "client_closed"
