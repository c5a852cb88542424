"""``trillet.AsyncClient``: the sync client's surface awaited, calls on the client's own threads,
and task cancellation ending the request in the core.

What the server saw is the evidence: requests in flight at once, connections opened and closed
(``rawserver.RawServer``), the sandbox's request log. Wall-clock bounds are loose (seconds) and
only separate "overlapped" from "serialized".
"""

from __future__ import annotations

import asyncio
import gc
import inspect
import keyword
import sys
import threading
import time
from typing import Any, Awaitable, Callable, Dict, Iterator, List, Optional, TypeVar

import pytest

import trillet
from conftest import AGENT_BODY, API_KEY, UNKNOWN_ID, WORKSPACE_ID, Sandbox
from rawserver import AGENT, RawServer
from trillet import _async_operations, _operations

T = TypeVar("T")


def run(coro: Awaitable[T]) -> T:
    return asyncio.run(coro)  # type: ignore[arg-type]


def settings(url: str, **kwargs: Any) -> Dict[str, Any]:
    out: Dict[str, Any] = {"api_key": API_KEY, "workspace_id": WORKSPACE_ID, "base_url": url, "max_retries": 0,
                           "timeout": 60.0, "ignore_env": True}
    out.update(kwargs)
    return out


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    made: List[RawServer] = []

    def make(delay: Optional[float] = None, **kwargs: Any) -> RawServer:
        server = RawServer(delay, **kwargs)
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()


def trillet_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("trillet-async"))


async def outcome_of(call: Awaitable[Any], sink: List[Optional[BaseException]]) -> Any:
    """Awaits ``call``; on cancellation records the ``__cause__`` the CancelledError carries (what
    the core call came to) and re-raises. (``asyncio.gather`` hands back a fresh CancelledError
    for a cancelled task, so the cause is read where the call was awaited.)"""
    try:
        return await call
    except asyncio.CancelledError as e:
        sink.append(e.__cause__)
        raise


