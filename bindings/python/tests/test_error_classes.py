"""The OpenAI-SDK-style exception classes: one per HTTP status family, and the network errors'
``API*`` names (the older ``TimeoutError`` / ``ConnectionError`` names are the same classes)."""

from __future__ import annotations

import builtins
from typing import Type

import pytest

import trillet
from conftest import UNKNOWN_ID, Sandbox

STATUS_CLASSES = [
    (400, trillet.BadRequestError),
    (401, trillet.AuthenticationError),
    (403, trillet.PermissionDeniedError),
    (404, trillet.NotFoundError),
    (409, trillet.ConflictError),
    (422, trillet.UnprocessableEntityError),
    (429, trillet.RateLimitError),
    (500, trillet.InternalServerError),
    (502, trillet.InternalServerError),
    (503, trillet.InternalServerError),
    (418, trillet.APIError),
]


@pytest.mark.parametrize("status,cls", STATUS_CLASSES, ids=[str(s) for s, _ in STATUS_CLASSES])
def test_each_status_maps_to_its_class(
    client: trillet.Client, sandbox: Sandbox, status: int, cls: Type[trillet.APIError]
) -> None:
    code = f"code_{status}"
    sandbox.fault("agents.get", {"type": "status", "status": status, "body": {"error": {"code": code, "message": "m"}}})
    with pytest.raises(trillet.APIError) as info:
        client.agents.get(UNKNOWN_ID)
    e = info.value
    assert type(e) is cls
    assert (e.kind, e.status, e.code) == ("api", status, code)
    assert sandbox.count("agents.get") == 1  # max_retries=0: the first answer is the one raised


def test_status_classes_are_distinct_api_errors() -> None:
    classes = {cls for _, cls in STATUS_CLASSES if cls is not trillet.APIError}
    assert len(classes) == 8
    for cls in classes:
        assert issubclass(cls, trillet.APIError) and cls is not trillet.APIError
    # None of them is caught by another's except clause.
    for a in classes:
        for b in classes:
            assert issubclass(a, b) == (a is b)
    # InternalServerError (HTTP 5xx) is not InternalError (a bug caught inside the library).
    assert not issubclass(trillet.InternalServerError, trillet.InternalError)


def test_the_old_network_error_names_are_aliases() -> None:
    assert trillet.TimeoutError is trillet.APITimeoutError
    assert trillet.ConnectionError is trillet.APIConnectionError
    assert issubclass(trillet.APITimeoutError, builtins.TimeoutError)
    assert issubclass(trillet.APIConnectionError, builtins.ConnectionError)
    assert trillet.APITimeoutError.__name__ == "APITimeoutError"


def test_a_refused_connection_raises_api_connection_error(make_client: trillet.Client) -> None:
    client = make_client(base_url="http://127.0.0.1:1", connect_timeout=2.0)  # type: ignore[operator]
    with pytest.raises(trillet.APIConnectionError) as info:
        client.agents.list()
    assert type(info.value) is trillet.APIConnectionError and info.value.kind == "connect"


def test_a_deadline_raises_api_timeout_error(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault("agents.list", {"type": "delay", "ms": 1500})
    with pytest.raises(trillet.APITimeoutError) as info:
        client.agents.list(timeout=0.3)
    assert type(info.value) is trillet.APITimeoutError and info.value.kind == "timeout"
