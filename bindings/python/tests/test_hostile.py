"""Hostile inputs: every one is an exception (mostly InvalidInputError), never a crash, and refused
inputs never reach the network. Some go straight to the C ABI to check the library's own guards."""

from __future__ import annotations

import math
from typing import Any, Dict, List

import pytest

import trillet
from trillet import _native
from conftest import AGENT_BODY, API_KEY, Sandbox


def assert_invalid(error: trillet.TrilletError, code: str) -> None:
    """The error is refused input with exactly this code (not just any InvalidInputError)."""
    assert isinstance(error, trillet.InvalidInputError), error
    assert (error.kind, error.code) == ("invalid_input", code), error


@pytest.mark.parametrize(
    "operation,code",
    [
        (None, "invalid_argument"),
        (42, "invalid_argument"),
        (b"agents.list", "invalid_argument"),
        (["agents.list"], "invalid_argument"),
        ("agents.list\x00evil", "invalid_argument"),
        ("\ud800", "invalid_utf8"),
        ("", "unknown_operation"),
        ("a" * 5_000_000, "unknown_operation"),
        ("é.ü", "unknown_operation"),
    ],
)
def test_bad_operation_ids(client: trillet.Client, sandbox: Sandbox, operation: Any, code: str) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call(operation)
    assert_invalid(info.value, code)
    assert sandbox.requests() == []


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"body": {"x": float("nan")}}, "invalid_json"),
        ({"body": {"x": math.inf}}, "invalid_json"),
        ({"body": {"x": {1, 2}}}, "invalid_json"),
        ({"body": {"x": object()}}, "invalid_json"),
        ({"body": {"x": b"bytes"}}, "invalid_json"),
        ({"body": {"name": "\udcff"}}, "invalid_utf8"),
        ({"body": {("tuple", "key"): 1}}, "invalid_json"),
        ({"query": "page=2"}, "invalid_query"),
        ({"query": {"q": object()}}, "invalid_json"),
        ({"path": ["agentId"]}, "invalid_path_param"),
        ({"path": {1: "x"}}, "invalid_path_param"),
        ({"files": "calls.csv"}, "invalid_file"),
        ({"files": [object()]}, "invalid_file"),
        ({"files": [("calls.csv", 12)]}, "invalid_file"),
        ({"files": [(1, b"x")]}, "invalid_file"),
        ({"timeout": 0}, "invalid_timeout"),
        ({"timeout": -3}, "invalid_timeout"),
        ({"timeout": True}, "invalid_timeout"),
        ({"timeout": "5"}, "invalid_timeout"),
        ({"timeout": float("nan")}, "invalid_timeout"),
    ],
)
def test_bad_request_parts(client: trillet.Client, sandbox: Sandbox, kwargs: Dict[str, Any], code: str) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call("agents.create", **kwargs)
    assert_invalid(info.value, code)
    assert sandbox.requests() == []


def test_self_referencing_body_is_refused(client: trillet.Client) -> None:
    body: Dict[str, Any] = {}
    body["self"] = body
    with pytest.raises(trillet.InvalidInputError) as info:
        client.agents.create(body=body)
    assert_invalid(info.value, "invalid_json")


def test_a_body_on_an_operation_without_one_is_refused(client: trillet.Client, sandbox: Sandbox) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call("agents.list", body={"x": 1})
    assert_invalid(info.value, "unexpected_body")
    with pytest.raises(trillet.InvalidInputError) as info:
        client.call("agents.create", body=AGENT_BODY, files=[b"data"])
    assert_invalid(info.value, "unexpected_files")
    assert sandbox.requests() == []


def test_a_missing_file_is_an_invalid_input_error(client: trillet.Client, tmp_path: Any) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        client.batch_calls.start(file=tmp_path / "missing.csv", body={"agentId": "a"})
    assert_invalid(info.value, "file_unreadable")


def test_path_params_that_try_to_escape_stay_one_segment(client: trillet.Client, sandbox: Sandbox) -> None:
    hostile = ["../workspaces", "a/b?c=d#e", "..", "%2e%2e", "é ✓", "x" * 2000]
    for value in hostile:
        with pytest.raises(trillet.NotFoundError) as info:
            client.agents.get(value)
        assert (info.value.kind, info.value.code, info.value.status) == ("api", "not_found", 404), info.value
    paths = [r["path"] for r in sandbox.requests("agents.get")]
    assert len(paths) == len(hostile)
    for path in paths:
        assert path.startswith("/v1/api/agents/")
        assert "/" not in path[len("/v1/api/agents/") :]
    assert sandbox.count("workspaces.list") == 0


def test_numbers_are_accepted_as_path_params(client: trillet.Client, sandbox: Sandbox) -> None:
    with pytest.raises(trillet.NotFoundError) as info:
        client.agents.get(12345)
    assert (info.value.kind, info.value.code, info.value.status) == ("api", "not_found", 404), info.value
    assert sandbox.requests("agents.get")[0]["path"] == "/v1/api/agents/12345"


