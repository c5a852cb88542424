"""The package's types as a user's type checker sees them: ``mypy --strict`` on small user scripts.

Correct use (typed results, typed bodies, keyword body fields, ``with_raw_response``, the error
classes) passes; a misspelled key on a result, a wrong body field type, a wrong keyword field type
and a wrong key on a raw view's data each fail with mypy's own message. The same holds for
``trillet.AsyncClient`` in async code: each mistake of ``BAD`` is made again there (``await``ed,
in a coroutine) and caught with the same message; forgetting ``await`` is caught too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import List, Tuple

import pytest

PACKAGE_ROOT = Path(__file__).resolve().parent.parent  # holds trillet/ (with py.typed)

GOOD = """
from typing import List, Optional, Union

import trillet
from trillet.types import Agent, AgentList, CallHistory, CallStarted, CreateAgent, InitiateCall, Pagination

client = trillet.Client(api_key="k", workspace_id="w")

body: CreateAgent = {"name": "Support", "llmModel": "gpt-4o-mini", "ttsModel": {"voiceId": "v1"}}
agent: Agent = client.agents.create(body=body)
name: Optional[str] = agent.get("name")
agent_id: Optional[str] = agent["_id"]
version: Optional[int] = agent.get("__v")
fetched: Agent = client.agents.get(agent_id or "")
listed: AgentList = client.agents.list()

# Lists are lists, whatever envelope the API used; the envelope's paging facts ride along.
for a in client.agents.list():
    a_name: Optional[str] = a["name"]
agents: List[Agent] = client.agents.list()
first: Agent = client.agents.list()[0]
page = client.call_history.list(query={"page": 2, "limit": 50})
history: List[CallHistory] = page
pagination: Optional[Pagination] = page.pagination
has_next: Optional[bool] = page.has_next
raw_page: List[Agent] = client.agents.with_raw_response.list().data
records: List[CallHistory] = list(client.call_history.list_all(limit=50, query={"status": "completed"}))
for call in client.batch_calls.list_all_calls("b1"):
    status_of: object = call.get("status")

started: CallStarted = client.calls.initiate(to="+15551234567", call_agent_id="flow_1")
call_body: InitiateCall = {"to": "+15551234567", "call_agent_id": "flow_1"}
started = client.calls.initiate(body=call_body, metadata={"ticket": 42})
csv: str = client.call_history.export_csv(limit=10)

raw = client.agents.with_raw_response.get("665a")
request_id: Optional[str] = raw.request_id
attempts: int = raw.attempts
raw_agent: Agent = raw.data
raw2 = client.with_raw_response.calls.initiate(to="+15551234567", call_agent_id="flow_1")
raw_started: CallStarted = raw2.parse()

# Unknown keys the API sends are still there at runtime: read them as a plain dict.
extra: object = dict(agent).get("somethingNew")

try:
    client.agents.get("missing")
except trillet.NotFoundError as e:
    status: Optional[int] = e.status
except (trillet.BadRequestError, trillet.ConflictError, trillet.InternalServerError) as e:
    code: str = e.code
except (trillet.APITimeoutError, trillet.APIConnectionError):
    pass
"""

GOOD_ASYNC = """
import asyncio
from typing import List, Optional

import trillet
from trillet.types import Agent, AgentList, CallHistory, CallStarted, CreateAgent


async def main() -> None:
    async with trillet.AsyncClient(api_key="k", workspace_id="w", max_concurrency=16) as client:
        body: CreateAgent = {"name": "Support", "llmModel": "gpt-4o-mini", "ttsModel": {"voiceId": "v1"}}
        agent: Agent = await client.agents.create(body=body)
        name: Optional[str] = agent.get("name")
        fetched: Agent = await client.agents.get(agent["_id"] or "")
        listed: AgentList = await client.agents.list()
        for a in await client.agents.list():
            a_name: Optional[str] = a["name"]
        page = await client.call_history.list(query={"page": 2})
        history: List[CallHistory] = page
        has_next: Optional[bool] = page.has_next
        raw_page: List[Agent] = (await client.agents.with_raw_response.list()).data
        started: CallStarted = await client.calls.initiate(to="+15551234567", call_agent_id="flow_1")
        csv: str = await client.call_history.export_csv(limit=10)
        raw = await client.agents.with_raw_response.get("665a")
        request_id: Optional[str] = raw.request_id
        raw_agent: Agent = raw.data
        raw2 = await client.with_raw_response.calls.initiate(to="+15551234567", call_agent_id="flow_1")
        raw_started: CallStarted = raw2.parse()
        anything: object = await client.call("agents.get", path={"agent_id": "665a"})
        records: List[CallHistory] = [r async for r in client.call_history.list_all(limit=50)]
        try:
            async with asyncio.timeout(5):
                await client.agents.get("missing")
        except trillet.NotFoundError as e:
            status: Optional[int] = e.status
        except asyncio.CancelledError as e:
            cause = e.__cause__
            if isinstance(cause, trillet.RequestCancelledError):
                maybe: bool = cause.maybe_sent
            raise


