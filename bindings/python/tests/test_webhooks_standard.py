"""Cross-check against an implementation we did not write: the official Standard Webhooks
library (PyPI ``standardwebhooks``). It signs, we verify; we sign, it verifies; and both refuse
the same tampering. bindings/python/run-tests.sh installs it (and sets
TRILLET_REQUIRE_STANDARDWEBHOOKS=1, so a missing library fails the run instead of skipping)."""

from __future__ import annotations

import os
import random
from datetime import datetime, timedelta, timezone
from typing import Any, Dict

import pytest

from trillet import webhooks

if os.environ.get("TRILLET_REQUIRE_STANDARDWEBHOOKS") == "1":
    import standardwebhooks
else:  # pragma: no cover - only outside run-tests.sh
    standardwebhooks = pytest.importorskip("standardwebhooks")

SECRETS = [
    "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=",
    "whsec_" + "c2hvcnQ=",
]


def _bodies() -> Any:
    rng = random.Random(24)
    yield b'{"event":"call.completed","data":{"callId":"c1","duration":125,"metadata":{"k":"\\u00e9"}}}'
    yield '{"event":"sms.sent","data":{"message":"Grüße, 你好 👋"}}'.encode()
    yield b""
    for size in (1, 63, 64, 65, 1000):
        yield bytes(rng.getrandbits(8) for _ in range(size))


def test_the_standard_library_signs_and_we_verify() -> None:
    now = datetime.now(timezone.utc)
    for secret in SECRETS:
        theirs = standardwebhooks.Webhook(secret)
        for i, body in enumerate(_bodies()):
            msg_id = f"msg_{i}_cross"
            headers = {
                "webhook-id": msg_id,
                "webhook-timestamp": str(int(now.timestamp())),
                "webhook-signature": theirs.sign(msg_id, now, body),
            }
            checked = webhooks.verify_headers(secret, body, headers)
            assert checked["scheme"] == "standard" and checked["id"] == msg_id
            # Several secrets (a rotation): ours among others still passes.
            assert webhooks.verify(["whsec_b3RoZXI=", secret], body, headers)
            tampered = body + b" "
            assert not webhooks.verify(secret, tampered, headers)


def test_we_sign_and_the_standard_library_verifies() -> None:
    for secret in SECRETS:
        theirs = standardwebhooks.Webhook(secret)
        for body in _bodies():
            headers: Dict[str, str] = webhooks.sign_headers(secret, body, scheme="standard")
            theirs.verify(body, headers, json_parse=False)
            with pytest.raises(standardwebhooks.WebhookVerificationError):
                theirs.verify(body + b"x", headers, json_parse=False)


def test_both_refuse_the_same_stale_and_future_timestamps() -> None:
    secret = SECRETS[0]
    theirs = standardwebhooks.Webhook(secret)
    body = b'{"event":"call.started","data":{}}'
    for offset, code in ((-1000, "timestamp_too_old"), (1000, "timestamp_in_future")):
        when = datetime.now(timezone.utc) + timedelta(seconds=offset)
        headers = webhooks.sign_headers(secret, body, msg_id="msg_t", timestamp=int(when.timestamp()))
        with pytest.raises(standardwebhooks.WebhookVerificationError):
            theirs.verify(body, headers)
        with pytest.raises(webhooks.WebhookSignatureError) as info:
            webhooks.construct_event(secret, body, headers)
        assert info.value.code == code
    # Their signature header, with the event parsed by us into a typed event.
    now = datetime.now(timezone.utc)
    headers = {"webhook-id": "msg_e", "webhook-timestamp": str(int(now.timestamp())),
               "webhook-signature": theirs.sign("msg_e", now, body)}
    assert webhooks.construct_event(secret, body, headers) == {"event": "call.started", "data": {}}
