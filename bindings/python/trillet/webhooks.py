"""Webhook signatures: check what Trillet sent, or sign a body (for tests and local tools).

Trillet signs a webhook with the ``X-Trillet-Signature`` header: the lower-case hex HMAC-SHA256
of the raw request body, keyed with the webhook secret exactly as issued (``whsec_`` prefix
included). The HMAC itself is computed by the native library, in constant time.

::

    from trillet import webhooks

    def handle(request):
        event = webhooks.construct_event(SECRET, request.body, request.headers.get(webhooks.SIGNATURE_HEADER))
        if event["event"] == "call.completed":
            ...
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, Optional, Union

from . import _native
from ._errors import WebhookSignatureError, invalid_input

__all__ = ["SIGNATURE_HEADER", "sign", "verify", "construct_event", "WebhookSignatureError"]

#: The header that carries the signature.
SIGNATURE_HEADER = "X-Trillet-Signature"

_SIGNATURE_SHAPE = re.compile(r"(?:sha256=|SHA256=)?[0-9a-fA-F]{64}")


def _body_bytes(body: object) -> bytes:
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid_input("invalid_utf8", "the webhook body is not valid Unicode: pass the raw bytes") from None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise invalid_input("invalid_argument", f"the webhook body must be bytes (the raw request body), not {type(body).__name__}")


def _optional_text(value: object) -> Optional[bytes]:
    """A secret or signature as C text; ``None`` for anything unusable (the library then refuses)."""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str) or "\x00" in value:
        return None
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        return None


def sign(secret: str, body: Union[bytes, str]) -> str:
    """The signature Trillet would send for ``body``: lower-case hex HMAC-SHA256 keyed with ``secret``.

    :raises WebhookSignatureError: (code ``missing_secret``) when the secret is empty or not text.
    """
    key = _optional_text(secret)
    signature = _native.webhook_sign(key, _body_bytes(body)) if key else None
    if signature is None:
        raise invalid_input("missing_secret", "the webhook secret must be a non-empty str", WebhookSignatureError)
    return signature


def verify(secret: str, body: Union[bytes, str], signature: Optional[str]) -> bool:
    """Whether ``signature`` (the ``X-Trillet-Signature`` header) matches the raw ``body``.

    Accepts an optional ``sha256=`` prefix, upper- or lower-case hex and surrounding white space.
    Returns ``False`` for a mismatch, a malformed or missing signature, or an empty secret; the
    comparison runs in constant time inside the library.
    """
    data = _body_bytes(body)
    return _native.webhook_verify(_optional_text(secret), data, _optional_text(signature)) == _native.TRILLET_OK


def _refusal(secret: object, signature: object) -> WebhookSignatureError:
    """Why the library refused a signature (its verify function answers only yes or no)."""
    if not isinstance(secret, (str, bytes)) or not secret:
        return invalid_input("missing_secret", "the webhook secret is empty", WebhookSignatureError)
    if not isinstance(signature, (str, bytes)) or not signature.strip():
        return invalid_input("missing_signature", f"no {SIGNATURE_HEADER} header", WebhookSignatureError)
    text = signature.decode("utf-8", "replace") if isinstance(signature, bytes) else signature
    if not _SIGNATURE_SHAPE.fullmatch(text.strip()):
        return invalid_input(
            "malformed_signature", f"{SIGNATURE_HEADER} is not a hex HMAC-SHA256", WebhookSignatureError
        )
    return invalid_input("signature_mismatch", f"{SIGNATURE_HEADER} does not match the body", WebhookSignatureError)


def construct_event(secret: str, body: Union[bytes, str], signature: Optional[str]) -> Dict[str, Any]:
    """Verifies the signature, then parses the payload ``{"event": "...", "data": {...}}``.

    :returns: the payload as a dict (``event["event"]`` is the type, ``event["data"]`` its data).
    :raises WebhookSignatureError: with ``code`` ``missing_secret``, ``missing_signature``,
        ``malformed_signature``, ``signature_mismatch`` or ``invalid_payload``.
    """
    data = _body_bytes(body)
    if not verify(secret, data, signature):
        raise _refusal(secret, signature)
    try:
        event = json.loads(data)
    except ValueError as e:
        raise invalid_input("invalid_payload", f"invalid webhook payload: {e}", WebhookSignatureError) from None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise invalid_input(
            "invalid_payload", 'invalid webhook payload: expected {"event": "...", "data": {...}}', WebhookSignatureError
        )
    event.setdefault("data", None)
    return event
