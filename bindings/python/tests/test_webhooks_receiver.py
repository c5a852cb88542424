"""Receiver examples that run: a plain ``http.server`` handler (the README's example) and a Flask
view, each receiving the sandbox's signed deliveries (POST /__sandbox/webhooks) for real state
changes, and verifying them with ``webhooks.construct_event`` on the raw body."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterator, List

import pytest

import trillet
from trillet import webhooks

from conftest import AGENT_BODY, Sandbox

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

# ---- the example --------------------------------------------------------------------------

received: List[Dict[str, Any]] = []
refused: List[str] = []


class WebhookHandler(BaseHTTPRequestHandler):
    """A webhook receiver with the standard library only."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))  # the raw bytes, as sent
        try:
            event = webhooks.construct_event(SECRET, body, self.headers)
        except webhooks.WebhookSignatureError as e:
            refused.append(e.code)  # bad_signature, timestamp_too_old, ...
            self.send_response(400)
            self.end_headers()
            return
        if event["event"] == "call.completed":
            print("call", event["data"].get("callId"), "took", event["data"].get("duration"), "s")
        received.append(dict(event))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output quiet
        pass


# ---- the test -----------------------------------------------------------------------------


def _wait_for(what: str, done: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # generous: a bound on a hang, not a timing claim
    while not done():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def http_server() -> Iterator[str]:
    received.clear()
    refused.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), WebhookHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/webhooks"
    finally:
        server.shutdown()
        server.server_close()


def _register(sandbox: Sandbox, url: str, **extra: Any) -> Dict[str, Any]:
    sandbox.reset()
    answer: Dict[str, Any] = sandbox._control(
        "POST", "/__sandbox/webhooks", {"url": url, "secret": SECRET, "retry_schedule_ms": [10, 10], **extra}
    )
    return answer


def _place_and_end_a_call(client: trillet.Client) -> str:
    agent = client.call("agents.create", body={**AGENT_BODY, "name": "Webhook demo"})
    placed = client.call(
        "calls.initiate", body={"to": "+14155550123", "call_agent_id": agent["_id"], "metadata": {"order": "A-17"}}
    )
    record = client.call("call_history.get", path={"callHistoryId": placed["call_id"]})
    client.call("active_calls.end_call", path={"roomName": record["roomName"]})
    call_id: str = placed["call_id"]
    return call_id


def test_the_http_server_receiver_gets_verified_events(sandbox: Sandbox, client: trillet.Client, http_server: str) -> None:
    try:
        _register(sandbox, http_server, scheme="standard")
        call_id = _place_and_end_a_call(client)
        wanted = {"agent.created", "call.started", "call.completed"}
        _wait_for("3 events", lambda: {e["event"] for e in received} >= wanted)
        completed = [e for e in received if e["event"] == "call.completed"][0]
        assert completed["data"]["callId"] == call_id
        assert completed["data"]["metadata"] == {"order": "A-17"}
        assert {e["event"] for e in received} >= {"agent.created", "call.started", "call.completed"}
        assert refused == []
        # The sandbox logs an attempt once it has read the receiver's answer.
        _wait_for("every delivery logged", lambda: len(sandbox._control("GET", "/__sandbox/webhooks/deliveries")) == len(received))
        deliveries = sandbox._control("GET", "/__sandbox/webhooks/deliveries")
        assert all(d["ok"] and d["status"] == 200 for d in deliveries), deliveries
    finally:
        sandbox.reset()


def test_a_receiver_with_the_wrong_secret_refuses_and_the_sandbox_retries(
    sandbox: Sandbox, client: trillet.Client, http_server: str
) -> None:
    try:
        sandbox.reset()
        sandbox._control(
            "POST",
            "/__sandbox/webhooks",
            {"url": http_server, "secret": "whsec_d3Jvbmcgc2VjcmV0", "events": ["agent.created"],
             "retry_schedule_ms": [5, 5]},
        )
        client.call("agents.create", body={**AGENT_BODY, "name": "Refused"})
        _wait_for("3 attempts", lambda: len(sandbox._control("GET", "/__sandbox/webhooks/deliveries")) == 3)
        deliveries = sandbox._control("GET", "/__sandbox/webhooks/deliveries")
        assert [(d["attempt"], d["status"], d["ok"]) for d in deliveries] == [(1, 400, False), (2, 400, False), (3, 400, False)]
        assert len({d["message_id"] for d in deliveries}) == 1
        assert refused == ["bad_signature"] * 3
    finally:
        sandbox.reset()


def test_a_flask_receiver(sandbox: Sandbox, client: trillet.Client) -> None:
    flask = pytest.importorskip("flask")
    from werkzeug.serving import make_server

    app = flask.Flask("receiver")
    got: List[Dict[str, Any]] = []

    @app.post("/webhooks")  # type: ignore[untyped-decorator,misc,unused-ignore]
    def receive() -> Any:
        try:
            # request.get_data(): the raw body (never request.json re-serialized)
            event = webhooks.construct_event(SECRET, flask.request.get_data(), flask.request.headers)
        except webhooks.WebhookSignatureError as e:
            return {"error": e.code}, 400
        got.append(dict(event))
        return "", 204

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        _register(sandbox, f"http://127.0.0.1:{server.server_port}/webhooks", scheme="trillet", events=["call.completed"])
        call_id = _place_and_end_a_call(client)
        _wait_for("call.completed", lambda: len(got) == 1)
        assert got[0]["event"] == "call.completed" and got[0]["data"]["callId"] == call_id
        _wait_for("the delivery logged", lambda: len(sandbox._control("GET", "/__sandbox/webhooks/deliveries")) == 1)
        deliveries = sandbox._control("GET", "/__sandbox/webhooks/deliveries")
        assert [(d["status"], d["scheme"]) for d in deliveries] == [(204, "trillet")]
        assert json.loads(json.dumps(got[0]))["data"]["metadata"] == {"order": "A-17"}
    finally:
        server.shutdown()
        sandbox.reset()
