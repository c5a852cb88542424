"""Webhook signatures against known HMAC-SHA256 vectors, computed by the native library."""

from __future__ import annotations

import hashlib
import hmac
import os

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
    assert webhooks.verify(RFC4231_KEY, RFC4231_DATA, f"  {RFC4231_MAC}\n")
    assert webhooks.verify(RFC4231_KEY, bytearray(RFC4231_DATA), RFC4231_MAC)
    assert not webhooks.verify(RFC4231_KEY, RFC4231_DATA + b" ", RFC4231_MAC)
    assert not webhooks.verify("Jefx", RFC4231_DATA, RFC4231_MAC)
    assert not webhooks.verify(RFC4231_KEY, RFC4231_DATA, RFC4231_MAC[:-1] + "0")
    for bad in ("", None, "zz", "abcd", "é" * 32, RFC4231_MAC + "\x00"):
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
        (SECRET, PAYLOAD, "not-hex", "malformed_signature"),
        (SECRET, PAYLOAD, "ab" * 31, "malformed_signature"),
        (SECRET, PAYLOAD, "00" * 32, "signature_mismatch"),
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
