"""Fixtures: one local sandbox for the session (``trillet sandbox --port 0``), and fresh clients.

Set ``TRILLET_TEST_INSTALLED=1`` to test the installed package (with its bundled library) instead
of the one in this checkout. The sandbox binary is ``$TRILLET_SANDBOX_BIN``, else ``$CARGO_TARGET_DIR/debug/trillet``, else
``<repo>/target/debug/trillet`` (``run-tests.sh`` builds it). ``TRILLET_SANDBOX_URL`` points the
tests at a sandbox that is already running instead.

The sandbox's control endpoints (faults, request log, reset) are reached with urllib, directly,
so the tests check what the library sent without trusting the library to report it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent.parent
sys.path.insert(0, str(HERE))
if not os.environ.get("TRILLET_TEST_INSTALLED"):
    # The package from this checkout; TRILLET_TEST_INSTALLED=1 tests the installed one instead.
    sys.path.insert(0, str(HERE.parent))

import trillet  # noqa: E402
import plain_words  # noqa: E402

plain_words.record()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fails the run when any error message of the suite names a Rust type or ureq term (see
    ``plain_words.py``), or when the recorder saw too few messages to mean anything."""
    if session.config.option.collectonly or exitstatus != 0 or session.testscollected < 100:
        return
    bad = plain_words.offending()
    if bad or len(plain_words.SEEN) < 100:
        print(
            f"\nplain words: {plain_words.COUNT[0]} errors, {len(plain_words.SEEN)} distinct messages; these name Rust terms:",
            *bad,
            sep="\n  ",
        )
        session.exitstatus = 1

API_KEY = "sk_test_trillet_sandbox"
WORKSPACE_ID = "64a1b2c3d4e5f6a7b8c9d0e1"
UNKNOWN_ID = "0123456789abcdef01234567"
AGENT_BODY: Dict[str, Any] = {
    "name": "Py agent",
    "ttsModel": {"provider": "rime", "voiceId": "mistv2_Wildflower"},
    "llmModel": "gpt-4o-mini",
}
RETRY_NOW_503: Dict[str, Any] = {
    "type": "status",
    "status": 503,
    "body": {"error": {"code": "service_unavailable", "message": "try later"}},
    "headers": {"Retry-After": "0"},
}

# The environment must not leak into the tests: every client here is configured explicitly.
for _name in ("TRILLET_API_KEY", "TRILLET_WORKSPACE_ID", "TRILLET_BASE_URL", "TRILLET_LOG"):
    os.environ.pop(_name, None)

# Control requests go straight to loopback, never through a proxy from the environment.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def sandbox_binary() -> Path:
    explicit = os.environ.get("TRILLET_SANDBOX_BIN")
    if explicit:
        return Path(explicit)
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    if not target.is_absolute():
        target = REPO / target
    return target / "debug" / "trillet"


class Sandbox:
    """The running sandbox and its control endpoints."""

    def __init__(self, url: str) -> None:
        self.url = url

    def _control(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        with _opener.open(req, timeout=10) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def reset(self) -> None:
        """Clears all state, queued faults and the request log."""
        self._control("POST", "/__sandbox/reset")

    def fault(self, operation: str, fault: Dict[str, Any], count: int = 1) -> None:
        """Queues ``fault`` for the next ``count`` requests to ``operation``."""
        answer = self._control("POST", "/__sandbox/faults", {"operation": operation, "count": count, "fault": fault})
        assert answer == {"queued": count}, answer

    def requests(self, operation: Optional[str] = None) -> List[Dict[str, Any]]:
        """The API requests the sandbox received (oldest first), optionally of one operation."""
        log: List[Dict[str, Any]] = self._control("GET", "/__sandbox/requests")
        return [r for r in log if operation is None or r["operation"] == operation]

    def count(self, operation: str) -> int:
        return len(self.requests(operation))

    def clear_log(self) -> None:
        self._control("DELETE", "/__sandbox/requests")


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    url = os.environ.get("TRILLET_SANDBOX_URL")
    if url:
        yield Sandbox(url)
        return
    binary = sandbox_binary()
    if not binary.is_file():
        pytest.fail(f"{binary} is missing: run bindings/python/run-tests.sh (it builds `trillet` with -p trillet-cli)")
    proc = subprocess.Popen(
        [str(binary), "sandbox", "--port", "0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first: List[str] = []
        reader = threading.Thread(target=lambda: first.append(proc.stdout.readline() if proc.stdout else ""))
        reader.start()
        reader.join(30)
        url = first[0].strip() if first else ""
        if not url.startswith("http://127.0.0.1:"):
            pytest.fail(f"the sandbox did not print its URL (got {url!r})")
        yield Sandbox(url)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()


@pytest.fixture
def make_client(sandbox: Sandbox) -> Iterator[Any]:
    """A factory of clients pointed at the sandbox (closed after the test)."""
    made: List[trillet.Client] = []

    def make(**kwargs: Any) -> trillet.Client:
        settings: Dict[str, Any] = {
            "api_key": API_KEY,
            "workspace_id": WORKSPACE_ID,
            "base_url": sandbox.url,
            "max_retries": 0,
            "timeout": 10.0,
        }
        settings.update(kwargs)
        client = trillet.Client(**settings)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(sandbox: Sandbox, make_client: Any) -> trillet.Client:
    """A client (no retries, 10 s timeout) against a freshly reset sandbox."""
    sandbox.reset()
    made: trillet.Client = make_client()
    return made
