"""What goes on the wire, as the sandbox logged it: user agent, credentials, content types."""

from __future__ import annotations

import re
import sys
import trillet
from conftest import API_KEY, WORKSPACE_ID, Sandbox


def test_user_agent_names_the_library_and_python(client: trillet.Client, sandbox: Sandbox) -> None:
    client.agents.list()
    (sent,) = sandbox.requests("agents.list")
    agent = sent["headers"]["user-agent"]
    assert agent.startswith(f"trillet-rust/{trillet.__version__} (")
    assert agent.endswith(f" python/{sys.version_info.major}.{sys.version_info.minor}")
    assert re.fullmatch(r"trillet-rust/\S+ \([^)]*\) python/3\.\d+", agent), agent


def test_credentials_are_sent_and_the_key_is_redacted_in_the_log(client: trillet.Client, sandbox: Sandbox) -> None:
    client.agents.list()
    (sent,) = sandbox.requests("agents.list")
    headers = sent["headers"]
    assert headers["x-api-key"] == "<redacted>"  # the sandbox redacts it: it was sent
    assert headers["x-workspace-id"] == WORKSPACE_ID
    assert headers["accept"] == "application/json"
    assert API_KEY not in repr(sent)


def test_the_browser_safe_operation_never_receives_the_key(client: trillet.Client, sandbox: Sandbox) -> None:
    try:
        client.calls.start_public_web_call(body={"call_agent_id": "0123456789abcdef01234567"})
    except trillet.APIError:
        pass  # whatever the sandbox answers, what matters is what was sent
    (sent,) = sandbox.requests("calls.start_public_web_call")
    assert "x-api-key" not in sent["headers"]
    assert sent["headers"]["x-workspace-id"] == WORKSPACE_ID


def test_json_bodies_are_sent_as_json_and_bodiless_requests_have_none(client: trillet.Client, sandbox: Sandbox) -> None:
    client.knowledge_base.create(body={"name": "Headers"})
    client.knowledge_base.list()
    created, listed = sandbox.requests()
    assert created["headers"]["content-type"].startswith("application/json")
    assert created["body"] == {"name": "Headers"}
    assert "content-type" not in listed["headers"] and listed["body"] is None
