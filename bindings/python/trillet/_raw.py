"""Response metadata: what an exchange took (status, request id, attempts, elapsed time).

``client.agents.with_raw_response.get(agent_id)`` (the shape OpenAI's SDK uses) and
``client.with_raw_response.call(...)`` return a :class:`RawResponse`: the parsed result in
``data`` (or :meth:`RawResponse.parse`) plus the exchange's metadata. A failed call made that way
raises as usual, with the metadata on the exception's ``meta``. The metadata comes from the
library's ``trillet_call_with_meta``, in the same native call as the result.
"""

from __future__ import annotations

import json
from typing import Any, Generic, Optional, Tuple, TypeVar

__all__ = ["ResponseMeta", "RawResponse"]

T = TypeVar("T")


class ResponseMeta:
    """What one exchange took (immutable; equal when every field is).

    :ivar status: the HTTP status of the last response (``None`` when no response arrived).
    :ivar request_id: the ``x-request-id`` of the last response, when it had one.
    :ivar attempts: attempts sent (``0`` when the request was refused before sending).
    :ivar elapsed_ms: milliseconds from the call's start to its end, retries included.
    """

    # A plain class rather than a frozen dataclass: importing dataclasses (inspect, ast, dis)
    # would be a third of ``import trillet``.
    __slots__ = ("status", "request_id", "attempts", "elapsed_ms")

    status: Optional[int]
    request_id: Optional[str]
    attempts: int
    elapsed_ms: int

    def __init__(self, status: Optional[int], request_id: Optional[str], attempts: int, elapsed_ms: int) -> None:
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "request_id", request_id)
        object.__setattr__(self, "attempts", attempts)
        object.__setattr__(self, "elapsed_ms", elapsed_ms)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"ResponseMeta is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ResponseMeta is immutable: cannot delete {name!r}")

    def _fields(self) -> Tuple[Optional[int], Optional[str], int, int]:
        return (self.status, self.request_id, self.attempts, self.elapsed_ms)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResponseMeta):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return (
            f"ResponseMeta(status={self.status!r}, request_id={self.request_id!r}, "
            f"attempts={self.attempts!r}, elapsed_ms={self.elapsed_ms!r})"
        )

    @property
    def elapsed(self) -> float:
        """:attr:`elapsed_ms` in seconds."""
        return self.elapsed_ms / 1000.0

    @classmethod
    def from_json(cls, text: Optional[bytes]) -> Optional["ResponseMeta"]:
        """Reads the library's metadata JSON; ``None`` when there is none or it does not parse."""
        if not text:
            return None
        try:
            raw = json.loads(text)
        except ValueError:
            return None
        if not isinstance(raw, dict):
            return None

        def whole(value: Any) -> Optional[int]:
            return value if isinstance(value, int) and not isinstance(value, bool) else None

        request_id = raw.get("request_id")
        return cls(
            status=whole(raw.get("status")),
            request_id=request_id if isinstance(request_id, str) else None,
            attempts=whole(raw.get("attempts")) or 0,
            elapsed_ms=whole(raw.get("elapsed_ms")) or 0,
        )


class RawResponse(Generic[T]):
    """A successful result with the metadata of its exchange."""

    __slots__ = ("data", "meta")

    def __init__(self, data: T, meta: ResponseMeta) -> None:
        #: The parsed result (what the plain method returns).
        self.data = data
        #: The exchange's metadata.
        self.meta = meta

    def parse(self) -> T:
        """The parsed result (OpenAI's ``with_raw_response`` spelling)."""
        return self.data

    @property
    def status_code(self) -> Optional[int]:
        """The HTTP status."""
        return self.meta.status

    @property
    def request_id(self) -> Optional[str]:
        """The ``x-request-id`` header, when the API sent one."""
        return self.meta.request_id

    @property
    def attempts(self) -> int:
        """Attempts made, the successful one included."""
        return self.meta.attempts

    @property
    def elapsed_ms(self) -> int:
        """Milliseconds the call took, retries included."""
        return self.meta.elapsed_ms

    def __repr__(self) -> str:
        m = self.meta
        return f"<trillet.RawResponse status={m.status} request_id={m.request_id!r} attempts={m.attempts} elapsed_ms={m.elapsed_ms}>"