asyncio.run(main())
"""

BAD: List[Tuple[str, str]] = [
    (
        'agent = client.agents.get("665a")\nprint(agent["nmae"])',
        'TypedDict "Agent" has no key "nmae"',
    ),
    (
        'client.agents.create(body={"name": 42, "llmModel": "m", "ttsModel": {}})',
        'Argument "body" to "create" of "AgentsResource" has incompatible type "dict[str, object]"; '
        'expected "CreateAgent | None"',
    ),
    (
        'b: trillet.types.CreateAgent = {"name": 42, "llmModel": "m", "ttsModel": {}}',
        'Incompatible types (expression has type "int", TypedDict item "name" has type "str")',
    ),
    (
        'client.calls.initiate(to=15551234567, call_agent_id="flow_1")',
        'Argument "to" to "initiate" of "CallsResource" has incompatible type "int"; expected "str | None"',
    ),
    (
        'client.agents.with_raw_response.get("665a").data["nmae"]',
        'TypedDict "Agent" has no key "nmae"',
    ),
    (
        'c: trillet.types.CreateAgent = {"name": "S", "llmModel": "m"}',
        'Missing key "ttsModel" for TypedDict "CreateAgent"',
    ),
    (
        'd: trillet.types.InitiateCall = {"to": "+15551234567", "call_agent_id": "f", "callbackUrl": "x"}',
        'Extra key "callbackUrl" for TypedDict "InitiateCall"',
    ),
    (
        'for a in client.agents.list():\n    print(a["nmae"])',
        'TypedDict "Agent" has no key "nmae"',
    ),
    (
        'n: int = client.call_history.export_csv()',
        'Incompatible types in assignment (expression has type "str", variable has type "int")',
    ),
]


#: The mistakes of ``BAD`` in async code: the same snippet with ``await`` before each client call,
#: the same message with the async namespace's class name.
BAD_ASYNC: List[Tuple[str, str]] = [
    (
        snippet.replace("client.", "await client.").replace(
            'await client.agents.with_raw_response.get("665a").data', '(await client.agents.with_raw_response.get("665a")).data'
        ),
        message.replace('of "AgentsResource"', 'of "AsyncAgentsResource"').replace(
            'of "CallsResource"', 'of "AsyncCallsResource"'
        ),
    )
    for snippet, message in BAD
] + [
    (
        'forgot: trillet.types.Agent = client.agents.get("665a")',
        'Incompatible types in assignment (expression has type "Coroutine[Any, Any, Agent]", variable has type "Agent")',
    ),
]


def run_mypy(script: Path, cache: Path) -> "subprocess.CompletedProcess[str]":
    """mypy on ``script``: against this checkout's package, or with ``TRILLET_TEST_INSTALLED`` the
    installed one (which then must ship ``py.typed`` and ``types.py``)."""
    env = dict(os.environ)
    env.pop("MYPYPATH", None)
    if not os.environ.get("TRILLET_TEST_INSTALLED"):
        env["MYPYPATH"] = str(PACKAGE_ROOT)
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context",
         "--cache-dir", str(cache), str(script)],
        capture_output=True,
        text=True,
        env=env,
        cwd=str(script.parent),
        timeout=300,
    )


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mypy-cache")


def test_correct_use_passes_mypy_strict(tmp_path: Path, cache: Path) -> None:
    script = tmp_path / "good.py"
    script.write_text(textwrap.dedent(GOOD), encoding="utf-8")
    proc = run_mypy(script, cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_correct_async_use_passes_mypy_strict(tmp_path: Path, cache: Path) -> None:
    script = tmp_path / "good_async.py"
    script.write_text(textwrap.dedent(GOOD_ASYNC), encoding="utf-8")
    proc = run_mypy(script, cache)
    assert proc.returncode == 0, proc.stdout + proc.stderr


SYNC_HEADER = "import trillet\nimport trillet.types\n\nclient = trillet.Client(api_key='k', workspace_id='w')\n"
ASYNC_HEADER = (
    "import trillet\nimport trillet.types\n\nclient = trillet.AsyncClient(api_key='k', workspace_id='w')\n\n"
    "async def main() -> None:\n"
)


@pytest.mark.parametrize("header,cases", [(SYNC_HEADER, BAD), (ASYNC_HEADER, BAD_ASYNC)], ids=["Client", "AsyncClient"])
def test_misuse_fails_mypy_strict_with_its_message(
    tmp_path: Path, cache: Path, header: str, cases: List[Tuple[str, str]]
) -> None:
    indent = "    " if header == ASYNC_HEADER else ""
    script = tmp_path / "bad.py"
    lines = [header]
    expected = []  # (line number, message)
    for snippet, message in cases:
        lines.append(indent + "pass\n" if indent else "\n")
        start = "".join(lines).count("\n") + 1
        lines.append("".join(indent + line + "\n" for line in snippet.split("\n")))
        expected.append((start + snippet.count("\n"), message))
    script.write_text("".join(lines), encoding="utf-8")
    proc = run_mypy(script, cache)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors = [line for line in proc.stdout.splitlines() if ": error: " in line]
    for line_no, message in expected:
        hits = [e for e in errors if e.startswith(f"bad.py:{line_no}: error: ") and message in e]
        assert hits, f"line {line_no}: expected {message!r} in:\n" + "\n".join(errors)
    # Nothing else was flagged: the header and the wrapping are themselves correct.
    flagged = {int(e.split(":")[1]) for e in errors}
    assert flagged == {n for n, _ in expected}, "\n".join(errors)


# The README blocks (this package's and the top-level one's, every Python block) are run against a sandbox
# and checked with mypy --strict by scripts/check-readme-blocks, with the names each block leaves to its
# reader defined; a block that only type-checked here could still fail when run.
