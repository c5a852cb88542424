"""The exceptions: one class per error ``kind`` of the shared error JSON, each carrying its fields.

Every exception the package raises for a failed call is a :class:`TrilletError` built from the
error JSON every language shares::

    {"error": {"kind": "api", "code": "not_found", "message": "...", "status": 404,
               "request_id": "req_...", "retry_after": null, "body": {...}}}

The class is picked by ``kind`` (and, for ``api``, by HTTP status). Messages never contain the
API key: the library never echoes it, and this module only repeats what the library said.
"""

from __future__ import annotations

import builtins
import json as _json
from typing import Any, Dict, Mapping, Optional, Type, TypeVar

__all__ = [
    "TrilletError",
    "APIError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APITimeoutError",
    "APIConnectionError",
    "TimeoutError",
    "ConnectionError",
    "TransportError",
    "DecodeError",
    "InvalidInputError",
    "InternalError",
    "WebhookSignatureError",
    "error_from_json",
    "invalid_input",
    "local_error",
]


class TrilletError(Exception):
    """A failed call. Catch this to catch every error of the package.

    Attributes mirror the shared error JSON: ``kind`` (``api``, ``timeout``, ``connect``, ``io``,
    ``decode``, ``invalid_input`` or ``panic``), ``code`` (the API's code when it sent one, else a
    stable code of ours such as ``missing_path_param``), ``message``, ``status`` (HTTP status of an
    API error), ``request_id``, ``retry_after`` (seconds) and ``body`` (the API's error body); and
    ``json``, the whole error object as a dict; ``meta``, the exchange's metadata, when the call
    was made through ``with_raw_response``.
    """

    kind: str
    code: str
    message: str
    status: Optional[int]
    request_id: Optional[str]
    retry_after: Optional[float]
    body: Any
    json: Dict[str, Any]
    #: The exchange's metadata (``trillet.ResponseMeta``: status, request id, attempts, elapsed)
    #: when the call was made through ``with_raw_response``; else ``None``.
    meta: Any = None

    def __init__(self, error_json: Mapping[str, Any]) -> None:
        inner = error_json.get("error")
        fields: Mapping[str, Any] = inner if isinstance(inner, Mapping) else {}
        self.json = {"error": dict(fields)}
        self.kind = str(fields.get("kind") or "panic")
        self.code = str(fields.get("code") or self.kind)
        self.message = str(fields.get("message") or "")
        status = fields.get("status")
        self.status = status if isinstance(status, int) and not isinstance(status, bool) else None
        request_id = fields.get("request_id")
        self.request_id = request_id if isinstance(request_id, str) else None
        retry_after = fields.get("retry_after")
        self.retry_after = (
            float(retry_after) if isinstance(retry_after, (int, float)) and not isinstance(retry_after, bool) else None
        )
        self.body = fields.get("body")
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = f"{self.kind}"
        if self.status is not None:
            head += f" {self.status}"
        head += f" ({self.code})"
        text = f"{head}: {self.message}" if self.message else head
        if self.request_id:
            text += f" [request {self.request_id}]"
        return text

    def __str__(self) -> str:
        return self._describe()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kind={self.kind!r}, code={self.code!r}, status={self.status!r}, message={self.message!r})"

    def __reduce__(self) -> Any:
        return (type(self), (self.json,))


class APIError(TrilletError):
    """The API answered with a non-2xx status (``kind`` ``api``); see ``status`` and ``code``."""


class BadRequestError(APIError):
    """400: the API refused the request as malformed (``code`` says why, e.g. ``invalid_number``)."""


class AuthenticationError(APIError):
    """401: the API key is missing or wrong."""


class PermissionDeniedError(APIError):
    """403: the key is valid but may not do this (or not in this workspace)."""


class NotFoundError(APIError):
    """404: the id does not exist (or is not visible to this workspace)."""


class ConflictError(APIError):
    """409: the request conflicts with the current state (e.g. a duplicate)."""


class UnprocessableEntityError(APIError):
    """422: the request was well-formed but its content was refused."""


class RateLimitError(APIError):
    """429: too many requests; ``retry_after`` says how long to wait when the API said so."""


class InternalServerError(APIError):
    """A 5xx status: the API failed (after the retries the client is allowed to make)."""


class APITimeoutError(TrilletError, builtins.TimeoutError):
    """The request did not complete within its deadline (``kind`` ``timeout``). Not retried.

    Also a builtin :class:`TimeoutError`; ``trillet.TimeoutError`` is the same class. Unlike the
    OpenAI SDK's, it is not a subclass of :class:`APIConnectionError`: a timed-out request may
    have reached the API, a connection error never did."""


