"""Lists are lists: a typed ``list`` method returns the answer's items (a ``trillet.ListPage``, a
``list``) whatever shape the API used, with the envelope's paging facts on the page; ``list_all``
follows the stopping rules of the core's ``ListAll``. Checked against a raw server that answers
each shape, in the sync client, the async client and the ``with_raw_response`` views."""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import trillet
from conftest import API_KEY, WORKSPACE_ID
from rawserver import RawServer

A, B = {"_id": "a1", "name": "A"}, {"_id": "b2", "name": "B"}

#: (answer on the wire, the items, the pagination, has_next)
SHAPES: Dict[str, Any] = {
    "bare-array": ([A, B], [A, B], None, None),
    "agents-envelope": ({"agents": [A, B]}, [A, B], None, None),
    "data-envelope-paged": (
        {"data": [A], "pagination": {"page": 1, "hasNext": True, "total": 2}},
        [A],
        {"page": 1, "hasNext": True, "total": 2},
        True,
    ),
    "top-level-hasNext": ({"items": [B], "hasNext": False}, [B], None, False),
    "one-object": (A, [A], None, None),
    "null": (None, [], None, None),
}


def settings(url: str) -> Dict[str, Any]:
    return {"api_key": API_KEY, "workspace_id": WORKSPACE_ID, "base_url": url, "max_retries": 0, "timeout": 60.0,
            "ignore_env": True}


@pytest.fixture
def server_of() -> Iterator[Callable[[Callable[[bytes], Any]], RawServer]]:
    made: List[RawServer] = []

    def make(respond: Callable[[bytes], Any]) -> RawServer:
        server = RawServer(0.0, respond=respond)
        made.append(server)
        return server

    yield make
    for server in made:
        server.close()


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_list_method_returns_the_items_whatever_the_envelope(server_of: Any, shape: str) -> None:
    wire, items, pagination, has_next = SHAPES[shape]
    server = server_of(lambda head: wire)
    with trillet.Client(**settings(server.url)) as client:
        page = client.agents.list()
        assert isinstance(page, list) and isinstance(page, trillet.ListPage)
        assert page == items and [a["_id"] for a in page] == [i["_id"] for i in items]
        assert (page.pagination, page.has_next) == (pagination, has_next)
        raw = client.agents.with_raw_response.list()
        assert raw.data == items and isinstance(raw.data, trillet.ListPage)
        assert (raw.data.pagination, raw.data.has_next) == (pagination, has_next)
        assert raw.status_code == 200
        assert client.with_raw_response.agents.list().data == items

    async def main() -> None:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            page = await client.agents.list()
            assert page == items and isinstance(page, trillet.ListPage)
            assert (page.pagination, page.has_next) == (pagination, has_next)
            raw = await client.agents.with_raw_response.list()
            assert raw.data == items and raw.data.has_next == has_next

    asyncio.run(main())


def test_call_keeps_the_answer_as_sent(server_of: Any) -> None:
    # The escape hatch is not a typed method: it returns the envelope untouched.
    wire = {"data": [A], "pagination": {"hasNext": False}}
    server = server_of(lambda head: wire)
    with trillet.Client(**settings(server.url)) as client:
        assert client.call("agents.list") == wire


def page_of(head: bytes) -> int:
    target = head.split(b" ", 2)[1].decode()
    return int(dict(p.split("=", 1) for p in target.split("?", 1)[1].split("&"))["page"])


def test_list_all_follows_a_short_page_that_says_has_next(server_of: Any) -> None:
    # The server caps the page below `limit` but says more follow: list_all keeps going.
    def respond(head: bytes) -> Any:
        page = page_of(head)
        return {"calls": [{"_id": str(page)}], "pagination": {"hasNext": page < 3}}

    server = server_of(respond)
    with trillet.Client(**settings(server.url)) as client:
        assert [r["_id"] for r in client.call_history.list_all(limit=10)] == ["1", "2", "3"]
    assert server.requests == 3


def test_list_all_stops_on_an_empty_page_even_if_it_says_has_next(server_of: Any) -> None:
    server = server_of(lambda head: {"data": [], "hasNext": True})

    async def main() -> List[Any]:
        async with trillet.AsyncClient(**settings(server.url)) as client:
            return [r async for r in client.call_history.list_all(limit=5)]

    assert asyncio.run(main()) == []
    assert server.requests == 1


def test_list_all_raises_an_error_once_and_fetches_nothing_after(server_of: Any) -> None:
    def respond(head: bytes) -> Any:
        return [{"_id": "x"}] if page_of(head) == 1 else "not a list"

    server = server_of(respond)
    with trillet.Client(**settings(server.url)) as client:
        it = client.call_history.list_all(limit=1)
        assert next(it)["_id"] == "x"
        with pytest.raises(trillet.TrilletError):
            next(it)
        with pytest.raises(StopIteration):
            next(it)
    assert server.requests == 2