def test_huge_inputs_do_not_crash(client: trillet.Client, sandbox: Sandbox) -> None:
    big = "x" * 2_000_000
    # A 2 MB body is sent and echoed back.
    created = client.omni_flow_agents.create(body={"name": "big", "prompt": big})
    assert len(created["prompt"]) == len(big)
    # A 2 MB query string makes a URL the library refuses to build: invalid input, nothing sent.
    before = len(sandbox.requests("agents.list"))
    with pytest.raises(trillet.InvalidInputError) as info:
        client.agents.list(query={"q": big})
    assert (info.value.kind, info.value.code) == ("invalid_input", "invalid_request")
    assert len(sandbox.requests("agents.list")) == before


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"api_key": 123}, "invalid_argument"),
        ({"api_key": b"sk_test"}, "invalid_argument"),
        ({"api_key": "sk\x00key"}, "invalid_argument"),
        ({"api_key": "\ud800"}, "invalid_utf8"),
        ({"workspace_id": ["w"]}, "invalid_argument"),
        ({"base_url": b"\xff\xfe"}, "invalid_argument"),
        ({"base_url": ""}, "invalid_base_url"),
        ({"base_url": "not a url"}, "invalid_base_url"),
        ({"base_url": "http://user:pw@127.0.0.1:9"}, "invalid_base_url"),
        ({"timeout": "10"}, "invalid_timeout"),
        ({"connect_timeout": -1}, "invalid_timeout"),
        ({"rate_limit_per_minute": 1.5}, "invalid_config"),
        ({"max_retries": None, "allow_insecure_http": 1}, "invalid_config"),
    ],
)
def test_bad_client_settings(kwargs: Dict[str, Any], code: str) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        trillet.Client(**{"api_key": API_KEY, **kwargs})
    assert_invalid(info.value, code)


def test_bad_raw_requests(client: trillet.Client, sandbox: Sandbox) -> None:
    for method, path, code in [
        ("FETCH", "/v1/api/agents", "invalid_method"),
        ("GET", "v1/api/agents", "invalid_path"),
        ("GET", "//evil.example.com/x", "invalid_path"),
        ("GET", "/v1/api/agents?page=2", "invalid_path"),
        ("GET", "/v1/api/agents\r\nX-Injected: 1", "invalid_path"),
        ("GET", "http://evil.example.com/", "invalid_path"),
        (None, "/v1/api/agents", "invalid_argument"),
        ("GET", None, "invalid_argument"),
        ("GET", b"/v1/api/agents", "invalid_argument"),
    ]:
        with pytest.raises(trillet.InvalidInputError) as info:
            client.request(method, path)  # type: ignore[arg-type]
        assert_invalid(info.value, code)
    assert sandbox.requests() == []


def test_a_closed_client_refuses_calls_and_closing_is_idempotent(make_client: Any) -> None:
    client = make_client()
    client.close()
    client.close()
    assert client.closed
    with pytest.raises(trillet.InvalidInputError) as info:
        client.agents.list()
    assert_invalid(info.value, "client_closed")
    with client:
        pass
    client.__del__()


# --- straight to the C ABI: the library's own guards -----------------------------------------


def _error(status: int, text: Any) -> Dict[str, Any]:
    import json

    assert status != 0
    parsed: Dict[str, Any] = json.loads(text)
    return parsed["error"]


def test_the_abi_refuses_null_and_non_utf8_arguments(client: trillet.Client) -> None:
    handle = client._acquire()
    try:
        cases: List[Any] = [
            (None, b"agents.list", b"{}", "null_argument"),
            (handle, None, b"{}", "null_argument"),
            (handle, b"agents.\xff\xfe", b"{}", "invalid_utf8"),
            (handle, b"agents.list", b'{"query":{"q":"\xc3\x28"}}', "invalid_utf8"),
            (handle, b"agents.list", b"{not json", "invalid_request_json"),
            (handle, b"agents.list", b'{"unknown_key":1}', "invalid_request_json"),
            (handle, b"agents.list", b'{"timeout_ms":0}', "invalid_timeout"),
            (handle, b"agents.get", b'{"path":{"agentId":[1]}}', "invalid_path_param"),
            (handle, b"batch_calls.start", b'{"files":[{"data_base64":"!!!"}]}', "invalid_file"),
        ]
        for h, op, req, code in cases:
            status, text = _native.call(h, op, req)
            assert status == _native.TRILLET_ERR_INVALID_INPUT, (op, req, text)
            assert _error(status, text)["code"] == code, (op, req, text)
        status, text = _native.request(handle, None, b"/x", None)
        assert _error(status, text)["code"] == "null_argument"
        status, text = _native.request(handle, b"GET", b"/\xff", None)
        assert _error(status, text)["code"] == "invalid_utf8"
    finally:
        client._release()


def test_the_abi_refuses_bad_configs(monkeypatch: pytest.MonkeyPatch) -> None:
    for config in [b"\xff\xfe", b"[1,2]", b'{"api_key":5}', b'{"apikey":"x"}', b'{"timeout_ms":-1}', b"{"]:
        handle, error = _native.client_new(config)
        assert handle is None
        assert error is not None and b'"kind":"invalid_input"' in error
    # NULL means "defaults", the API key included: from TRILLET_API_KEY, else refused.
    handle, error = _native.client_new(None)
    assert handle is None
    assert error is not None and b'"code":"missing_api_key"' in error
    monkeypatch.setenv("TRILLET_API_KEY", API_KEY)
    handle, error = _native.client_new(None)
    assert handle is not None and error is None
    _native.client_free(handle)
    _native.client_free(None)  # type: ignore[arg-type]


def test_the_abi_webhook_functions_refuse_nulls() -> None:
    assert _native.webhook_sign(None, b"body") is None
    assert _native.webhook_sign(b"", b"body") is None
    assert _native.webhook_sign(b"\xff", b"body") is None
    assert _native.webhook_verify(None, b"body", b"00" * 32) == _native.TRILLET_ERR_INVALID_INPUT
    assert _native.webhook_verify(b"secret", b"body", None) == _native.TRILLET_ERR_INVALID_INPUT
    assert _native.webhook_verify(b"secret", b"body", b"\xff" * 64) == _native.TRILLET_ERR_INVALID_INPUT
    assert _native.take_string(None) is None
