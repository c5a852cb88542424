"""``with_raw_response``: results with the exchange's metadata (status, request id, attempts,
elapsed), from ``trillet_call_with_meta``; the sandbox's request count is the proof of attempts."""

from __future__ import annotations

from typing import Any

import pytest

import trillet
from conftest import RETRY_NOW_503, UNKNOWN_ID, Sandbox


def test_a_result_carries_status_request_id_and_attempts(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=2)
    sandbox.fault("agents.list", RETRY_NOW_503, count=2)
    raw = client.agents.with_raw_response.list()
    assert isinstance(raw, trillet.RawResponse)
    assert raw.data == [] and raw.parse() == []
    assert (raw.status_code, raw.attempts) == (200, 3)
    assert raw.request_id is not None and raw.request_id.startswith("req_")
    assert raw.elapsed_ms >= 0 and raw.meta.elapsed == raw.elapsed_ms / 1000.0
    assert sandbox.count("agents.list") == 3
    # The client-level view and call() give the same.
    raw = client.with_raw_response.call("agents.list")
    assert (raw.data, raw.attempts, raw.status_code) == ([], 1, 200)
    raw = client.with_raw_response.agents.list()
    assert raw.attempts == 1
    # The plain methods are unchanged.
    assert client.agents.list() == []


def test_a_slow_answer_shows_in_elapsed(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=0)
    sandbox.fault("agents.list", {"type": "delay", "ms": 150})
    assert client.agents.with_raw_response.list().elapsed_ms >= 150


def test_a_failure_raises_with_the_metadata(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=1)
    sandbox.fault("agents.get", RETRY_NOW_503, count=2)
    with pytest.raises(trillet.APIError) as info:
        client.agents.with_raw_response.get(UNKNOWN_ID)
    meta = info.value.meta
    assert isinstance(meta, trillet.ResponseMeta)
    assert (meta.status, meta.attempts) == (503, 2)
    assert meta.request_id == info.value.request_id
    # Refused before sending: no attempt.
    with pytest.raises(trillet.InvalidInputError) as refused:
        client.with_raw_response.call("agents.get")
    assert refused.value.meta == trillet.ResponseMeta(status=None, request_id=None, attempts=0, elapsed_ms=refused.value.meta.elapsed_ms)
    # A plain call has no metadata.
    with pytest.raises(trillet.NotFoundError) as plain:
        client.agents.get(UNKNOWN_ID)
    assert plain.value.meta is None


def test_the_raw_view_of_a_raw_view_is_itself(client: trillet.Client) -> None:
    raw_agents = client.agents.with_raw_response
    assert raw_agents.with_raw_response is raw_agents
    assert client.with_raw_response is client.with_raw_response
    assert "RawResponseClient" in repr(client.with_raw_response)
