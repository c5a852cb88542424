"""What the core refuses before anything is sent, seen from Python: a client without an API key
(refused when it is made), a body field the spec requires (``missing_field``) and a phone number
that is not E.164 (``invalid_number``). The sandbox's request log is the proof that nothing was
sent; the escape hatch (``client.request``) is not checked, so the same body reaches the sandbox.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Dict

import pytest

import trillet
from conftest import AGENT_BODY, API_KEY, UNKNOWN_ID, WORKSPACE_ID, Sandbox

NOT_E164 = ["12345", "4155550123", "+1 415 555 0123", "+1234567", "+1415555O123"]


def assert_refused(e: trillet.InvalidInputError, code: str, *words: str) -> None:
    assert (e.kind, e.code, e.status) == ("invalid_input", code, None), e
    for word in words:
        assert word in e.message, (word, e.message)


# --- the API key --------------------------------------------------------------------------------


def test_a_client_without_an_api_key_is_refused_when_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRILLET_API_KEY", raising=False)
    for kwargs in ({}, {"ignore_env": True}, {"api_key": ""}, {"workspace_id": WORKSPACE_ID, "ignore_env": True}):
        with pytest.raises(trillet.InvalidInputError) as info:
            trillet.Client(**kwargs)
        # Named as Python spells the setting, and the environment variable.
        assert_refused(info.value, "missing_api_key", "api_key", "TRILLET_API_KEY")
        with pytest.raises(trillet.InvalidInputError) as async_info:
            trillet.AsyncClient(**kwargs)
        assert_refused(async_info.value, "missing_api_key", "api_key", "TRILLET_API_KEY")


def test_the_environments_key_is_used_unless_ignore_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRILLET_API_KEY", API_KEY)
    trillet.Client().close()
    with pytest.raises(trillet.InvalidInputError) as info:
        trillet.Client(ignore_env=True)
    assert_refused(info.value, "missing_api_key", "api_key")


# --- required body fields -----------------------------------------------------------------------


def test_a_missing_required_field_is_refused_and_nothing_is_sent(client: trillet.Client, sandbox: Sandbox) -> None:
    no_voice: Dict[str, Any] = {k: v for k, v in AGENT_BODY.items() if k != "ttsModel"}
    for body in (no_voice, {**no_voice, "ttsModel": None}, {**no_voice, "ttsModel": "   "}):
        with pytest.raises(trillet.InvalidInputError) as info:
            client.agents.create(body=body)
        assert_refused(info.value, "missing_field", 'agents.create needs the body field "ttsModel"', "nothing was sent")
        with pytest.raises(trillet.InvalidInputError) as info:
            client.call("agents.create", body=body)
        assert_refused(info.value, "missing_field", '"ttsModel"')
    with pytest.raises(trillet.InvalidInputError) as info:
        client.calls.initiate(body={"to": "+14155550123"})
    assert_refused(info.value, "missing_field", 'calls.initiate needs the body field "call_agent_id"')
    with pytest.raises(trillet.InvalidInputError) as info:
        client.folders.create(body={"name": "No colour"})
    assert_refused(info.value, "missing_field", "folders.create needs the body field")
    assert sandbox.requests() == [], "a refused call was sent"


def test_the_escape_hatch_is_not_checked(client: trillet.Client, sandbox: Sandbox) -> None:
    # The sandbox's own validation answers instead: the request was sent.
    try:
        client.request("POST", "/v1/api/agents", body={"name": "No voice"})
    except trillet.APIError:
        pass
    assert sandbox.count("agents.create") == 1
    with pytest.raises(trillet.BadRequestError) as info:
        client.request("POST", "/v1/api/call", body={"to": "12345", "call_agent_id": UNKNOWN_ID})
    assert (info.value.code, info.value.status) == ("invalid_number", 400)
    assert sandbox.count("calls.initiate") == 1


def test_the_async_client_refuses_the_same_before_sending(sandbox: Sandbox) -> None:
    sandbox.reset()

    async def main() -> None:
        async with trillet.AsyncClient(api_key=API_KEY, workspace_id=WORKSPACE_ID, base_url=sandbox.url,
                                       max_retries=0, ignore_env=True) as client:
            with pytest.raises(trillet.InvalidInputError) as info:
                await client.agents.create(body={"name": "No voice"})
            assert_refused(info.value, "missing_field", '"ttsModel"')
            with pytest.raises(trillet.InvalidInputError) as info:
                await client.calls.initiate(body={"to": "12345", "call_agent_id": UNKNOWN_ID})
            assert_refused(info.value, "invalid_number", "E.164", "12345")

    asyncio.run(main())
    assert sandbox.requests() == []


# --- E.164 --------------------------------------------------------------------------------------


def test_a_number_that_is_not_e164_is_invalid_number_and_nothing_is_sent(
    client: trillet.Client, sandbox: Sandbox
) -> None:
    for number in NOT_E164:
        with pytest.raises(trillet.InvalidInputError) as info:
            client.calls.initiate(body={"to": number, "call_agent_id": UNKNOWN_ID})
        assert_refused(info.value, "invalid_number", "to must be an E.164 phone number", number)
        with pytest.raises(trillet.InvalidInputError) as info:
            client.phone_numbers.purchase(body={"country": "US", "type": "local", "phoneNumber": number})
        assert_refused(info.value, "invalid_number", "phoneNumber")
    assert sandbox.requests() == [], "a refused call was sent"


# --- the constructor's TypeError ----------------------------------------------------------------


@pytest.mark.skipif(sys.version_info < (3, 11), reason="the wording of TypeError for a keyword is checked on 3.11+")
def test_a_wrong_keyword_names_the_client_class() -> None:
    with pytest.raises(TypeError) as info:
        trillet.Client(api_key=API_KEY, ignore_env=True, api_kee="x")  # type: ignore[call-arg]
    assert str(info.value) == "Client.__init__() got an unexpected keyword argument 'api_kee'"
    with pytest.raises(TypeError) as info:
        trillet.AsyncClient(api_key=API_KEY, ignore_env=True, api_kee="x")  # type: ignore[call-arg]
    assert str(info.value) == "AsyncClient.__init__() got an unexpected keyword argument 'api_kee'"