def wait_until(what: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while not what() and time.monotonic() < deadline:
        time.sleep(0.01)
    return what()


# -- the surface ---------------------------------------------------------------------------


def test_the_async_namespaces_mirror_the_sync_ones() -> None:
    assert _async_operations.OPERATION_IDS == _operations.OPERATION_IDS
    sync = trillet.Client(api_key="k", workspace_id="w", base_url="http://127.0.0.1:1")
    aclient = trillet.AsyncClient(api_key="k", workspace_id="w", base_url="http://127.0.0.1:1")
    try:
        for op in trillet.operations()["operations"]:
            action = op["action"] + ("_" if keyword.iskeyword(op["action"]) else "")
            smethod = getattr(getattr(sync, op["resource"]), action)
            amethod = getattr(getattr(aclient, op["resource"]), action)
            assert inspect.iscoroutinefunction(amethod), op["id"]
            assert inspect.signature(amethod) == inspect.signature(smethod), op["id"]
            assert amethod.__doc__ == smethod.__doc__, op["id"]
        for name in ("list_all", "list_all_calls"):
            for resource in ("call_history", "batch_calls"):
                s = getattr(getattr(sync, resource), name, None)
                a = getattr(getattr(aclient, resource), name, None)
                assert (s is None) == (a is None)
                if a is not None:
                    assert inspect.signature(a).parameters == inspect.signature(s).parameters
        # The settings are the sync client's, plus max_concurrency (keyword-only).
        sparams = dict(inspect.signature(trillet.Client).parameters)
        aparams = dict(inspect.signature(trillet.AsyncClient).parameters)
        assert aparams.pop("max_concurrency").kind is inspect.Parameter.KEYWORD_ONLY
        assert aparams == sparams
    finally:
        sync.close()
        run(aclient.close())


def test_calls_errors_raw_responses_and_async_with(sandbox: Sandbox) -> None:
    sandbox.reset()

    async def main() -> None:
        async with trillet.AsyncClient(**settings(sandbox.url, timeout=10.0)) as client:
            agent = await client.agents.create(body=AGENT_BODY)
            assert (await client.agents.get(agent["_id"]))["name"] == AGENT_BODY["name"]
            assert (await client.agents.get(agent_id=agent["_id"]))["_id"] == agent["_id"]
            assert (await client.call("agents.get", path={"agent_id": agent["_id"]}))["_id"] == agent["_id"]
            assert (await client.request("GET", "/v1/api/agents/{agentId}", path_params={"agentId": agent["_id"]}))[
                "_id"
            ] == agent["_id"]
            raw = await client.with_raw_response.agents.get(agent["_id"])
            assert isinstance(raw, trillet.RawResponse) and raw.status_code == 200 and raw.attempts == 1
            assert raw.request_id and raw.data["_id"] == agent["_id"]
            raw2 = await client.agents.with_raw_response.list()
            assert [a["_id"] for a in raw2.parse()] == [agent["_id"]]
            raw3 = await client.with_raw_response.call("agents.get", path={"agentId": agent["_id"]})
            assert raw3.data["_id"] == agent["_id"]
            with pytest.raises(trillet.NotFoundError) as info:
                await client.agents.get(UNKNOWN_ID)
            assert (info.value.status, info.value.code) == (404, "not_found")
            with pytest.raises(trillet.NotFoundError) as info2:
                await client.with_raw_response.agents.get(UNKNOWN_ID)
            assert info2.value.meta is not None and info2.value.meta.status == 404
            with pytest.raises(TypeError):
                await client.agents.get()  # type: ignore[call-arg]  # a required path parameter
            with pytest.raises(trillet.InvalidInputError):
                await client.call("agents.get")  # the missing path parameter, as in the sync client
            assert repr(client).startswith("<trillet.AsyncClient") and "sk_" not in repr(client)
        assert client.closed
        with pytest.raises(trillet.InvalidInputError) as closed:
            await client.agents.list()
        assert closed.value.code == "client_closed"

    run(main())
    # Exactly the requests the calls made: one pipeline, no retries, no extra traffic.
    assert sandbox.count("agents.get") == 8  # 5 found, 2 not found, ... and request()
    assert sandbox.count("agents.create") == 1


def test_retries_are_the_cores(sandbox: Sandbox) -> None:
    sandbox.reset()
    sandbox.fault("agents.list", {"type": "status", "status": 503, "body": {"error": {"code": "x", "message": "y"}},
                                  "headers": {"Retry-After": "0"}}, count=2)

    async def main() -> Any:
        async with trillet.AsyncClient(**settings(sandbox.url, max_retries=2)) as client:
            return await client.with_raw_response.agents.list()

    raw = run(main())
    assert raw.attempts == 3
    assert sandbox.count("agents.list") == 3


def test_uploads_go_through_the_same_pipeline(sandbox: Sandbox) -> None:
    sandbox.reset()

    async def main() -> Any:
        async with trillet.AsyncClient(**settings(sandbox.url)) as client:
            kb = await client.knowledge_base.create(body={"name": "KB"})
            kb_id = kb.get("_id") or kb.get("id")
            return await client.knowledge_base.upload_file(kb_id, file=("faq.txt", b"hello", "text/plain"))

    run(main())
    uploads = sandbox.requests("knowledge_base.upload_file")
    assert len(uploads) == 1


def test_the_clients_timeout_and_rate_limit_are_the_cores(raw_server: Callable[..., RawServer]) -> None:
    hung = raw_server(None)
    answering = raw_server(0.0)

    async def main() -> None:
        async with trillet.AsyncClient(**settings(hung.url, timeout=0.3)) as client:
            with pytest.raises(trillet.APITimeoutError) as info:
                await client.agents.get("a")
            assert info.value.kind == "timeout"
            with pytest.raises(trillet.APITimeoutError):
                await client.agents.get("a", timeout=0.2)  # the per-call timeout, as in the sync client
        # rate_limit_per_minute=2: the third call waits for a slot (cancelled here), without blocking the loop.
        async with trillet.AsyncClient(**settings(answering.url, rate_limit_per_minute=2)) as client:
            await client.agents.get("a")
            await client.agents.get("a")
            third = asyncio.create_task(client.agents.get("a"))
            await asyncio.sleep(0.5)
            assert not third.done() and answering.requests == 2
            third.cancel()
            try:
                await third
            except asyncio.CancelledError as e:
                assert isinstance(e.__cause__, trillet.RequestCancelledError) and e.__cause__.code == "not_sent"
            else:
                raise AssertionError("the third call did not wait for the rate limit")

    run(main())
    assert hung.requests == 2
    assert answering.requests == 2


def test_close_waits_for_calls_awaited_on_another_loop(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(None)
    client = trillet.AsyncClient(**settings(server.url))
    outcome: List[BaseException] = []

    def other_thread() -> None:
        async def call() -> None:
            try:
                await client.agents.get("a")
            except BaseException as e:  # noqa: BLE001 - recorded
                outcome.append(e)

        asyncio.run(call())

    worker = threading.Thread(target=other_thread)
    worker.start()
    assert server.wait_for(lambda: server.requests == 1)
    run(client.close())
    worker.join(20)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], trillet.RequestCancelledError), outcome
    assert server.wait_for(lambda: server.closed == 1)


