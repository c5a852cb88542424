"""A happy path per resource (all 15) through the generated namespaces, against the sandbox, with
the sandbox's request log as the proof of what was sent."""

from __future__ import annotations

import base64
import http.client
import io
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import pytest

import trillet
from conftest import AGENT_BODY, API_KEY, UNKNOWN_ID, WORKSPACE_ID, Sandbox

CSV = b"phone_number\n+14155551234\n"


def new_agent(client: trillet.Client) -> str:
    agent = client.agents.create(body=AGENT_BODY)
    assert isinstance(agent["_id"], str)
    return str(agent["_id"])


def active_room(client: trillet.Client) -> str:
    agent = new_agent(client)
    placed = client.calls.initiate(body={"to": "+14155551234", "call_agent_id": agent})
    assert "call_id" in placed
    calls = client.active_calls.list()
    rooms = [c["roomName"] for c in (calls if isinstance(calls, list) else calls.get("data", calls.get("calls", [])))]
    assert rooms, calls
    return str(rooms[-1])


def test_agents_create_get_update_list_delete(client: trillet.Client, sandbox: Sandbox) -> None:
    created = client.agents.create(body=AGENT_BODY)
    agent_id = created["_id"]
    assert created["name"] == "Py agent"
    assert created["ttsModel"]["voiceId"] == "mistv2_Wildflower"
    # Path parameters: positional, snake_case keyword, camelCase keyword.
    assert client.agents.get(agent_id)["_id"] == agent_id
    assert client.agents.get(agent_id=agent_id)["_id"] == agent_id
    assert client.agents.get(agent_id=agent_id)["_id"] == agent_id
    updated = client.agents.update(agent_id, body={"name": "Py agent 2", "llmModel": "gpt-4o"})
    assert updated["name"] == "Py agent 2"
    assert agent_id in [a["_id"] for a in client.agents.list()]
    client.agents.delete(agent_id)
    with pytest.raises(trillet.NotFoundError):
        client.agents.get(agent_id)

    sent = sandbox.requests()
    assert [(r["operation"], r["method"]) for r in sent] == [
        ("agents.create", "POST"),
        ("agents.get", "GET"),
        ("agents.get", "GET"),
        ("agents.get", "GET"),
        ("agents.update", "PUT"),
        ("agents.list", "GET"),
        ("agents.delete", "DELETE"),
        ("agents.get", "GET"),
    ]
    assert sent[0]["path"] == "/v1/api/agents"
    assert sent[0]["body"] == AGENT_BODY
    assert sent[1]["path"] == f"/v1/api/agents/{agent_id}"
    assert sent[4]["body"] == {"name": "Py agent 2", "llmModel": "gpt-4o"}


def test_nested_unicode_body_arrives_as_sent(client: trillet.Client, sandbox: Sandbox) -> None:
    body = {"name": "Ordre é ✓ 𝄞", "zeta": 1, "alpha": {"y": 2.5, "b": [3, "é", None, True]}, "llmModel": "gpt-4o-mini"}
    created = client.omni_flow_agents.create(body=body)
    assert created["name"] == "Ordre é ✓ 𝄞"
    (sent,) = sandbox.requests("omni_flow_agents.create")
    assert sent["body"] == body
    assert sent["headers"]["content-type"].startswith("application/json")


def test_omni_flow_agents(client: trillet.Client) -> None:
    created = client.omni_flow_agents.create(body={"name": "Py omni", "llmModel": "gpt-4o-mini"})
    assert created["name"] == "Py omni"
    assert "Py omni" in json.dumps(client.omni_flow_agents.list())
    assert client.omni_flow_agents.get(created["_id"])["name"] == "Py omni"


def test_call_flows(client: trillet.Client) -> None:
    flow = client.call_flows.create(body={"name": "Py flow", "direction": "inbound", "promptType": "simple"})
    assert client.call_flows.get(flow["_id"])["name"] == "Py flow"
    assert client.call_flows.get(id=flow["_id"])["name"] == "Py flow"


def test_message_flows(client: trillet.Client) -> None:
    agent = client.omni_flow_agents.create(body={"name": "Py omni"})["_id"]
    body = {
        "name": "Py messages",
        "direction": "outbound",
        "agent": agent,
        "initiationMessage": "Hi",
        "prompt": "Be brief",
        "messageChannel": "SMS",
    }
    created = client.message_flows.create(body=body)
    assert created["name"] == "Py messages"
    assert "Py messages" in json.dumps(client.message_flows.list())


