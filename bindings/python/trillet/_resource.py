"""The base class of the generated resource namespaces (``client.agents``, ``client.calls``, ...)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Protocol, Sequence, TypeVar

from ._errors import invalid_input
from ._types import FileInput, PathValue, Query


class Caller(Protocol):
    """What a namespace needs from its client: :meth:`trillet.Client.call`."""

    def call(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any: ...


def param(
    snake_name: str, snake_value: Optional[PathValue], camel_name: str, camel_value: Optional[PathValue]
) -> Optional[PathValue]:
    """One path parameter given positionally / in snake_case, or in camelCase (not both, unless equal)."""
    if snake_value is not None and camel_value is not None and snake_value != camel_value:
        raise invalid_input(
            "conflicting_path_param",
            f"path parameter {camel_name!r} was given twice with different values ({snake_name} and {camel_name})",
        )
    return snake_value if snake_value is not None else camel_value


def merge_body(body: Any, fields: Mapping[str, Any]) -> Any:
    """The body of a call: ``body`` with the keyword fields that were given (not ``None``) added.
    A field given both ways must have the same value."""
    given = {k: v for k, v in fields.items() if v is not None}
    if not given:
        return body
    if body is None:
        return given
    if not isinstance(body, Mapping):
        raise invalid_input("invalid_body", "body fields given as keyword arguments need a dict `body` (or none)")
    merged = dict(body)
    for key, value in given.items():
        if key in merged and merged[key] != value:
            raise invalid_input(
                "conflicting_body_field", f"body field {key!r} was given twice with different values (body= and keyword)"
            )
        merged[key] = value
    return merged


R = TypeVar("R", bound="Resource")


class Resource:
    """A namespace of operations of one resource. Its methods are generated from the catalog."""

    __slots__ = ("_client",)

    #: The resource name in operation ids (``agents``).
    resource: str = ""

    def __init__(self, client: Caller) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<trillet resource {self.resource}>"

    def _raw_view(self: R) -> R:
        """The same namespace bound to the client's ``with_raw_response`` view, whose methods
        return a :class:`trillet.RawResponse` (each generated class's ``with_raw_response``)::

            raw = client.agents.with_raw_response.get(agent_id)
            print(raw.request_id, raw.attempts, raw.data["name"])
        """
        raw = getattr(self._client, "with_raw_response", None)
        if raw is None:  # already a raw view
            return self
        return type(self)(raw)

    def _call(
        self,
        operation: str,
        path: Optional[Mapping[str, Optional[PathValue]]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        file: Optional[FileInput] = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        given: Dict[str, PathValue] = {k: v for k, v in (path or {}).items() if v is not None}
        parts: List[FileInput] = [] if file is None else [file]
        if files is not None:
            if isinstance(files, (str, bytes, bytearray, memoryview, tuple)) or isinstance(files, Mapping):
                raise invalid_input("invalid_file", "`files` must be a list of files (use `file=` for one file)")
            parts.extend(files)
        return self._client.call(
            operation, path=given or None, query=query, body=body, files=parts or None, timeout=timeout
        )
