"""The generated methods' typed surface at runtime: keyword body fields (snake_case in Python,
the wire names on the wire), merged with ``body=``; results stay plain dicts with unknown keys."""

from __future__ import annotations

import inspect
import pytest

import trillet
from conftest import AGENT_BODY, UNKNOWN_ID, Sandbox


def new_agent(client: trillet.Client) -> str:
    agent = client.agents.create(body=AGENT_BODY)  # type: ignore[arg-type]
    return str(agent["_id"])


def test_keyword_fields_are_sent_under_their_wire_names(client: trillet.Client, sandbox: Sandbox) -> None:
    folder = client.folders.create(name="Py folder", color="#3B82F6", icon="folder", flow_type="call")
    assert folder["name"] == "Py folder" and folder["flowType"] == "call"
    (sent,) = sandbox.requests("folders.create")
    assert sent["body"] == {"name": "Py folder", "color": "#3B82F6", "icon": "folder", "flowType": "call"}


def test_every_body_field_is_a_keyword_and_extra_body_sends_the_rest(client: trillet.Client, sandbox: Sandbox) -> None:
    # agents.create has ten fields: each is a keyword argument (not only small bodies).
    agent = client.agents.create(
        name="Kw agent",
        llm_model="gpt-4o-mini",
        tts_model={"provider": "rime", "voiceId": "mistv2_Wildflower"},
        extra_body={"brandNew": 1},
    )
    assert agent["name"] == "Kw agent"
    (sent,) = sandbox.requests("agents.create")
    assert sent["body"] == {
        "name": "Kw agent",
        "llmModel": "gpt-4o-mini",
        "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"},
        "brandNew": 1,
    }
    with pytest.raises(trillet.InvalidInputError) as info:
        client.agents.create(name="A", extra_body={"name": "B"})
    assert info.value.code == "conflicting_body_field"
    assert sandbox.count("agents.create") == 1


def test_path_parameters_are_required_snake_case_strings() -> None:
    from trillet._operations import AgentsResource, PhoneNumbersResource

    get = inspect.signature(AgentsResource.get).parameters
    assert get["agent_id"].default is inspect.Parameter.empty and "agentId" not in get
    bind = list(inspect.signature(PhoneNumbersResource.bind).parameters)
    assert bind[:3] == ["self", "agent_id", "phone_number_id"]


def test_snake_wire_names_stay_and_unset_fields_are_not_sent(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = new_agent(client)
    placed = client.calls.initiate(to="+14155551234", call_agent_id=agent, metadata={"ticket": 42})
    assert placed["call_id"]
    (sent,) = sandbox.requests("calls.initiate")
    assert sent["body"] == {"to": "+14155551234", "call_agent_id": agent, "metadata": {"ticket": 42}}


def test_keyword_fields_merge_into_body(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = new_agent(client)
    client.calls.initiate(body={"to": "+14155551234", "call_agent_id": agent}, callback_url="https://example.com/cb")
    (sent,) = sandbox.requests("calls.initiate")
    assert sent["body"] == {"to": "+14155551234", "call_agent_id": agent, "callback_url": "https://example.com/cb"}
    # The same value both ways is fine.
    client.calls.initiate(body={"to": "+14155551234", "call_agent_id": agent}, to="+14155551234")
    assert sandbox.count("calls.initiate") == 2


def test_a_field_given_twice_differently_is_refused_before_sending(client: trillet.Client, sandbox: Sandbox) -> None:
    with pytest.raises(trillet.InvalidInputError) as info:
        client.calls.initiate(body={"to": "+14155551234", "call_agent_id": UNKNOWN_ID}, to="+14155559999")
    assert info.value.code == "conflicting_body_field" and "'to'" in info.value.message
    with pytest.raises(trillet.InvalidInputError) as info:
        client.calls.initiate(body=["not", "a", "dict"], to="+14155559999")  # type: ignore[arg-type]
    assert info.value.code == "invalid_body"
    assert sandbox.count("calls.initiate") == 0


def test_results_are_plain_dicts_that_keep_unknown_keys(client: trillet.Client, sandbox: Sandbox) -> None:
    sandbox.fault(
        "agents.get",
        {"type": "status", "status": 200, "body": {"_id": UNKNOWN_ID, "name": "A", "brandNewField": {"x": 1}}},
    )
    agent = client.agents.get(UNKNOWN_ID)
    assert type(agent) is dict
    assert agent == {"_id": UNKNOWN_ID, "name": "A", "brandNewField": {"x": 1}}


def test_raw_views_return_raw_responses_with_the_typed_data(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = new_agent(client)
    raw = client.agents.with_raw_response.get(agent)
    assert isinstance(raw, trillet.RawResponse) and raw.data["_id"] == agent
    assert raw.request_id and raw.request_id.startswith("req_")
    raw2 = client.with_raw_response.folders.create(name="F", color="#000000", icon="i", flow_type="call")
    assert isinstance(raw2, trillet.RawResponse) and raw2.data["name"] == "F"
    assert sandbox.requests("folders.create")[0]["body"]["flowType"] == "call"


def test_signatures_carry_types_and_a_keyword_per_body_field() -> None:
    from trillet import _operations

    initiate = inspect.signature(_operations.CallsResource.initiate)
    for name in ("to", "call_agent_id", "callback_url", "body"):
        assert initiate.parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
    assert initiate.return_annotation == "_t.CallStarted"
    assert initiate.parameters["body"].annotation == "Optional[_t.InitiateCall]"
    # agents.create has 10 body fields: one keyword each, besides body= and extra_body=.
    create = inspect.signature(_operations.AgentsResource.create)
    assert create.parameters["body"].annotation == "Optional[_t.CreateAgent]"
    assert create.parameters["name"].annotation == "Optional[str]"
    assert create.parameters["tts_model"].annotation == "Optional[_t.TtsModel]"
    assert create.parameters["extra_body"].annotation == "Optional[Mapping[str, Any]]"
    assert inspect.signature(_operations.CallHistoryResource.export_csv).return_annotation == "str"


def test_the_types_module_is_importable_and_total_false() -> None:
    from trillet import types

    assert types.Agent.__required_keys__ == frozenset()
    assert "__v" in types.Agent.__optional_keys__ and "_id" in types.Agent.__optional_keys__
    assert types.CreateAgent.__required_keys__ == frozenset({"name", "llmModel", "ttsModel"})
    assert "settings" in types.CreateAgent.__optional_keys__
    assert types.InitiateCall.__required_keys__ == frozenset({"to", "call_agent_id"})
    assert set(types.__all__) >= {"Agent", "AgentList", "ObjectRef", "CallStarted", "CreateAgent"}
    assert all(hasattr(types, name) for name in types.__all__)
