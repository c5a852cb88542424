"""Ctrl-C during a blocking call of the sync client: the request is cancelled in the core,
``KeyboardInterrupt`` propagates, and nothing is left running.

A child process makes the call against a server that never answers (the client's timeout is
60 s); the test sends it SIGINT once the server has the request, and checks what the server
saw (the connection closed) and what the child printed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import API_KEY, WORKSPACE_ID
from rawserver import RawServer

PACKAGE_ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent(
    """
    import sys, threading, time
    import trillet

    hung_url, answering_url = sys.argv[1], sys.argv[2]
    settings = dict(api_key=%r, workspace_id=%r, max_retries=0, timeout=60.0, ignore_env=True)
    client = trillet.Client(base_url=hung_url, **settings)
    print("calling", flush=True)
    try:
        client.agents.get("a")
    except KeyboardInterrupt:
        print("interrupted in_flight=%%d threads=%%d" %% (client._in_flight, threading.active_count()), flush=True)
        # The next call works: the cancelled token belonged to the interrupted call only.
        with trillet.Client(base_url=answering_url, **settings) as other:
            print("next", other.agents.get("a")["_id"], flush=True)
        raise
    print("returned", flush=True)
    """
    % (API_KEY, WORKSPACE_ID)
)


@pytest.fixture
def servers() -> Iterator[tuple]:
    hung, answering = RawServer(None), RawServer(0.0)
    yield hung, answering
    hung.close()
    answering.close()


def default_sigint() -> None:
    """Runs in the child before exec: Ctrl-C as a terminal delivers it. A process whose parent
    ignores SIGINT (a job started with `&` by a non-interactive shell, `nohup`-style CI runners)
    inherits the ignored disposition across exec, and Python then installs no handler at all, so
    without this the test would measure the runner, not the binding."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def child_env() -> dict:
    env = dict(os.environ)
    if not os.environ.get("TRILLET_TEST_INSTALLED"):
        env["PYTHONPATH"] = str(PACKAGE_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process is POSIX")
def test_ctrl_c_cancels_a_blocking_call_and_propagates(servers: tuple, tmp_path: Path) -> None:
    hung, answering = servers
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    child = subprocess.Popen(
        [sys.executable, str(script), hung.url, answering.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        preexec_fn=default_sigint,
    )
    try:
        assert hung.wait_for(lambda: hung.requests == 1, 30), "the child's request never arrived"
        time.sleep(0.2)  # the call is waiting for its answer, inside the native library
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
        took = time.monotonic() - sent
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert "interrupted in_flight=0" in out, (out, err)
    assert "next " in out, (out, err)  # a later call is unaffected
    assert "returned" not in out
    assert "KeyboardInterrupt" in err
    assert child.returncode != 0
    # Without the cancel the call would have waited for its 60 s timeout.
    assert took < 10, took
    assert hung.wait_for(lambda: hung.closed == 1), "the interrupted request's connection was not closed"
    assert hung.requests == 1  # not retried


def test_a_program_with_its_own_sigint_handler_keeps_it(servers: tuple, tmp_path: Path) -> None:
    """With a handler of the program's own, the module installs nothing: SIGINT runs that handler
    (after the call, as before) instead of cancelling the request behind the program's back."""
    _, answering = servers
    script = tmp_path / "own_handler.py"
    script.write_text(
        textwrap.dedent(
            """
            import signal, sys
            import trillet
            from trillet import _interrupt
            signal.signal(signal.SIGINT, lambda *a: None)
            with trillet.Client(base_url=sys.argv[1], api_key="k", workspace_id="w", ignore_env=True) as c:
                c.agents.get("a")
            print(_interrupt.interruptible_state()[0], signal.set_wakeup_fd(-1))
            """
        ),
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script), answering.url], capture_output=True, text=True,
                          env=child_env(), timeout=60)
    assert done.stdout.split() == ["False", "-1"], done.stdout + done.stderr
