"""The base classes of the generated resource namespaces (``client.agents``, ``client.calls``, ...):
:class:`Resource` for :class:`trillet.Client`, :class:`AsyncResource` for :class:`trillet.AsyncClient`.
Both build the same call (:func:`call_arguments`) and read list answers the same way (:func:`read_page`)."""

from __future__ import annotations

from typing import Any, AsyncIterator, Dict, Iterator, List, Mapping, Optional, Protocol, Sequence, Tuple, TypeVar

from ._errors import invalid_input
from ._page import ListPage
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


class AsyncCaller(Protocol):
    """What an async namespace needs from its client: :meth:`trillet.AsyncClient.call`."""

    async def call(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any: ...


#: How many namespace objects :class:`LazyNamespaces` has built in this process (tests count them).
namespaces_built = 0


class LazyNamespaces:
    """The runtime base of the clients (and their ``with_raw_response`` views): a resource
    namespace (``client.agents``) is built the first time it is read, from the generated module
    named by ``_namespace_module``, and kept in the instance's ``__dict__`` (later reads are plain
    attribute reads). So ``import trillet`` loads neither generated module and a client builds
    only the namespaces it uses. Type checkers see the generated ``Resources`` classes instead."""

    #: ``"_operations"`` or ``"_async_operations"``.
    _namespace_module = "_operations"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        import importlib

        module = importlib.import_module(f"{__package__}.{self._namespace_module}")
        cls = module.RESOURCE_CLASSES.get(name)
        if cls is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        namespace = cls(self)
        global namespaces_built
        namespaces_built += 1
        self.__dict__[name] = namespace
        return namespace

    def __dir__(self) -> List[str]:
        import importlib

        module = importlib.import_module(f"{__package__}.{self._namespace_module}")
        return sorted(set(super().__dir__()) | set(module.RESOURCE_CLASSES))


def merge_body(body: Any, fields: Mapping[str, Any], extra_body: Optional[Mapping[str, Any]] = None) -> Any:
    """The body of a call: ``body`` with the keyword fields that were given (not ``None``) and
    ``extra_body``'s fields added. A field given two ways must have the same value."""
    given = {k: v for k, v in fields.items() if v is not None}
    for key, value in (extra_body or {}).items():
        if key in given and given[key] != value:
            raise invalid_input(
                "conflicting_body_field", f"body field {key!r} was given twice with different values (extra_body= and keyword)"
            )
        given[key] = value
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


#: The keys under which a list answer may carry its items, in the order they are looked for
#: (the core's ``models::ENVELOPE_KEYS``).
ENVELOPE_KEYS = (
    "data", "items", "results", "calls", "phoneNumbers", "numbers", "agents", "flows", "folders",
    "conversations", "knowledgeBases", "workspaces", "voices", "records", "callHistory", "callHistories",
)  # fmt: skip


def read_page(answer: Any) -> ListPage[Any]:
    """The items of one page of a list answer, whichever shape it came in (a bare array, an
    envelope, one object, ``null``), as a :class:`trillet.ListPage` carrying the envelope's
    ``pagination`` and whether the server says a next page exists (``pagination.hasNext`` or a
    top-level ``hasNext``; ``None`` when it does not say). The core's ``models::List`` reads
    answers the same way."""
    if answer is None:
        return ListPage()
    if isinstance(answer, list):
        return ListPage(answer)
    if isinstance(answer, dict):
        for key in ENVELOPE_KEYS:
            items = answer.get(key)
            if isinstance(items, list):
                pagination = answer.get("pagination")
                has_next = pagination.get("hasNext") if isinstance(pagination, dict) else None
                if not isinstance(has_next, bool):
                    has_next = answer.get("hasNext")
                meta: Any = pagination if isinstance(pagination, dict) else None
                return ListPage(items, pagination=meta, has_next=has_next if isinstance(has_next, bool) else None)
        return ListPage([answer])
    raise invalid_input("invalid_response", f"expected a list answer, got {type(answer).__name__}")


def page_items(answer: Any) -> Tuple[List[Any], Optional[bool]]:
    """The items of one page of a list answer and whether a next page exists (see :func:`read_page`)."""
    page = read_page(answer)
    return page, page.has_next


def as_list(answer: Any) -> Any:
    """A list operation's answer as a :class:`trillet.ListPage`; through a ``with_raw_response``
    view, the same :class:`trillet.RawResponse` with its ``data`` read that way."""
    if type(answer).__name__ == "RawResponse":
        answer.data = read_page(answer.data)
        return answer
    return read_page(answer)


def _last_page(items: List[Any], has_next: Optional[bool], limit: int) -> bool:
    """Whether the iteration stops after this page (the rule of the core's ``ListAll``)."""
    if not items:
        return True
    if has_next is not None:
        return not has_next
    return len(items) < limit


def _page_query(query: Optional[Query], page: int, limit: int) -> Dict[str, Any]:
    if query is not None and not isinstance(query, Mapping):
        raise invalid_input("invalid_query", f"`query` must be a dict, not {type(query).__name__}")
    merged: Dict[str, Any] = dict(query or {})
    merged["page"] = page
    merged["limit"] = limit
    return merged


def _check_limit(limit: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise invalid_input("invalid_input", "limit must be an int of at least 1")


def _data(answer: Any) -> Any:
    """The result of a call made through a ``with_raw_response`` view, or the plain result."""
    return getattr(answer, "data", answer) if type(answer).__name__ == "RawResponse" else answer


def call_arguments(
    path: Optional[Mapping[str, Optional[PathValue]]],
    file: Optional[FileInput],
    files: Optional[Sequence[FileInput]],
) -> Tuple[Optional[Dict[str, PathValue]], Optional[List[FileInput]]]:
    """The path parameters that were given and the files of a generated method's call."""
    given: Dict[str, PathValue] = {k: v for k, v in (path or {}).items() if v is not None}
    parts: List[FileInput] = [] if file is None else [file]
    if files is not None:
        if isinstance(files, (str, bytes, bytearray, memoryview, tuple)) or isinstance(files, Mapping):
            raise invalid_input("invalid_file", "`files` must be a list of files (use `file=` for one file)")
        parts.extend(files)
    return given or None, parts or None


R = TypeVar("R", bound="Resource")
AR = TypeVar("AR", bound="AsyncResource")


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
        # call_arguments, inline: this is every sync call's path.
        given: Dict[str, PathValue] = {k: v for k, v in (path or {}).items() if v is not None}
        parts: List[FileInput] = [] if file is None else [file]
        if files is not None:
            if isinstance(files, (str, bytes, bytearray, memoryview, tuple)) or isinstance(files, Mapping):
                raise invalid_input("invalid_file", "`files` must be a list of files (use `file=` for one file)")
            parts.extend(files)
        return self._client.call(
            operation, path=given or None, query=query, body=body, files=parts or None, timeout=timeout
        )

    def _list_all(
        self,
        operation: str,
        path: Optional[Mapping[str, Optional[PathValue]]] = None,
        limit: int = 100,
        query: Optional[Query] = None,
        timeout: Optional[float] = None,
    ) -> Iterator[Any]:
        _check_limit(limit)
        given, _ = call_arguments(path, None, None)

        def pages() -> Iterator[Any]:
            page = 1
            while True:
                answer = _data(self._client.call(operation, path=given, query=_page_query(query, page, limit), timeout=timeout))
                items, has_next = page_items(answer)
                yield from items
                if _last_page(items, has_next, limit):
                    return
                page += 1

        return pages()


class AsyncResource:
    """A namespace of operations of one resource of an :class:`trillet.AsyncClient`: the methods
    of :class:`Resource`, generated as coroutines."""

    __slots__ = ("_client",)

    #: The resource name in operation ids (``agents``).
    resource: str = ""

    def __init__(self, client: AsyncCaller) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<trillet async resource {self.resource}>"

    def _raw_view(self: AR) -> AR:
        """The same namespace bound to the client's ``with_raw_response`` view."""
        raw = getattr(self._client, "with_raw_response", None)
        if raw is None:  # already a raw view
            return self
        return type(self)(raw)

    async def _call(
        self,
        operation: str,
        path: Optional[Mapping[str, Optional[PathValue]]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        file: Optional[FileInput] = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        given, parts = call_arguments(path, file, files)
        return await self._client.call(operation, path=given, query=query, body=body, files=parts, timeout=timeout)

    def _list_all(
        self,
        operation: str,
        path: Optional[Mapping[str, Optional[PathValue]]] = None,
        limit: int = 100,
        query: Optional[Query] = None,
        timeout: Optional[float] = None,
    ) -> AsyncIterator[Any]:
        _check_limit(limit)
        given, _ = call_arguments(path, None, None)

        async def pages() -> AsyncIterator[Any]:
            page = 1
            while True:
                answer = _data(
                    await self._client.call(operation, path=given, query=_page_query(query, page, limit), timeout=timeout)
                )
                items, has_next = page_items(answer)
                for item in items:
                    yield item
                if _last_page(items, has_next, limit):
                    return
                page += 1

        return pages()
