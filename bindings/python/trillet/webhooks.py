"""Webhooks: verify what Trillet (or the sandbox) sent, parse it into a typed event, or sign one.

Two signing schemes, picked from the headers present (one verifier, in the native library, the
same in every language):

- ``trillet``: ``X-Trillet-Signature`` is the hex HMAC-SHA256 of the raw body, keyed with the
  secret exactly as issued (``whsec_`` included); an optional ``sha256=`` prefix, either hex case.
- ``standard`` (`Standard Webhooks <https://www.standardwebhooks.com/>`_): ``webhook-id``,
  ``webhook-timestamp`` and ``webhook-signature`` (``v1,<base64>`` entries); key = the base64
  after ``whsec_``; a timestamp more than ``tolerance`` seconds (default 300) from now, in either
  direction, is refused.

Several secrets may be given at once (a rotation: any one matching passes). Always pass the raw
request body (``bytes``), never a parsed and re-serialized object. A receiver with the standard
library only::

    from http.server import BaseHTTPRequestHandler
    from trillet import webhooks

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            try:
                event = webhooks.construct_event(SECRET, body, self.headers)
            except webhooks.WebhookSignatureError as e:
                self.send_response(400)        # e.code: bad_signature, timestamp_too_old, ...
                self.end_headers()
                return
            if event["event"] == "call.completed":
                print(event["data"]["callId"], event["data"].get("duration"))
            self.send_response(200)
            self.end_headers()
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Literal, Mapping, Optional, Protocol, Sequence, Tuple, TypedDict, Union, cast

from . import _native
from ._errors import WebhookSignatureError, error_from_json, invalid_input

__all__ = [
    "SIGNATURE_HEADER",
    "DEFAULT_TOLERANCE",
    "SCHEMES",
    "sign",
    "sign_headers",
    "verify",
    "verify_headers",
    "construct_event",
    "WebhookSignatureError",
    "WebhookEvent",
    "CallStartedEvent",
    "CallCompletedEvent",
    "CallFailedEvent",
    "SmsSentEvent",
    "SmsDeliveredEvent",
    "AgentCreatedEvent",
    "AgentUpdatedEvent",
    "FlowCreatedEvent",
    "FlowUpdatedEvent",
    "UnknownEvent",
    "CallEventData",
    "CallCompletedData",
    "CallFailedData",
    "SmsEventData",
    "AgentEventData",
    "FlowEventData",
]

#: The header of the ``trillet`` scheme.
SIGNATURE_HEADER = "X-Trillet-Signature"
#: How far (seconds) a ``standard`` timestamp may be from now, by default.
DEFAULT_TOLERANCE = 300
#: The signing schemes.
SCHEMES = ("trillet", "standard")

# ---- typed events ---------------------------------------------------------------------------
# The payload is {"event": "<type>", "data": {...}}. Only call.completed's callId, agentId,
# duration and status are documented by the API; the other fields are what the sandbox sends.
# Every data key is optional (total=False): read with .get() where a sender may omit it.

#: ``data`` of ``call.started`` (and the base of the other call events). ``from`` is a Python
#: keyword, hence the functional form.
CallEventData = TypedDict(
    "CallEventData",
    {
        "callId": str,
        "agentId": str,
        "workspaceId": str,
        "status": str,
        "direction": str,
        "type": str,
        "to": Optional[str],
        "from": Optional[str],
        "roomName": str,
        "metadata": Dict[str, Any],
    },
    total=False,
)


class CallCompletedData(CallEventData, total=False):
    """``data`` of ``call.completed``."""

    duration: int
    endTime: int
    cost: float
    summary: str
    recordingUrl: Optional[str]


class CallFailedData(CallEventData, total=False):
    """``data`` of ``call.failed``."""

    reason: str
    batchId: str


class SmsEventData(TypedDict, total=False):
    """``data`` of ``sms.sent`` and ``sms.delivered``."""

    messageId: str
    conversationId: str
    flowId: str
    agentId: str
    workspaceId: str
    to: str
    message: str
    status: str
    metadata: Dict[str, Any]


class AgentEventData(TypedDict, total=False):
    """``data`` of ``agent.created`` and ``agent.updated``."""

    agentId: str
    name: str
    agentType: str
    workspaceId: str


class FlowEventData(TypedDict, total=False):
    """``data`` of ``flow.created`` and ``flow.updated``."""

    flowId: str
    name: str
    flowType: str
    agentId: str
    workspaceId: str


class CallStartedEvent(TypedDict):
    """``call.started``."""

    event: Literal["call.started"]
    data: CallEventData


class CallCompletedEvent(TypedDict):
    """``call.completed``."""

    event: Literal["call.completed"]
    data: CallCompletedData


class CallFailedEvent(TypedDict):
    """``call.failed``."""

    event: Literal["call.failed"]
    data: CallFailedData


class SmsSentEvent(TypedDict):
    """``sms.sent``."""

    event: Literal["sms.sent"]
    data: SmsEventData


class SmsDeliveredEvent(TypedDict):
    """``sms.delivered``."""

    event: Literal["sms.delivered"]
    data: SmsEventData


class AgentCreatedEvent(TypedDict):
    """``agent.created``."""

    event: Literal["agent.created"]
    data: AgentEventData


class AgentUpdatedEvent(TypedDict):
    """``agent.updated``."""

    event: Literal["agent.updated"]
    data: AgentEventData


class FlowCreatedEvent(TypedDict):
    """``flow.created``."""

    event: Literal["flow.created"]
    data: FlowEventData


class FlowUpdatedEvent(TypedDict):
    """``flow.updated``."""

    event: Literal["flow.updated"]
    data: FlowEventData


class UnknownEvent(TypedDict):
    """An event type this version does not know, kept as sent."""

    event: str
    data: Any


#: What :func:`construct_event` returns: narrow it with ``if event["event"] == "call.completed":``.
WebhookEvent = Union[
    CallStartedEvent,
    CallCompletedEvent,
    CallFailedEvent,
    SmsSentEvent,
    SmsDeliveredEvent,
    AgentCreatedEvent,
    AgentUpdatedEvent,
    FlowCreatedEvent,
    FlowUpdatedEvent,
    UnknownEvent,
]

class SupportsItems(Protocol):
    """Anything with ``.items()`` giving ``(name, value)`` pairs: ``http.server``'s
    ``self.headers`` (an ``email.message.Message``), Flask's or Django's request headers."""

    def items(self) -> Iterable[Tuple[str, Any]]:
        """The header pairs, repeated names included."""
        ...


#: The request's headers: a mapping (a dict, ``request.headers``, ``http.server``'s
#: ``self.headers``), anything with ``.items()``, or ``(name, value)`` pairs. A ``str`` is the
#: ``X-Trillet-Signature`` value alone (the ``trillet`` scheme).
HeadersLike = Union[Mapping[str, str], SupportsItems, Iterable[Tuple[str, str]], str, None]
Secrets = Union[str, Sequence[str]]
#: The raw request body (a ``str`` is signed as its UTF-8 bytes).
Body = Union[bytes, bytearray, memoryview, str]


# ---- helpers -------------------------------------------------------------------------------


def _body_bytes(body: object) -> bytes:
    if isinstance(body, str):
        try:
            return body.encode("utf-8")
        except UnicodeEncodeError:
            raise invalid_input("invalid_utf8", "the webhook body is not valid Unicode: pass the raw bytes") from None
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    raise invalid_input(
        "invalid_argument", f"the webhook body must be bytes (the raw request body), not {type(body).__name__}"
    )


def _text(value: object) -> Optional[str]:
    """A secret or header value as text; ``None`` for anything unusable (the library refuses)."""
    if isinstance(value, (bytes, bytearray)):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    if not isinstance(value, str) or "\x00" in value:
        return None
    return value


def _secrets_json(secrets: object) -> bytes:
    items: List[object] = list(secrets) if isinstance(secrets, (list, tuple)) else [secrets]
    texts = [_text(s) for s in items]
    return json.dumps([t for t in texts if t]).encode("utf-8")


def _headers_json(headers: object) -> bytes:
    pairs: List[Tuple[str, str]] = []
    if headers is None:
        pass
    elif isinstance(headers, (str, bytes)):
        value = _text(headers)
        if value is not None:
            pairs.append((SIGNATURE_HEADER, value))
    else:
        items_of = getattr(headers, "items", None)
        items = cast(Iterable[Any], items_of() if callable(items_of) else headers)
        try:
            for name, value in items:
                n, v = _text(name), _text(value)
                if n is not None and v is not None:
                    pairs.append((n, v))
        except (TypeError, ValueError):
            raise invalid_input(
                "invalid_argument", "webhook headers must be a mapping or (name, value) pairs"
            ) from None
    return json.dumps([[n, v] for n, v in pairs]).encode("utf-8")


def _tolerance(tolerance: Optional[float]) -> int:
    if tolerance is None:
        return -1
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise invalid_input("invalid_argument", "tolerance must be a number of seconds >= 0")
    return int(tolerance)


def _raise(status: int, text: Optional[bytes]) -> WebhookSignatureError:
    """The refusal as a :class:`WebhookSignatureError` (any other kind, a library bug, is raised
    as it is)."""
    error = error_from_json("invalid_input", text)
    if status != _native.TRILLET_ERR_INVALID_INPUT:
        raise error
    return WebhookSignatureError(error.json)


def _check(construct: bool, secrets: Secrets, body: Any, headers: HeadersLike, tolerance: Optional[float]) -> bytes:
    data = _body_bytes(body)
    status, text = _native.webhook_check(
        construct, _secrets_json(secrets), _headers_json(headers), data, _tolerance(tolerance)
    )
    if status != _native.TRILLET_OK or text is None:
        raise _raise(status, text)
    return text


# ---- the API -------------------------------------------------------------------------------


def sign(secret: str, body: Body) -> str:
    """The ``X-Trillet-Signature`` Trillet sends for ``body`` (the ``trillet`` scheme): lower-case
    hex HMAC-SHA256 keyed with ``secret`` as issued.

    :raises WebhookSignatureError: (code ``missing_secret``) when the secret is empty or not text.
    """
    key = _text(secret)
    signature = _native.webhook_sign(key.encode("utf-8"), _body_bytes(body)) if key else None
    if signature is None:
        raise invalid_input("missing_secret", "the webhook secret must be a non-empty str", WebhookSignatureError)
    return signature


def sign_headers(
    secret: str,
    body: Body,
    *,
    scheme: str = "standard",
    msg_id: Optional[str] = None,
    timestamp: Optional[int] = None,
) -> Dict[str, str]:
    """Every header a sender adds for ``body``: ``{"X-Trillet-Signature": ...}`` (``trillet``) or
    ``{"webhook-id", "webhook-timestamp", "webhook-signature"}`` (``standard``; ``msg_id``
    defaults to a fresh ``msg_...``, ``timestamp`` to now, in Unix seconds).

    :raises WebhookSignatureError: ``missing_secret``, ``invalid_secret`` (a ``standard`` secret
        that is not base64 after ``whsec_``) or ``unsupported_scheme``.
    """
    key = _text(secret)
    if not key:
        raise invalid_input("missing_secret", "the webhook secret must be a non-empty str", WebhookSignatureError)
    ident = _text(msg_id) if msg_id is not None else None
    if msg_id is not None and not ident:
        raise invalid_input("invalid_argument", "msg_id must be non-empty text")
    if timestamp is not None and (isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0):
        raise invalid_input("invalid_argument", "timestamp must be Unix seconds (an int >= 0)")
    status, text = _native.webhook_sign_headers(
        key.encode("utf-8"),
        str(scheme).encode("utf-8"),
        ident.encode("utf-8") if ident else None,
        -1 if timestamp is None else timestamp,
        _body_bytes(body),
    )
    if status != _native.TRILLET_OK or text is None:
        raise _raise(status, text)
    headers: Dict[str, str] = json.loads(text)
    return headers


def verify_headers(
    secret: Secrets,
    body: Body,
    headers: HeadersLike,
    *,
    tolerance: Optional[float] = None,
) -> Dict[str, Any]:
    """Checks a webhook's signature, in either scheme, against one or more secrets.

    :returns: ``{"scheme": "trillet"|"standard", "id": webhook-id or None, "timestamp": ...}``.
    :raises WebhookSignatureError: whose ``code`` names the check that failed
        (``missing_signature``, ``bad_signature``, ``timestamp_too_old``, ``timestamp_in_future``,
        ``unsupported_scheme``, ``missing_secret``, ``invalid_secret``) and whose message has a hint.
    """
    result: Dict[str, Any] = json.loads(_check(False, secret, body, headers, tolerance))
    return result


def verify(
    secret: Secrets,
    body: Body,
    signature: HeadersLike,
    *,
    tolerance: Optional[float] = None,
) -> bool:
    """Whether the webhook verifies: ``signature`` is the ``X-Trillet-Signature`` value, or the
    request's headers (either scheme). ``False`` for any refusal; :func:`verify_headers` and
    :func:`construct_event` say which check failed.
    """
    try:
        _check(False, secret, body, signature, tolerance)
    except WebhookSignatureError:
        return False
    return True


def construct_event(
    secret: Secrets,
    body: Body,
    headers: HeadersLike,
    *,
    tolerance: Optional[float] = None,
) -> WebhookEvent:
    """Verifies the webhook (either scheme; several secrets during a rotation), then parses the
    payload ``{"event": "...", "data": {...}}`` into a typed event.

    ``headers`` is the request's headers (a mapping or pairs), or the ``X-Trillet-Signature``
    value alone. ``tolerance`` (seconds, default 300) bounds a ``standard`` timestamp's distance
    from now.

    :raises WebhookSignatureError: with ``code`` ``missing_signature``, ``bad_signature``,
        ``timestamp_too_old``, ``timestamp_in_future``, ``unsupported_scheme``,
        ``invalid_payload``, ``missing_secret`` or ``invalid_secret``.
    """
    parsed = json.loads(_check(True, secret, body, headers, tolerance))
    parsed.setdefault("data", None)
    event: WebhookEvent = parsed
    return event
