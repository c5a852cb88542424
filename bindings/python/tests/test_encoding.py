"""The request JSON's fast path (string path parameters only) says what ``json.dumps`` says."""

from __future__ import annotations

import json
from typing import Any, Dict

import pytest

import trillet
from trillet import _client


def slow(path: Dict[str, Any]) -> bytes:
    return json.dumps({"path": path}, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


@pytest.mark.parametrize(
    "path",
    [
        {"agentId": "665a1b2c3d4e5f6a7b8c9d0e"},
        {"a": 'q"uo\\te', "b": "line\nbreak\ttab\x00nul\x1f\x7f", "c": "ünïcødé ✓ \u2028 <&> 😀"},
        {"workspaceId": "w", "agentId": "a/b?c#d %2F"},
    ],
)
def test_path_only_requests_are_the_bytes_json_dumps_gives(path: Dict[str, Any]) -> None:
    assert _client._request_json(path, None, None, None, None) == slow(path)


def test_no_parameters_is_an_empty_object() -> None:
    assert _client._request_json({}, None, None, None, None) == b"{}"


def test_non_string_values_and_other_fields_take_the_general_path() -> None:
    assert _client._path_only_json({"agentId": 7}) is None
    assert _client._request_json({"agentId": 7}, None, None, None, None) == b'{"path":{"agentId":7}}'
    assert _client._request_json({"agentId": "x"}, {"page": 2}, None, None, None) == (
        b'{"path":{"agentId":"x"},"query":{"page":2}}'
    )


def test_a_lone_surrogate_is_still_refused_as_invalid_utf8() -> None:
    assert _client._path_only_json({"agentId": "\ud800"}) is None
    with pytest.raises(trillet.InvalidInputError) as info:
        _client._request_json({"agentId": "\ud800"}, None, None, None, None)
    assert info.value.code == "invalid_utf8"