def pages_server(total: int, with_has_next: bool) -> Callable[[bytes], Any]:
    def respond(head: bytes) -> Any:
        target = head.split(b" ", 2)[1].decode()
        query = dict(p.split("=", 1) for p in target.split("?", 1)[1].split("&"))
        page, limit = int(query["page"]), int(query["limit"])
        items = [{"_id": str(i)} for i in range((page - 1) * limit, min(page * limit, total))]
        if with_has_next:
            return {"calls": items, "pagination": {"page": page, "hasNext": page * limit < total}}
        return items

    return respond


@pytest.mark.parametrize("with_has_next", [True, False], ids=["envelope-hasNext", "bare-array"])
def test_list_all_fetches_every_page_lazily(raw_server: Callable[..., RawServer], with_has_next: bool) -> None:
    server = raw_server(0.0, respond=pages_server(7, with_has_next))

    async def main() -> List[str]:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            seen = []
            async for record in client.call_history.list_all(limit=3, query={"status": "completed"}):
                seen.append(record["_id"])
                if len(seen) == 1:
                    assert server.requests == 1  # lazily: one page at a time
            return seen

    assert run(main()) == [str(i) for i in range(7)]
    targets = [h.split(b" ", 2)[1].decode() for h in server.heads]
    assert len(targets) == 3
    assert all("status=completed" in t and "limit=3" in t for t in targets)
    assert [t.split("page=")[1].split("&")[0] for t in targets] == ["1", "2", "3"]
    # ... and the sync client's list_all reads the same pages.
    with trillet.Client(**settings(server.url)) as sync:
        assert [r["_id"] for r in sync.call_history.list_all(limit=3)] == [str(i) for i in range(7)]


# -- never blocking the loop -------------------------------------------------------------


def test_the_loop_keeps_ticking_while_50_calls_wait_and_they_overlap(raw_server: Callable[..., RawServer]) -> None:
    delay = 2.5
    server = raw_server(delay)
    calls = 50

    async def main() -> Dict[str, float]:
        ticks: List[float] = []
        stop = asyncio.Event()

        async def heartbeat() -> None:
            while not stop.is_set():
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        async with trillet.AsyncClient(**settings(server.url), max_concurrency=calls) as client:
            beat = asyncio.create_task(heartbeat())
            started = time.monotonic()
            results = await asyncio.gather(*(client.agents.get(AGENT["_id"]) for _ in range(calls)))
            wall = time.monotonic() - started
            stop.set()
            await beat
        assert all(r == AGENT for r in results)
        gaps = [b - a for a, b in zip(ticks, ticks[1:])]
        return {"wall": wall, "max_gap": max(gaps), "ticks": len(ticks)}

    seen = run(main())
    # The server had all 50 requests in flight at once: the calls overlapped.
    assert server.max_in_flight == calls
    assert server.accepted == calls
    # Serialized they would take 125 s; a loop blocked by a call would miss its beat for the whole
    # call (2.5 s). Bounds of seconds: a loaded machine may delay a beat, never by a call's length.
    assert seen["wall"] < 10 * delay, seen
    assert seen["max_gap"] < 2.0, seen
    assert seen["ticks"] >= 20, seen


