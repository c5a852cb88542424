"""Webhook signatures against known HMAC-SHA256 vectors, computed by the native library."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time

import pytest

import trillet
from trillet import webhooks

# RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
RFC4231_KEY = "Jefe"
RFC4231_DATA = b"what do ya want for nothing?"
RFC4231_MAC = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"

SECRET = "whsec_test_secret"
PAYLOAD = b'{"event":"call.completed","data":{"callId":"c1","duration":125}}'


def test_sign_matches_rfc4231() -> None:
    assert webhooks.sign(RFC4231_KEY, RFC4231_DATA) == RFC4231_MAC
    assert webhooks.sign(RFC4231_KEY, RFC4231_DATA.decode()) == RFC4231_MAC


def test_sign_agrees_with_pythons_hmac_on_random_bodies() -> None:
    for size in (0, 1, 63, 64, 65, 1000, 100_000):
        body = os.urandom(size)
        expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert webhooks.sign(SECRET, body) == expected
        assert webhooks.verify(SECRET, body, expected)


def test_verify_accepts_prefix_case_and_whitespace_and_rejects_changes() -> None:
    assert webhooks.verify(RFC4231_KEY, RFC4231_DATA, RFC4231_MAC)
    assert webhooks.verify(RFC4231_KEY, RFC4231_DATA, "sha256=" + RFC4231_MAC)
    assert webhooks.verify(RFC4231_KEY, RFC4231_DATA, RFC4231_MAC.upper())
    assert webhooks.verify(RFC4231_KEY, RFC4231_DATA, f"  {RFC4231_MAC}\t")
    assert webhooks.verify(RFC4231_KEY, bytearray(RFC4231_DATA), RFC4231_MAC)
    assert not webhooks.verify(RFC4231_KEY, RFC4231_DATA + b" ", RFC4231_MAC)
    assert not webhooks.verify("Jefx", RFC4231_DATA, RFC4231_MAC)
    assert not webhooks.verify(RFC4231_KEY, RFC4231_DATA, RFC4231_MAC[:-1] + "0")
    # Exactly 64 hex digits: a sign before a digit ("+5" reads as 05 in a lenient decoder) is refused.
    plus = "+" + RFC4231_MAC[1:] if RFC4231_MAC[0] == "0" else RFC4231_MAC[:-2] + "+" + RFC4231_MAC[-1]
    for bad in ("", None, "zz", "abcd", "é" * 32, RFC4231_MAC + "\x00", plus, RFC4231_MAC + " x"):
        assert not webhooks.verify(RFC4231_KEY, RFC4231_DATA, bad)
    assert not webhooks.verify("", RFC4231_DATA, RFC4231_MAC)
    assert not webhooks.verify(None, RFC4231_DATA, RFC4231_MAC)  # type: ignore[arg-type]


def test_whsec_prefix_is_part_of_the_key() -> None:
    assert webhooks.sign("whsec_abc", b"{}") != webhooks.sign("abc", b"{}")


def test_construct_event_returns_the_payload() -> None:
    signature = webhooks.sign(SECRET, PAYLOAD)
    event = webhooks.construct_event(SECRET, PAYLOAD, signature)
    assert event == {"event": "call.completed", "data": {"callId": "c1", "duration": 125}}
    unknown = b'{"event":"call.transferred","id":"evt_1"}'
    event = webhooks.construct_event(SECRET, unknown, webhooks.sign(SECRET, unknown))
    assert event == {"event": "call.transferred", "id": "evt_1", "data": None}


@pytest.mark.parametrize(
    "secret,body,signature,code",
    [
        ("", PAYLOAD, "00" * 32, "missing_secret"),
        (SECRET, PAYLOAD, None, "missing_signature"),
        (SECRET, PAYLOAD, "  ", "missing_signature"),
        (SECRET, PAYLOAD, "not-hex", "bad_signature"),
        (SECRET, PAYLOAD, "ab" * 31, "bad_signature"),
        (SECRET, PAYLOAD, "00" * 32, "bad_signature"),
        (SECRET, PAYLOAD, "sha1=" + "00" * 32, "unsupported_scheme"),
        (SECRET, b"not json", None, "invalid_payload"),
        (SECRET, b'["event"]', None, "invalid_payload"),
        (SECRET, b'{"data":{}}', None, "invalid_payload"),
    ],
)
def test_construct_event_refusals(secret: str, body: bytes, signature: object, code: str) -> None:
    if code == "invalid_payload":
        signature = webhooks.sign(secret, body)
    with pytest.raises(webhooks.WebhookSignatureError) as info:
        webhooks.construct_event(secret, body, signature)  # type: ignore[arg-type]
    e = info.value
    assert isinstance(e, trillet.InvalidInputError) and isinstance(e, trillet.TrilletError)
    assert e.code == code
    assert SECRET not in str(e)


def test_sign_refuses_an_empty_secret_and_bad_bodies() -> None:
    with pytest.raises(webhooks.WebhookSignatureError) as info:
        webhooks.sign("", b"x")
    assert info.value.code == "missing_secret"
    with pytest.raises(trillet.InvalidInputError):
        webhooks.sign(SECRET, {"not": "bytes"})  # type: ignore[arg-type]
    with pytest.raises(trillet.InvalidInputError):
        webhooks.sign(SECRET, "\ud800")
    # NUL bytes inside the body are signed like any other byte.
    body = b"a\x00b"
    assert webhooks.sign(SECRET, body) == hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert webhooks.SIGNATURE_HEADER == "X-Trillet-Signature"


# ---- both schemes, rotation, tolerance, typed events ------------------------------------------

STD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
# The Standard Webhooks specification's published example.
STD_HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}
STD_BODY = b'{"test": 2432232314}'


def _code(fn: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(webhooks.WebhookSignatureError) as info:
        fn(*args, **kwargs)  # type: ignore[operator]
    return info.value.code


def test_the_standard_example_vector_signs_and_verifies_with_a_wide_tolerance() -> None:
    signed = webhooks.sign_headers(
        STD_SECRET, STD_BODY, scheme="standard", msg_id=STD_HEADERS["webhook-id"], timestamp=1614265330
    )
    assert signed == STD_HEADERS
    # 2021 is far outside 300 s: too old by default, fine with a tolerance of decades.
    assert _code(webhooks.verify_headers, STD_SECRET, STD_BODY, STD_HEADERS) == "timestamp_too_old"
    checked = webhooks.verify_headers(STD_SECRET, STD_BODY, STD_HEADERS, tolerance=10**10)
    assert checked == {"scheme": "standard", "id": STD_HEADERS["webhook-id"], "timestamp": 1614265330}


def test_both_schemes_round_trip_with_rotation_and_any_header_spelling() -> None:
    for scheme in webhooks.SCHEMES:
        headers = webhooks.sign_headers(STD_SECRET, PAYLOAD, scheme=scheme)
        event = webhooks.construct_event(["whsec_b2xk", STD_SECRET], PAYLOAD, headers)
        assert event["event"] == "call.completed"
        if event["event"] == "call.completed":  # narrows to CallCompletedEvent for mypy
            assert event["data"].get("duration") == 125
        # Header names in any case, as pairs, or an http.client/email message.
        shouting = [(k.upper(), v) for k, v in headers.items()]
        assert webhooks.verify(STD_SECRET, PAYLOAD, shouting)
        assert webhooks.verify_headers(STD_SECRET, PAYLOAD, headers)["scheme"] == scheme
        assert not webhooks.verify("whsec_b2xk", PAYLOAD, headers)


def test_failures_name_the_check_and_hint_at_the_cause() -> None:
    now = int(time.time())
    fresh = webhooks.sign_headers(STD_SECRET, PAYLOAD)
    reserialized = json.dumps(json.loads(PAYLOAD)).encode()  # what a framework would hand over
    with pytest.raises(webhooks.WebhookSignatureError) as info:
        webhooks.construct_event(STD_SECRET, reserialized, fresh)
    assert info.value.code == "bad_signature"
    assert "raw request bytes" in info.value.message
    old = webhooks.sign_headers(STD_SECRET, PAYLOAD, timestamp=now - 1000)
    assert _code(webhooks.construct_event, STD_SECRET, PAYLOAD, old) == "timestamp_too_old"
    assert webhooks.construct_event(STD_SECRET, PAYLOAD, old, tolerance=3600)["event"] == "call.completed"
    ahead = webhooks.sign_headers(STD_SECRET, PAYLOAD, timestamp=now + 1000)
    assert _code(webhooks.construct_event, STD_SECRET, PAYLOAD, ahead) == "timestamp_in_future"
    assert _code(webhooks.construct_event, STD_SECRET, PAYLOAD, {}) == "missing_signature"
    assert _code(webhooks.construct_event, STD_SECRET, PAYLOAD, {"webhook-signature": "v1,x"}) == "missing_signature"
    v1a = dict(fresh, **{"webhook-signature": "v1a,c29tZQ=="})
    assert _code(webhooks.construct_event, STD_SECRET, PAYLOAD, v1a) == "unsupported_scheme"
    assert _code(webhooks.construct_event, [], PAYLOAD, fresh) == "missing_secret"
    assert _code(webhooks.construct_event, "whsec_%%%", PAYLOAD, fresh) == "invalid_secret"
    assert _code(webhooks.sign_headers, "whsec_%%%", PAYLOAD) == "invalid_secret"
    assert _code(webhooks.sign_headers, STD_SECRET, PAYLOAD, scheme="svix") == "unsupported_scheme"
    not_event = webhooks.sign_headers(STD_SECRET, b"[1]")
    assert _code(webhooks.construct_event, STD_SECRET, b"[1]", not_event) == "invalid_payload"
    with pytest.raises(trillet.InvalidInputError):
        webhooks.construct_event(STD_SECRET, PAYLOAD, fresh, tolerance=-1)


def test_unknown_event_types_are_kept() -> None:
    body = b'{"event":"call.transferred","data":{"to":"+1"},"id":"evt_1"}'
    event = webhooks.construct_event(SECRET, body, {"X-Trillet-Signature": webhooks.sign(SECRET, body)})
    assert event == {"event": "call.transferred", "data": {"to": "+1"}, "id": "evt_1"}