class APIConnectionError(TrilletError, builtins.ConnectionError):
    """No connection could be made (``kind`` ``connect``); nothing was sent.

    Also a builtin :class:`ConnectionError`; ``trillet.ConnectionError`` is the same class."""


#: The name of :class:`APITimeoutError` before 0.2 (the same class).
TimeoutError = APITimeoutError
#: The name of :class:`APIConnectionError` before 0.2 (the same class).
ConnectionError = APIConnectionError


class TransportError(TrilletError, OSError):
    """The connection broke after the request may have been sent (``kind`` ``io``)."""


class DecodeError(TrilletError):
    """A 2xx response whose body is not valid JSON (``kind`` ``decode``); ``body`` holds a snippet."""


class InvalidInputError(TrilletError, ValueError):
    """Refused before anything was sent (``kind`` ``invalid_input``): a bad argument, an unknown
    operation, a missing path parameter, an invalid setting, ..."""


class RequestCancelledError(TrilletError):
    """The call was stopped before it completed (``kind`` ``cancelled``): by a cancel token
    through the C ABI, or because the client was closed while it ran. Never retried.

    ``code`` says whether the API may have acted on it: ``not_sent`` (nothing reached the API;
    sending it again is safe) or ``maybe_sent`` (it may have: for a POST such as
    ``calls.initiate``, check before sending it again)."""

    @property
    def maybe_sent(self) -> bool:
        """Whether the API may have acted on the request (``code`` ``maybe_sent``)."""
        return self.code != "not_sent"


class InternalError(TrilletError):
    """A bug inside the library was caught at its boundary (``kind`` ``panic``). Please report it."""


class WebhookSignatureError(InvalidInputError):
    """A webhook was refused: ``code`` names the check that failed (``missing_signature``,
    ``bad_signature``, ``timestamp_too_old``, ``timestamp_in_future``, ``unsupported_scheme``,
    ``invalid_payload``) or an unusable secret (``missing_secret``, ``invalid_secret``); the
    message carries a hint."""


_BY_KIND: Dict[str, Type[TrilletError]] = {
    "api": APIError,
    "timeout": APITimeoutError,
    "connect": APIConnectionError,
    "io": TransportError,
    "decode": DecodeError,
    "invalid_input": InvalidInputError,
    "cancelled": RequestCancelledError,
    "panic": InternalError,
}

_BY_STATUS: Dict[int, Type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class(kind: str, status: Optional[int]) -> Type[TrilletError]:
    """The exception class for an error ``kind`` (and HTTP ``status`` for API errors): one class
    per status family, :class:`InternalServerError` for any 5xx, plain :class:`APIError` for the
    other statuses."""
    if kind == "api" and status is not None:
        if status in _BY_STATUS:
            return _BY_STATUS[status]
        if status >= 500:
            return InternalServerError
    return _BY_KIND.get(kind, InternalError)


def error_from_json(status_kind: str, text: Optional[bytes]) -> TrilletError:
    """Builds the exception for an error JSON the library returned with a non-zero status.

    ``status_kind`` is the kind the status code names; it is used when the text is missing or
    unreadable (which would itself be a library bug).
    """
    parsed: Any = None
    if text is not None:
        try:
            parsed = _json.loads(text)
        except ValueError:
            parsed = None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("error"), dict):
        message = f"the library reported a {status_kind} error without a readable error JSON"
        parsed = _local_json("panic", "invalid_error_json", message)
    fields = parsed["error"]
    kind = fields.get("kind") if isinstance(fields.get("kind"), str) else status_kind
    status = fields.get("status") if isinstance(fields.get("status"), int) else None
    return error_class(kind, status)(parsed)


def _local_json(kind: str, code: str, message: str) -> Dict[str, Any]:
    return {
        "error": {
            "kind": kind,
            "code": code,
            "message": message,
            "status": None,
            "request_id": None,
            "retry_after": None,
            "body": None,
        }
    }


def local_error(kind: str, code: str, message: str) -> TrilletError:
    """An error of ``kind`` raised by the binding itself, in the shared shape."""
    return error_class(kind, None)(_local_json(kind, code, message))


_Invalid = TypeVar("_Invalid", bound=InvalidInputError)


def invalid_input(code: str, message: str, cls: Type[_Invalid] = InvalidInputError) -> _Invalid:  # type: ignore[assignment]
    """An ``invalid_input`` error raised by the binding itself, in the shared shape."""
    return cls(_local_json("invalid_input", code, message))
