"""Retries and deadlines, driven by the sandbox's faults; the sandbox's request count is the proof."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

import trillet
from conftest import AGENT_BODY, RETRY_NOW_503, UNKNOWN_ID, Sandbox


def test_an_idempotent_get_is_retried_until_it_succeeds(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=2)
    sandbox.fault("agents.list", RETRY_NOW_503, count=2)
    assert client.agents.list() == []
    assert sandbox.count("agents.list") == 3


def test_retries_stop_at_max_retries(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=1)
    sandbox.fault("agents.list", RETRY_NOW_503, count=5)
    with pytest.raises(trillet.APIError) as info:
        client.agents.list()
    assert (info.value.status, info.value.code) == (503, "service_unavailable")
    assert sandbox.count("agents.list") == 2


def test_no_retry_with_max_retries_zero(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", RETRY_NOW_503, count=3)
    with pytest.raises(trillet.APIError):
        client.agents.list()
    assert sandbox.count("agents.list") == 1


def test_a_post_is_never_sent_twice_after_a_server_error(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=3)
    sandbox.fault("calls.initiate", RETRY_NOW_503)
    with pytest.raises(trillet.APIError) as info:
        client.calls.initiate(body={"to": "+14155551234", "call_agent_id": UNKNOWN_ID})
    assert info.value.status == 503
    assert sandbox.count("calls.initiate") == 1


def test_a_429_is_retried_after_retry_after_even_for_a_post(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=2)
    sandbox.fault(
        "agents.create",
        {
            "type": "status",
            "status": 429,
            "body": {"error": {"code": "rate_limit_exceeded", "message": "slow down"}},
            "headers": {"Retry-After": "0"},
        },
    )
    created = client.agents.create(body=AGENT_BODY)
    assert created["name"] == AGENT_BODY["name"]
    assert sandbox.count("agents.create") == 2


def test_a_reset_connection_is_retried_for_a_get_but_never_for_a_post(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=2)
    sandbox.fault("agents.create", {"type": "reset"})
    with pytest.raises(trillet.TransportError):
        client.agents.create(body={"name": "x", "ttsModel": {"provider": "rime", "voiceId": "mistv2_Brook"}})
    assert sandbox.count("agents.create") == 1, "a POST that may have reached the server is not resent"
    sandbox.fault("agents.list", {"type": "reset"})
    assert isinstance(client.agents.list(), list)
    assert sandbox.count("agents.list") == 2, "a GET is idempotent: the reset is retried once"


def test_a_timed_out_request_is_not_retried(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(max_retries=2)
    # One slow answer only: a retry made by this binding (with a fresh deadline) would get a quick
    # answer and succeed. In the core an attempt's timeout is the call's whole deadline, so no
    # retry could fit after it; that the core would not retry one with time left is proven on a
    # fake clock (tests/clock.rs, a_timed_out_attempt_is_not_retried_even_with_time_left...).
    sandbox.fault("agents.list", {"type": "delay", "ms": 5000}, count=1)
    with pytest.raises(trillet.TimeoutError):
        client.agents.list(timeout=0.3)
    assert sandbox.count("agents.list") == 1


def test_the_client_timeout_applies_and_a_per_call_timeout_overrides_it(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = make_client(timeout=0.3)
    # An answer 30 s away: only the client's 0.3 s deadline can end the call (the bound below is
    # what a loaded machine meets, far from 30 s).
    sandbox.fault("agents.list", {"type": "delay", "ms": 30000})
    started = time.monotonic()
    with pytest.raises(trillet.TimeoutError):
        client.agents.list()
    took = time.monotonic() - started
    assert 0.3 <= took < 15, took
    # The per-call deadline is longer than the delay: the same slow answer now arrives.
    sandbox.fault("agents.list", {"type": "delay", "ms": 800})
    assert client.agents.list(timeout=10) == []
    assert sandbox.count("agents.list") == 2


def test_a_client_side_rate_limit_holds_back_requests_beyond_its_burst(make_client: Any) -> None:
    # The core's limiter allows `rate_limit_per_minute` requests in any minute: with 1 a minute the first
    # request goes out at once and the second waits about a minute. Nothing listens on port 1, so an
    # unthrottled call fails in milliseconds; the second call, in a background thread, is still
    # waiting after half a second: the setting reached the core. (When it finally runs, a minute
    # later, it fails harmlessly against port 1.)
    client = make_client(base_url="http://127.0.0.1:1", rate_limit_per_minute=1)
    with pytest.raises(trillet.ConnectionError):
        client.agents.list()
    waiting = threading.Thread(target=_swallow, args=(client.agents.list,), daemon=True)
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive()


def _swallow(call: Any) -> None:
    try:
        call()
    except trillet.TrilletError:
        pass
