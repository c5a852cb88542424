"""Every error kind reaches Python as the right exception class, with the shared fields."""

from __future__ import annotations

import builtins
import pickle
import time
from typing import Any

import pytest

import trillet
from conftest import API_KEY, RETRY_NOW_503, UNKNOWN_ID, WORKSPACE_ID, Sandbox
from trillet import _native
from trillet._errors import error_from_json


def test_not_found_is_a_404_api_error_with_every_field(client: trillet.Client) -> None:
    with pytest.raises(trillet.NotFoundError) as info:
        client.agents.get(UNKNOWN_ID)
    e = info.value
    assert isinstance(e, trillet.APIError) and isinstance(e, trillet.TrilletError)
    assert (e.kind, e.code, e.status) == ("api", "not_found", 404)
    assert UNKNOWN_ID in e.message
    assert e.request_id and e.request_id.startswith("req_")
    assert e.retry_after is None
    assert e.body == {"error": {"code": "not_found", "message": e.message}}
    assert e.json["error"]["kind"] == "api" and e.json["error"]["status"] == 404
    assert set(e.json["error"]) == {"kind", "code", "message", "status", "request_id", "retry_after", "body"}
    assert "404" in str(e) and "not_found" in str(e) and e.request_id in str(e)


def test_wrong_key_is_an_authentication_error_that_never_shows_the_key(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    secret = "sk_live_DO_NOT_LEAK_1234"
    client = make_client(api_key=secret)
    with pytest.raises(trillet.AuthenticationError) as info:
        client.agents.list()
    e = info.value
    assert (e.kind, e.code, e.status) == ("api", "unauthorized", 401)
    for text in (str(e), repr(e), repr(e.json), repr(client)):
        assert secret not in text
    (sent,) = sandbox.requests("agents.list")
    assert sent["headers"]["x-api-key"] == "<redacted>"


def test_api_error_fields_from_an_injected_fault(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault(
        "calls.initiate",
        {
            "type": "status",
            "status": 400,
            "body": {"error": {"code": "invalid_number", "message": "The provided phone number is invalid"}},
        },
    )
    with pytest.raises(trillet.APIError) as info:
        # A valid number: the request is sent and the injected answer comes back.
        client.calls.initiate(body={"to": "+14155551234", "call_agent_id": UNKNOWN_ID})
    e = info.value
    assert type(e) is trillet.BadRequestError
    assert (e.code, e.status, e.message) == ("invalid_number", 400, "The provided phone number is invalid")
    assert e.body == {"error": {"code": "invalid_number", "message": "The provided phone number is invalid"}}
    assert sandbox.count("calls.initiate") == 1


def test_rate_limit_error_carries_retry_after(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault(
        "agents.list",
        {
            "type": "status",
            "status": 429,
            "body": {"error": {"code": "rate_limit_exceeded", "message": "slow down"}},
            "headers": {"Retry-After": "7"},
        },
    )
    with pytest.raises(trillet.RateLimitError) as info:
        client.agents.list()  # max_retries=0: the 429 comes back
    e = info.value
    assert (e.code, e.status, e.retry_after) == ("rate_limit_exceeded", 429, 7.0)


def test_server_error_body_that_is_not_json_is_kept_as_text(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", {"type": "status", "status": 500, "body": "upstream exploded"})
    with pytest.raises(trillet.APIError) as info:
        client.agents.list()
    assert info.value.status == 500
    assert info.value.body == "upstream exploded"


def test_timeout_error_is_also_the_builtin_timeout_error(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", {"type": "delay", "ms": 10000})
    started = time.monotonic()
    with pytest.raises(builtins.TimeoutError) as info:
        client.agents.list(timeout=0.3)
    # The answer was 10 s away: a bound a loaded machine meets that still shows the timeout ended it.
    assert time.monotonic() - started < 8
    e = info.value
    assert isinstance(e, trillet.TimeoutError) and isinstance(e, trillet.TrilletError)
    assert (e.kind, e.code, e.status) == ("timeout", "timeout", None)


def test_connect_error_when_nothing_listens(make_client: Any) -> None:
    client = make_client(base_url="http://127.0.0.1:1", connect_timeout=2.0)
    with pytest.raises(trillet.ConnectionError) as info:
        client.agents.list()
    e = info.value
    assert isinstance(e, builtins.ConnectionError)
    assert (e.kind, e.code) == ("connect", "connection_failed")


def test_reset_connection_is_a_transport_error(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", {"type": "reset"})
    with pytest.raises(trillet.TransportError) as info:
        client.agents.list()
    e = info.value
    assert isinstance(e, OSError)
    assert (e.kind, e.code) == ("io", "connection_lost")


def test_malformed_json_is_a_decode_error(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", {"type": "malformed_json"})
    with pytest.raises(trillet.DecodeError) as info:
        client.agents.list()
    assert (info.value.kind, info.value.code) == ("decode", "invalid_response")
    assert isinstance(info.value.body, str)


def test_a_deeply_nested_2xx_body_is_a_decode_error_not_a_recursion_error(
    client: trillet.Client, sandbox: Sandbox
) -> None:
    sandbox.fault("agents.get", {"type": "deep_json", "depth": 200_000})
    with pytest.raises(trillet.DecodeError) as info:
        client.agents.get("665a1b2c3d4e5f6a7b8c9d0e")
    assert (info.value.kind, info.value.code) == ("decode", "invalid_response")
    assert "nested too deeply" in info.value.message
    # serde_json's bound: 127 levels still come through and parse.
    sandbox.fault("agents.list", {"type": "deep_json", "depth": 127})
    answer = client.call("agents.list")
    for _ in range(126):
        assert isinstance(answer, list) and len(answer) == 1
        answer = answer[0]
    assert answer == []


def test_a_deeply_nested_error_body_is_kept_as_text(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.get", {"type": "deep_json", "depth": 200_000, "status": 400})
    with pytest.raises(trillet.APIError) as info:
        client.agents.get("665a1b2c3d4e5f6a7b8c9d0e")
    assert (info.value.kind, info.value.status) == ("api", 400)
    assert isinstance(info.value.body, str) and info.value.body.startswith("[[[[")
    assert len(info.value.body) <= 2051


def test_an_oversized_body_comes_through_whole(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", {"type": "oversized", "bytes": 3_000_000})
    answer = client.agents.list()
    assert len(repr(answer)) >= 2_900_000


def test_unknown_operation_and_missing_path_param_are_invalid_input(client: trillet.Client, sandbox: Sandbox) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call("agents.fly")
    assert isinstance(info.value, ValueError)
    assert (info.value.kind, info.value.code) == ("invalid_input", "unknown_operation")
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call("agents.get")
    assert info.value.code == "missing_path_param"
    with pytest.raises(TypeError):
        client.agents.get()  # type: ignore[call-arg]
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call("agents.get", path={"agentId": "a", "bogus": "b"})
    assert info.value.code == "unknown_path_param"
    with pytest.raises(TypeError):
        client.agents.get("a", agentId="b")  # type: ignore[call-arg]
    assert sandbox.requests() == []


def test_missing_workspace_id_is_refused_before_sending(sandbox: Sandbox, make_client: Any) -> None:
    sandbox.reset()
    client = trillet.Client(api_key=API_KEY, base_url=sandbox.url)
    try:
        with pytest.raises(trillet.InvalidInputError) as info:
            client.agents.list()
        assert info.value.code == "missing_workspace_id"
        assert sandbox.count("agents.list") == 0
    finally:
        client.close()


def test_invalid_settings_raise_when_the_client_is_made() -> None:
    cases = [
        ({"base_url": "ftp://example.com"}, "invalid_base_url"),
        ({"base_url": "http://api.example.com"}, "insecure_base_url"),
        ({"api_key": "sk\nInjected: header"}, "invalid_api_key"),
        ({"workspace_id": "ws\r\n"}, "invalid_workspace_id"),
        ({"rate_limit_per_minute": 0}, "invalid_rate_limit"),
        ({"timeout": 0}, "invalid_timeout"),
        ({"timeout": -1.0}, "invalid_timeout"),
        ({"timeout": float("nan")}, "invalid_timeout"),
        ({"connect_timeout": float("inf")}, "invalid_timeout"),
        ({"max_retries": -1}, "invalid_config"),
        ({"max_retries": 2**40}, "invalid_config"),
        ({"max_retries": "3"}, "invalid_config"),
        ({"allow_insecure_http": "yes"}, "invalid_config"),
        ({"ignore_env": 1}, "invalid_config"),
    ]
    for kwargs, code in cases:
        with pytest.raises(trillet.InvalidInputError) as info:
            trillet.Client(**{"api_key": API_KEY, **kwargs})
        assert info.value.code == code, (kwargs, info.value)
    # allow_insecure_http lets a plain-http non-loopback URL through.
    trillet.Client(api_key=API_KEY, base_url="http://api.example.com", allow_insecure_http=True).close()


def test_error_from_json_picks_the_class_by_kind_and_status() -> None:
    def make(kind: str, status: Any = None) -> trillet.TrilletError:
        text = (
            '{"error":{"kind":"%s","code":"c","message":"m","status":%s,"request_id":null,"retry_after":null,"body":null}}'
            % (kind, "null" if status is None else status)
        )
        return error_from_json(kind, text.encode())

    assert type(make("api", 401)) is trillet.AuthenticationError
    assert type(make("api", 404)) is trillet.NotFoundError
    assert type(make("api", 429)) is trillet.RateLimitError
    assert type(make("api", 503)) is trillet.InternalServerError
    assert type(make("api", 418)) is trillet.APIError
    assert type(make("timeout")) is trillet.TimeoutError
    assert type(make("connect")) is trillet.ConnectionError
    assert type(make("io")) is trillet.TransportError
    assert type(make("decode")) is trillet.DecodeError
    assert type(make("invalid_input")) is trillet.InvalidInputError
    assert type(make("panic")) is trillet.InternalError
    assert type(make("cancelled")) is trillet.RequestCancelledError
    for code, maybe_sent in (("not_sent", False), ("maybe_sent", True)):
        text = (
            '{"error":{"kind":"cancelled","code":"%s","message":"m","status":null,"request_id":null,"retry_after":null,"body":null}}'
            % code
        )
        err = error_from_json(_native.STATUS_KINDS[8], text.encode())
        assert type(err) is trillet.RequestCancelledError and not isinstance(err, trillet.InternalError)
        assert (err.kind, err.code, err.maybe_sent) == ("cancelled", code, maybe_sent)
    # Unreadable error text (a library bug) still becomes an exception, never a crash.
    broken = error_from_json("io", b"not json")
    assert type(broken) is trillet.InternalError and broken.code == "invalid_error_json"
    assert type(error_from_json("io", None)) is trillet.InternalError


def test_exceptions_pickle_round_trip(client: trillet.Client) -> None:
    with pytest.raises(trillet.NotFoundError) as info:
        client.agents.get(UNKNOWN_ID)
    copy = pickle.loads(pickle.dumps(info.value))
    assert type(copy) is trillet.NotFoundError
    assert (copy.status, copy.code, copy.request_id, copy.json) == (404, "not_found", info.value.request_id, info.value.json)


def test_the_workspace_id_is_in_the_sandbox_log_but_the_key_is_redacted(
    client: trillet.Client, sandbox: Sandbox
) -> None:
    client.agents.list()
    (sent,) = sandbox.requests("agents.list")
    assert sent["headers"]["x-workspace-id"] == WORKSPACE_ID
    assert sent["headers"]["x-api-key"] == "<redacted>"