def test_folders(client: trillet.Client, sandbox: Sandbox) -> None:
    body = {"name": "Py folder", "color": "#3B82F6", "icon": "folder", "flowType": "call"}
    folder = client.folders.create(body=body)["_id"]
    assert client.folders.get(folder_id=folder)["name"] == "Py folder"
    client.folders.delete(folder_id=folder)
    assert [r["method"] for r in sandbox.requests("folders.delete")] == ["DELETE"]
    with pytest.raises(trillet.NotFoundError):
        client.folders.get(folder)


def test_calls_initiate_sends_one_post(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = new_agent(client)
    placed = client.calls.initiate(body={"to": "+14155551234", "call_agent_id": agent})
    assert placed["call_id"]
    (sent,) = sandbox.requests("calls.initiate")
    assert (sent["method"], sent["path"]) == ("POST", "/v1/api/call")
    assert sent["body"] == {"to": "+14155551234", "call_agent_id": agent}


def test_call_history_query_and_csv_export(client: trillet.Client, sandbox: Sandbox) -> None:
    page = client.call_history.list(query={"page": 2, "limit": 10, "status": ["completed", "failed"], "agentId": None})
    assert isinstance(page, (dict, list))
    (sent,) = sandbox.requests("call_history.list")
    # Lists become repeated keys and None is skipped (the order of distinct keys is the core's).
    assert sorted(parse_qsl(sent["query"])) == [("limit", "10"), ("page", "2"), ("status", "completed"), ("status", "failed")]
    csv = client.call_history.export_csv(body={})
    assert isinstance(csv, str)
    assert csv.splitlines()[0].startswith("Call ID,")


def test_recordings_start_on_a_live_call(client: trillet.Client) -> None:
    room = active_room(client)
    started = client.recordings.start(body={"pathwayId": UNKNOWN_ID, "roomName": room})
    assert started["result"]["egressId"]


def test_active_calls_get_and_end(client: trillet.Client, sandbox: Sandbox) -> None:
    room = active_room(client)
    assert room in json.dumps(client.active_calls.get(room))
    client.active_calls.end_call(room_name=room)
    (sent,) = sandbox.requests("active_calls.end_call")
    assert sent["path"] == f"/v2/api/active-calls/{room}/end-call"
    assert sent["body"] is None
    # A body-less POST is framed by content-length: 0, never chunked.
    assert sent["headers"].get("content-length") == "0"
    assert "transfer-encoding" not in sent["headers"]


@pytest.mark.parametrize("how", ["path", "bytes", "tuple", "file object", "wire dict"])
def test_batch_calls_multipart_upload(client: trillet.Client, sandbox: Sandbox, tmp_path: Path, how: str) -> None:
    agent = new_agent(client)
    csv_path = tmp_path / "calls.csv"
    csv_path.write_bytes(CSV)
    upload: Any = {
        "path": str(csv_path),
        "bytes": CSV,
        "tuple": ("calls.csv", CSV, "text/csv"),
        "file object": io.BytesIO(CSV),
        "wire dict": {"filename": "calls.csv", "data_base64": base64.b64encode(CSV).decode()},
    }[how]
    batch = client.batch_calls.start(file=upload, body={"agentId": agent})
    assert batch["totalCalls"] == 1
    progress = client.batch_calls.progress(batch["batchId"])
    assert isinstance(progress, dict)
    (sent,) = sandbox.requests("batch_calls.start")
    assert sent["headers"]["content-type"].startswith("multipart/form-data; boundary=")


def test_batch_calls_upload_from_a_path_is_streamed_from_disk(
    client: trillet.Client, sandbox: Sandbox, tmp_path: Path
) -> None:
    agent = new_agent(client)
    csv_path = tmp_path / "calls.csv"
    csv_path.write_bytes(b"phone_number\n+14155551234\n+14155551235\n")
    batch = client.call("batch_calls.start", body={"agentId": agent}, files=[csv_path])
    assert batch["totalCalls"] == 2


def test_conversations(client: trillet.Client) -> None:
    assert isinstance(client.conversations.list(), (list, dict))


def test_phone_numbers(client: trillet.Client, sandbox: Sandbox) -> None:
    available = client.phone_numbers.search_available(query={"country": "US", "type": "local"})
    assert isinstance(available, (list, dict))
    assert isinstance(client.phone_numbers.list(), (list, dict))
    (sent,) = sandbox.requests("phone_numbers.search_available")
    assert sorted(parse_qsl(sent["query"])) == [("country", "US"), ("type", "local")]


def test_phone_numbers_bind_takes_two_positional_params_in_template_order(
    client: trillet.Client, sandbox: Sandbox
) -> None:
    with pytest.raises(trillet.TrilletError):
        client.phone_numbers.bind("agent-1", "number-2")
    with pytest.raises(trillet.TrilletError):
        client.phone_numbers.bind(agent_id="agent-1", phone_number_id="number-2")
    paths = [r["path"] for r in sandbox.requests("phone_numbers.bind")]
    assert paths == ["/v1/api/agents/agent-1/bind/number-2"] * 2


def test_knowledge_base(client: trillet.Client) -> None:
    kb = client.knowledge_base.create(body={"name": "Py docs"})
    assert client.knowledge_base.get(kb["_id"])["name"] == "Py docs"


def test_voices(client: trillet.Client) -> None:
    voice = client.voices.create(body={"name": "Py voice", "embedding": {"data": "AAAA", "format": "float32"}})
    assert client.voices.get(voice["_id"])["name"] == "Py voice"


def test_workspaces(client: trillet.Client, sandbox: Sandbox) -> None:
    assert WORKSPACE_ID in json.dumps(client.workspaces.list())
    assert WORKSPACE_ID in json.dumps(client.workspaces.get(WORKSPACE_ID))
    (listed,) = sandbox.requests("workspaces.list")
    assert "x-workspace-id" not in listed["headers"]  # a key-only operation


# The sandbox user's address (trillet_sandbox::USER_EMAIL): invitations sent to it are pending for it.
SANDBOX_USER_EMAIL = "owner@sandbox.trillet.test"


def test_workspaces_pending_invitations_with_and_without_a_workspace(
    client: trillet.Client, sandbox: Sandbox, make_client: Any
) -> None:
    assert client.workspaces.pending_invitations() == {"success": True, "invitations": []}
    client.workspaces.invite(WORKSPACE_ID, body={"email": SANDBOX_USER_EMAIL, "role": "viewer"})
    answer = client.workspaces.pending_invitations()
    (invitation,) = answer["invitations"]
    assert (invitation["email"], invitation["role"], invitation["status"]) == (SANDBOX_USER_EMAIL, "viewer", "pending")
    assert invitation["workspace"]["_id"] == WORKSPACE_ID
    # Without a workspace id: no workspace header, and still served.
    key_only = make_client(workspace_id=None, ignore_env=True)
    assert key_only.workspaces.pending_invitations() == answer
    with_ws, without_ws = sandbox.requests("workspaces.pending_invitations")[-2:]
    assert with_ws["headers"]["x-workspace-id"] == WORKSPACE_ID
    assert "x-workspace-id" not in without_ws["headers"]
    catalog = {op["id"]: op for op in trillet.operations()["operations"]}
    pending = catalog["workspaces.pending_invitations"]
    assert (pending["api_key"], pending["workspace_header"], pending["workspace_required"]) == (True, True, False)
    assert catalog["agents.get"]["workspace_required"] is True


def test_web_connect_as_the_web_sdk_sends_it(client: trillet.Client, sandbox: Sandbox, make_client: Any) -> None:
    agent = new_agent(client)
    body = {"agentId": agent, "mode": "voice", "dynamic_variables": {"customer": "Ada"},
            "callback_url": "https://example.com/cb"}
    # The SDK's exact request: the key as X-API_KEY (underscore), no workspace header.
    host = sandbox.url[len("http://"):]
    conn = http.client.HTTPConnection(host, timeout=10)
    try:
        conn.request("POST", "/v1/api/calls/web/connect", body=json.dumps(body),
                     headers={"Content-Type": "application/json", "X-API_KEY": API_KEY})
        reply = conn.getresponse()
        raw = json.loads(reply.read())
    finally:
        conn.close()
    assert reply.status == 200, raw
    assert raw["token"] and raw["roomName"].startswith(f"web-{agent}-")
    # The same body through a client without a workspace id.
    session = make_client(workspace_id=None, ignore_env=True).calls.web_connect(body=body)
    assert session["token"] and session["roomName"].startswith("web-")
    sdk, ours = sandbox.requests("calls.web_connect")
    assert sdk["headers"]["x-api_key"] == "<redacted>" and "x-workspace-id" not in sdk["headers"]
    assert "x-workspace-id" not in ours["headers"] and ours["body"] == body == sdk["body"]


def test_call_by_id_translates_snake_case_path_params(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = new_agent(client)
    assert client.call("agents.get", path={"agent_id": agent})["_id"] == agent
    assert client.call("agents.get", path={"agentId": agent})["_id"] == agent
    assert [r["path"] for r in sandbox.requests("agents.get")] == [f"/v1/api/agents/{agent}"] * 2


def test_raw_request_escape_hatch(client: trillet.Client, sandbox: Sandbox) -> None:
    agent = new_agent(client)
    got = client.request("GET", "/v1/api/agents/{agentId}", path_params={"agent_id": agent})
    assert got["_id"] == agent
    listed = client.request("get", "/v1/api/agents", query={"page": 1})
    assert agent in json.dumps(listed)
    sent = sandbox.requests()[-1]
    assert (sent["method"], sent["path"], sent["query"]) == ("GET", "/v1/api/agents", "page=1")


def test_raw_request_reads_the_answer_by_content_type(client: trillet.Client, sandbox: Sandbox) -> None:
    # The CSV export through the escape hatch is text, as through the typed operation.
    csv = client.request("POST", "/v2/api/call-history/export-csv", body={})
    assert isinstance(csv, str) and csv.splitlines()[0].startswith("Call ID,")
    assert csv == client.call_history.export_csv(body={})
    # A recording (audio) is the binary envelope recordings.get answers with.
    room = active_room(client)
    client.recordings.start(body={"pathwayId": UNKNOWN_ID, "roomName": room})
    call_id = client.active_calls.get(room)["id"]
    audio = client.request("GET", "/v2/api/recordings/{id}", path_params={"id": call_id})
    assert (audio["content_type"], audio["filename"]) == ("audio/mp3", "recording.mp3")
    data = base64.b64decode(audio["data_base64"])
    assert data.startswith(b"ID3") and len(data) == audio["size"]
    # Bad JSON under application/json is still a decode error.
    sandbox.fault("call_history.export_csv", {"type": "malformed_json"})
    with pytest.raises(trillet.DecodeError) as info:
        client.request("POST", "/v2/api/call-history/export-csv", body={})
    assert (info.value.kind, info.value.code) == ("decode", "invalid_response")


def test_every_resource_namespace_exists(client: trillet.Client) -> None:
    resources = {op["resource"] for op in trillet.operations()["operations"]}
    assert len(resources) == 15
    for resource in resources:
        namespace = getattr(client, resource)
        assert isinstance(namespace, trillet._resource.Resource)
        assert namespace.resource == resource


def test_env_fallback_for_key_workspace_and_base_url(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import API_KEY

    sandbox.reset()
    monkeypatch.setenv("TRILLET_API_KEY", API_KEY)
    monkeypatch.setenv("TRILLET_WORKSPACE_ID", WORKSPACE_ID)
    monkeypatch.setenv("TRILLET_BASE_URL", sandbox.url)
    with trillet.Client(max_retries=0) as client:
        assert client.agents.list() == []
    (sent,) = sandbox.requests("agents.list")
    assert sent["headers"]["x-workspace-id"] == WORKSPACE_ID


def test_ignore_env_leaves_the_environment_out(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import API_KEY

    sandbox.reset()
    monkeypatch.setenv("TRILLET_WORKSPACE_ID", WORKSPACE_ID)
    monkeypatch.setenv("TRILLET_BASE_URL", "http://api.example.com")  # would be refused if read
    with trillet.Client(api_key=API_KEY, base_url=sandbox.url, max_retries=0) as client:
        assert client.agents.list() == []  # the workspace id came from the environment
    with trillet.Client(api_key=API_KEY, base_url=sandbox.url, max_retries=0, ignore_env=True) as client:
        with pytest.raises(trillet.InvalidInputError) as info:
            client.agents.list()
        assert info.value.code == "missing_workspace_id"
    assert len(sandbox.requests("agents.list")) == 1, "the refused call was never sent"
    # TRILLET_BASE_URL is not read, so not refused either.
    trillet.Client(api_key=API_KEY, ignore_env=True).close()
    with pytest.raises(trillet.InvalidInputError) as refused:
        trillet.Client(api_key=API_KEY)
    assert refused.value.code == "insecure_base_url"