def test_the_pool_bounds_calls_in_flight_and_connections(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(0.05)

    async def main() -> None:
        async with trillet.AsyncClient(**settings(server.url), max_concurrency=4) as client:
            assert client.max_concurrency == 4
            await asyncio.gather(*(client.agents.get("a") for _ in range(40)))
            assert trillet_threads() <= 4

    run(main())
    assert server.requests == 40
    assert server.max_in_flight == 4
    assert server.accepted <= 4
    assert trillet.AsyncClient(api_key="k", ignore_env=True).max_concurrency == trillet.DEFAULT_MAX_CONCURRENCY == 32
    with pytest.raises(trillet.InvalidInputError):
        trillet.AsyncClient(api_key="k", ignore_env=True, max_concurrency=0)


# -- cancellation ----------------------------------------------------------------------------


def test_cancelling_200_calls_ends_them_in_the_core_and_closes_every_connection(
    raw_server: Callable[..., RawServer],
) -> None:
    server = raw_server(None)  # never answers
    calls = 200
    before = trillet_threads()

    causes: List[Optional[BaseException]] = []

    async def main() -> List[BaseException]:
        client = trillet.AsyncClient(**settings(server.url), max_concurrency=calls)
        tasks = [asyncio.create_task(outcome_of(client.agents.get("a"), causes)) for _ in range(calls)]
        while server.requests < calls:  # every request reached the server
            await asyncio.sleep(0.01)
        for task in tasks:
            task.cancel()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        # Every task settled only after its core call had ended: none is still running.
        assert client._sync._in_flight == 0
        await client.close()
        return list(outcomes)

    outcomes = run(main())
    assert all(isinstance(o, asyncio.CancelledError) for o in outcomes)
    assert len(causes) == calls
    assert all(isinstance(c, trillet.RequestCancelledError) for c in causes), causes[:3]
    assert {c.code for c in causes if isinstance(c, trillet.RequestCancelledError)} == {"maybe_sent"}
    assert server.wait_for(lambda: server.closed == calls), (server.accepted, server.closed)
    assert server.accepted == calls and server.requests == calls  # none retried
    assert wait_until(lambda: trillet_threads() == before), threading.enumerate()


def test_a_call_still_waiting_for_a_thread_is_dropped_as_not_sent(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(None)

    causes: List[Optional[BaseException]] = []

    async def main() -> List[BaseException]:
        async with trillet.AsyncClient(**settings(server.url), max_concurrency=2) as client:
            tasks = [asyncio.create_task(outcome_of(client.agents.get("a"), causes)) for _ in range(6)]
            while server.requests < 2:
                await asyncio.sleep(0.01)
            for task in tasks[2:]:  # the four still queued (submitted in order) ...
                task.cancel()
            queued = await asyncio.gather(*tasks[2:], return_exceptions=True)
            for task in tasks[:2]:  # ... then the two running
                task.cancel()
            return list(queued) + list(await asyncio.gather(*tasks[:2], return_exceptions=True))

    outcomes = run(main())
    assert all(isinstance(o, asyncio.CancelledError) for o in outcomes)
    codes = [c.code for c in causes if isinstance(c, trillet.RequestCancelledError)]
    assert codes == ["not_sent"] * 4 + ["maybe_sent"] * 2
    assert server.requests == 2
    assert server.wait_for(lambda: server.closed == 2)


@pytest.mark.skipif(sys.version_info < (3, 11), reason="asyncio.timeout is new in Python 3.11")
def test_asyncio_timeout_ends_the_request(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(None)

    async def main() -> BaseException:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            try:
                async with asyncio.timeout(0.3):  # type: ignore[attr-defined]
                    await client.agents.get("a")
            except TimeoutError as e:
                assert client._sync._in_flight == 0  # the core call ended before TimeoutError
                return e
            raise AssertionError("no timeout")

    error = run(main())
    assert isinstance(error.__cause__, asyncio.CancelledError)
    outcome = error.__cause__.__cause__
    assert isinstance(outcome, trillet.RequestCancelledError) and outcome.code == "maybe_sent"
    assert server.wait_for(lambda: server.closed == 1)
    assert server.requests == 1


def test_wait_for_ends_the_request(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(None)

    async def main() -> None:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            with pytest.raises(asyncio.TimeoutError):
                await asyncio.wait_for(client.agents.get("a"), 0.3)
            assert client._sync._in_flight == 0
            # The client is still usable.
            server.delay = 0.0
            assert await client.agents.get("a") == AGENT

    run(main())
    assert server.wait_for(lambda: server.closed >= 1)
    assert server.requests == 2


def test_a_cancel_that_loses_the_race_still_raises_cancelled_without_cause(
    raw_server: Callable[..., RawServer],
) -> None:
    server = raw_server(0.0)

    async def main() -> None:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            for _ in range(50):
                task = asyncio.create_task(client.agents.get("a"))
                await asyncio.sleep(0)
                await asyncio.sleep(0.001)
                task.cancel()
                try:
                    result = await task
                    assert result == AGENT  # completed before the cancel reached it
                except asyncio.CancelledError as e:
                    cause = e.__cause__
                    assert cause is None or isinstance(cause, trillet.RequestCancelledError), cause
            assert client._sync._in_flight == 0

    run(main())


def test_closing_ends_calls_in_flight_and_never_hangs(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(None)

    async def main() -> List[Any]:
        client = trillet.AsyncClient(**settings(server.url))
        tasks = [asyncio.create_task(client.agents.get("a")) for _ in range(10)]
        while server.requests < 10:
            await asyncio.sleep(0.01)
        await client.close()  # returns once all ten have ended
        assert all(t.done() for t in tasks)
        await client.close()  # twice is fine
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        with pytest.raises(trillet.InvalidInputError) as info:
            await client.agents.get("a")
        assert info.value.code == "client_closed"
        return list(outcomes)

    outcomes = run(main())
    assert all(isinstance(o, trillet.RequestCancelledError) for o in outcomes), outcomes
    assert server.wait_for(lambda: server.closed == 10)
    assert server.requests == 10


def test_leaving_async_with_ends_calls_in_flight(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(None)

    async def main() -> Any:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            task = asyncio.create_task(client.agents.get("a"))
            while server.requests < 1:
                await asyncio.sleep(0.01)
        return await asyncio.gather(task, return_exceptions=True)

    (outcome,) = run(main())
    assert isinstance(outcome, trillet.RequestCancelledError) and outcome.maybe_sent
    assert server.wait_for(lambda: server.closed == 1)


def test_a_client_never_closed_leaks_no_thread(raw_server: Callable[..., RawServer]) -> None:
    server = raw_server(0.05)
    before = trillet_threads()

    async def use_and_forget() -> None:
        client = trillet.AsyncClient(**settings(server.url), max_concurrency=8)
        await asyncio.gather(*(client.agents.get("a") for _ in range(8)))
        assert trillet_threads() >= before + 2

    for _ in range(3):
        run(use_and_forget())
    gc.collect()
    assert wait_until(lambda: trillet_threads() == before), threading.enumerate()
    assert server.requests == 24


# -- other loops -----------------------------------------------------------------------------


def test_works_under_uvloop(raw_server: Callable[..., RawServer]) -> None:
    uvloop = pytest.importorskip("uvloop", reason="uvloop is not installed (run-tests.sh installs it with pip)")
    server = raw_server(0.0)

    async def main() -> None:
        assert "uvloop" in type(asyncio.get_running_loop()).__module__
        async with trillet.AsyncClient(**settings(server.url)) as client:
            assert await asyncio.gather(*(client.agents.get("a") for _ in range(20))) == [AGENT] * 20
            server.delay = None
            task = asyncio.create_task(client.agents.get("a"))
            while server.requests < 21:
                await asyncio.sleep(0.01)
            task.cancel()
            try:
                await task
            except asyncio.CancelledError as e:
                assert isinstance(e.__cause__, trillet.RequestCancelledError)
            else:
                raise AssertionError("not cancelled")
            assert client._sync._in_flight == 0

    loop = uvloop.new_event_loop()
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    assert server.requests == 21
    assert server.wait_for(lambda: server.closed == server.accepted)
