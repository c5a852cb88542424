"""The client: settings and a connection pool in the Rust core, reached through the C ABI.

A :class:`Client` owns one ``TrilletClient`` handle. Every call turns its arguments into the
shared request JSON (``{"path", "query", "body", "files", "timeout_ms"}``), hands it to
``trillet_call`` with the operation id, and parses what comes back: the response body, or the
error JSON, raised as the matching :class:`~trillet.TrilletError` subclass. The binding never
builds a URL and never parses HTTP.
"""

from __future__ import annotations

import base64
import json
import os
import re
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

from . import _interrupt, _native
from ._checks import setting_millis
from ._errors import TrilletError, error_from_json, invalid_input, local_error
from ._names import camel
from ._resource import LazyNamespaces
from ._settings import ClientSettings
from ._raw import RawResponse, ResponseMeta
from ._types import FileInput, PathValue, Query

if TYPE_CHECKING:
    # What type checkers see: one typed attribute per namespace. At runtime the namespaces are
    # built on first access (LazyNamespaces), so importing trillet loads no generated namespace.
    from ._operations import RawResources as _RawNamespaces
    from ._operations import Resources as _Namespaces
else:
    _Namespaces = _RawNamespaces = LazyNamespaces

_get_ident = threading.get_ident
_USER_AGENT_SUFFIX = f"python/{sys.version_info.major}.{sys.version_info.minor}"
_TEMPLATE_PARAM = re.compile(r"\{([^{}]*)\}")


def _text(value: object, name: str) -> bytes:
    """A ``str`` argument as the NUL-terminated UTF-8 the C ABI takes."""
    if not isinstance(value, str):
        raise invalid_input("invalid_argument", f"`{name}` must be a str, not {type(value).__name__}")
    if "\x00" in value:
        raise invalid_input("invalid_argument", f"`{name}` must not contain a NUL character")
    try:
        return value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_input("invalid_utf8", f"`{name}` is not valid Unicode (it contains a lone surrogate)") from None


def _json_bytes(value: Any, what: str) -> bytes:
    """JSON text for the C ABI: compact, key order kept, no NaN, valid UTF-8."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as e:
        raise invalid_input("invalid_json", f"{what} cannot be sent as JSON: {e}") from None
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_input("invalid_utf8", f"{what} contains a string that is not valid Unicode") from None


def _file_wire(item: object) -> Dict[str, Any]:
    """One ``files`` entry of the request JSON from a path, bytes, a tuple, a file object or a dict."""
    if isinstance(item, Mapping):
        return dict(item)
    if isinstance(item, (str, os.PathLike)):
        path = os.fspath(item)
        return {"path": path if isinstance(path, str) else os.fsdecode(path)}
    if isinstance(item, (bytes, bytearray, memoryview)):
        return {"data_base64": base64.b64encode(bytes(item)).decode("ascii")}
    if isinstance(item, tuple) and len(item) in (2, 3):
        filename, data = item[0], item[1]
        if not isinstance(filename, str):
            raise invalid_input("invalid_file", "a file tuple is (filename: str, data: bytes[, content_type: str])")
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise invalid_input("invalid_file", "a file tuple's data must be bytes or str")
        wire: Dict[str, Any] = {"filename": filename, "data_base64": base64.b64encode(bytes(data)).decode("ascii")}
        if len(item) == 3:
            if not isinstance(item[2], str):
                raise invalid_input("invalid_file", "a file tuple's content type must be a str")
            wire["content_type"] = item[2]
        return wire
    read = getattr(item, "read", None)
    if callable(read):
        data = read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        if not isinstance(data, (bytes, bytearray)):
            raise invalid_input("invalid_file", "a file object must return bytes from read()")
        wire = {"data_base64": base64.b64encode(bytes(data)).decode("ascii")}
        name = getattr(item, "name", None)
        if isinstance(name, str) and name:
            wire["filename"] = os.path.basename(name)
        return wire
    raise invalid_input(
        "invalid_file",
        f"unsupported file {type(item).__name__}: give a path, bytes, (filename, bytes[, content_type]) or a binary file",
    )


def _path_params(names: Optional[Sequence[str]], path: Optional[Mapping[str, PathValue]]) -> Dict[str, Any]:
    """Path parameters under the template's names: snake_case keys are translated to camelCase."""
    out: Dict[str, Any] = {}
    if path is None:
        return out
    if not isinstance(path, Mapping):
        raise invalid_input("invalid_path_param", f"`path` must be a dict of path parameters, not {type(path).__name__}")
    for key, value in path.items():
        if not isinstance(key, str):
            raise invalid_input("invalid_path_param", "path parameter names must be str")
        if value is None:
            continue
        name = key
        if names is not None and key not in names and camel(key) in names:
            name = camel(key)
        if name in out and out[name] != value:
            raise invalid_input("conflicting_path_param", f"path parameter {name!r} was given twice with different values")
        out[name] = value
    return out


def _request_json(
    path: Dict[str, Any],
    query: Optional[Query],
    body: Any,
    files: Optional[Sequence[FileInput]],
    timeout: Optional[float],
) -> bytes:
    if query is None and body is None and files is None and timeout is None:
        fast = _path_only_json(path)
        if fast is not None:
            return fast
    req: Dict[str, Any] = {}
    if path:
        req["path"] = path
    if query is not None:
        if not isinstance(query, Mapping):
            raise invalid_input("invalid_query", f"`query` must be a dict, not {type(query).__name__}")
        req["query"] = dict(query)
    if body is not None:
        req["body"] = body
    if files is not None:
        if isinstance(files, (str, bytes, bytearray, memoryview, tuple, Mapping)) or not isinstance(files, Sequence):
            raise invalid_input("invalid_file", "`files` must be a list of files")
        if files:
            req["files"] = [_file_wire(f) for f in files]
    if timeout is not None:
        req["timeout_ms"] = setting_millis(timeout, "timeout")
    return _json_bytes(req, "the request") if req else b"{}"


def _path_only_json(path: Dict[str, Any]) -> Optional[bytes]:
    """The request JSON of the commonest call (string path parameters only, as in
    ``client.agents.get(id)``) without building and walking a dict for ``json.dumps``: the same
    bytes it would give. ``None`` when the slow path must decide (a non-str value, or text that
    is not valid Unicode, which it reports)."""
    if not path:
        return b"{}"
    parts: List[str] = []
    for key, value in path.items():
        if type(value) is not str:
            return None
        parts.append(f"{_encode_str(key)}:{_encode_str(value)}")
    try:
        return ('{"path":{' + ",".join(parts) + "}}").encode("utf-8")
    except UnicodeEncodeError:
        return None


_encode_str = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for a str

# Operation ids already checked and encoded by _text (the catalog's ids, at most): a call does not
# re-encode its operation id.
_OPERATION_BYTES: Dict[str, bytes] = {}


class _Catalog:
    """The path parameter names of every operation, read once from ``trillet_operations()``."""

    _params: Optional[Dict[str, List[str]]] = None
    _lock = threading.Lock()

    @classmethod
    def path_params(cls, operation: str) -> Optional[List[str]]:
        if cls._params is None:
            with cls._lock:
                if cls._params is None:
                    catalog = json.loads(_native.operations_json())
                    cls._params = {op["id"]: list(op["path_params"]) for op in catalog["operations"]}
        return cls._params.get(operation)


#: ``(status, result or error JSON, metadata JSON)`` of one native call.
NativeResult = Tuple[int, Optional[bytes], Optional[bytes]]
#: A native call given the client handle and a cancel token (``None``: not cancellable).
NativeCall = Callable[[int, Optional[int]], NativeResult]


def prepare_call(
    operation: str,
    path: Optional[Mapping[str, PathValue]],
    query: Optional[Query],
    body: Any,
    files: Optional[Sequence[FileInput]],
    timeout: Optional[float],
) -> Tuple[bytes, bytes]:
    """The operation id and request JSON of :meth:`Client.call` (shared by :class:`AsyncClient`)."""
    op = _OPERATION_BYTES.get(operation) if type(operation) is str else None
    if op is None:
        op = _text(operation, "operation")
        if len(_OPERATION_BYTES) < 1024:
            _OPERATION_BYTES[operation] = op
    params = _path_params(_Catalog.path_params(operation), path)
    return op, _request_json(params, query, body, files, timeout)


def prepare_request(
    method: str,
    path: str,
    path_params: Optional[Mapping[str, PathValue]],
    query: Optional[Query],
    body: Any,
    files: Optional[Sequence[FileInput]],
    timeout: Optional[float],
) -> Tuple[bytes, bytes, bytes]:
    """The method, path and request JSON of :meth:`Client.request`."""
    method_b = _text(method, "method")
    path_b = _text(path, "path")
    params = _path_params(_TEMPLATE_PARAM.findall(path), path_params)
    return method_b, path_b, _request_json(params, query, body, files, timeout)


def parse_result(status: int, text: Optional[bytes]) -> Any:
    """The parsed result of a native call, or its error raised as a :class:`TrilletError`."""
    if status != _native.TRILLET_OK:
        raise error_from_json(_native.STATUS_KINDS.get(status, "panic"), text)
    if text is None:
        raise local_error("panic", "null_result", "the library returned no result")
    try:
        return json.loads(text)
    except ValueError as e:
        raise local_error("decode", "invalid_response", f"the library returned invalid JSON: {e}") from None


def raw_response(status: int, text: Optional[bytes], meta_text: Optional[bytes]) -> RawResponse[Any]:
    """A :class:`RawResponse` of a native call made with metadata (its error carries ``meta``)."""
    meta = ResponseMeta.from_json(meta_text) or ResponseMeta(None, None, 0, 0)
    try:
        data = parse_result(status, text)
    except TrilletError as e:
        e.meta = meta
        raise
    return RawResponse(data, meta)


class Client(ClientSettings, _Namespaces):
    """A Trillet API client.

    ::

        import trillet
        with trillet.Client(api_key="sk_...", workspace_id="664a...") as client:
            agent = client.agents.create(body={"name": "Support"})
            client.agents.get(agent["_id"])

    The keyword arguments are the library's settings, one per row of its settings table (the
    keys of the C config JSON; ``timeout`` and ``connect_timeout`` in seconds), generated into
    ``ClientSettings.__init__`` with their docs. Every argument left as ``None`` falls back to the
    environment (``TRILLET_API_KEY``, ``TRILLET_WORKSPACE_ID``, ``TRILLET_BASE_URL``; skipped with
    ``ignore_env=True``) and then to the library's defaults (base URL ``https://api.trillet.ai``,
    60 s per request, 10 s to connect, 2 retries). The API key and proxy credentials are never
    shown in errors or ``repr``; a ``ca_bundle`` that cannot be read is an ``invalid_input`` error
    naming it.

    One client may be shared by many threads: calls release the GIL and run in parallel over one
    connection pool. Release it with :meth:`close` (or a ``with`` block); it is also released
    when garbage-collected.

    Ctrl-C (``KeyboardInterrupt``) during a call made on the main thread ends the request in the
    core at once (``trillet_cancel``) and propagates; see ``trillet/_interrupt.py``. For asyncio
    code use :class:`trillet.AsyncClient`.
    """

    def _open(self, config: Dict[str, Any]) -> None:
        self._handle: Optional[int] = None
        self._lock = threading.Lock()
        self._in_flight = 0
        self._closing = False
        base_url = config.get("base_url")
        self._base_url = base_url if isinstance(base_url, str) else None
        suffix = config.get("user_agent_suffix")
        config["user_agent_suffix"] = f"{_USER_AGENT_SUFFIX} {suffix}" if suffix else _USER_AGENT_SUFFIX
        handle, error = _native.client_new(_json_bytes(config, "the client configuration"))
        if handle is None:
            raise error_from_json("invalid_input", error)
        self._handle = handle
        self._raw: Optional[RawResponseClient] = None

    @property
    def with_raw_response(self) -> "RawResponseClient":
        """This client's calls, returning a :class:`trillet.RawResponse` — the result in ``.data``
        plus the exchange's ``.request_id``, ``.status_code``, ``.attempts`` and ``.elapsed_ms``::

            raw = client.with_raw_response.agents.get(agent_id)   # or client.agents.with_raw_response.get
            raw = client.with_raw_response.call("agents.list")

        A failed call raises as usual, with the metadata on the exception's ``meta``.
        """
        if self._raw is None:
            self._raw = RawResponseClient(self)
        return self._raw

    # -- calls -------------------------------------------------------------------------------

    def call(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Calls an operation by id (``"agents.create"``; see :func:`trillet.operations`).

        :param path: path parameters by their template names (``{"agentId": "..."}``); snake_case
            names (``agent_id``) are accepted too.
        :param query: query parameters.
        :param body: the JSON body (any JSON-serializable value; dict key order is kept).
        :param files: files for a multipart upload: paths, bytes, ``(filename, bytes[,
            content_type])`` tuples or open binary files.
        :param timeout: seconds allowed for this request (overrides the client's).
        :returns: the parsed JSON response (a ``str`` for a text response such as CSV).
        :raises TrilletError: the subclass matching the error kind.
        """
        op, req = prepare_call(operation, path, query, body, files, timeout)
        handle = self._acquire()
        try:
            if _get_ident() == _interrupt.MAIN_IDENT:
                status, text = _interrupt.call(handle, op, req)
            else:
                status, text = _native.call(handle, op, req)
        finally:
            self._release()
        return self._parse(status, text)

    def request(
        self,
        method: str,
        path: str,
        *,
        path_params: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """Sends a request to any method and path: the escape hatch for endpoints the catalog
        does not know yet. ``path`` starts with ``/`` and may be a template
        (``/v1/api/new/{id}``) filled from ``path_params``; the query goes in ``query``. Same
        headers, retries and errors as :meth:`call`.

        The answer's content-type decides what comes back, as for the typed operations: JSON
        parsed, ``text/*`` (a CSV export) as a ``str``, anything else (audio) as the dict
        ``{"content_type", "filename", "size", "data_base64"}`` that ``recordings.get`` returns.
        """
        method_b, path_b, req = prepare_request(method, path, path_params, query, body, files, timeout)
        status, text, _ = self._run(lambda handle, token: _native.request_ex(handle, method_b, path_b, req, token, False))
        return self._parse(status, text)

    def _call_raw(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> RawResponse[Any]:
        op, req = prepare_call(operation, path, query, body, files, timeout)
        return raw_response(*self._run(lambda handle, token: _native.call_ex(handle, op, req, token, True)))

    def _run(self, native_call: NativeCall) -> NativeResult:
        """``native_call(handle, token)``: with a token Ctrl-C cancels on the main thread, with
        none (``NULL``) on other threads."""
        handle = self._acquire()
        try:
            if _get_ident() == _interrupt.MAIN_IDENT:
                return _interrupt.run_interruptible(lambda token: native_call(handle, token))
            return native_call(handle, None)
        finally:
            self._release()

    _parse = staticmethod(parse_result)

    # -- lifetime ----------------------------------------------------------------------------

    def _acquire(self) -> int:
        with self._lock:
            if self._handle is None or self._closing:
                raise invalid_input("client_closed", "this client has been closed")
            self._in_flight += 1
            return self._handle

    def _release(self) -> None:
        with self._lock:
            self._in_flight -= 1
            if self._closing and self._in_flight == 0:
                self._free_locked()

    def _free_locked(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            _native.client_free(handle)

    def close(self) -> None:
        """Releases the client's handle and connections. Safe to call more than once. Calls
        still running in other threads are ended at once: each raises
        :class:`~trillet.RequestCancelledError` (``code`` ``not_sent`` or ``maybe_sent``), and
        the handle is freed when the last of them has returned. Later calls raise
        :class:`~trillet.InvalidInputError` (code ``client_closed``)."""
        lock = getattr(self, "_lock", None)
        if lock is None:
            return
        with lock:
            self._closing = True
            if self._in_flight == 0:
                self._free_locked()
            elif self._handle is not None:
                # Thread-safe against the calls in flight; the handle stays valid until the
                # last of them releases it.
                _native.client_close(self._handle)

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._closing or self._handle is None

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer (e.g. at interpreter exit)
            pass

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        where = f" base_url={self._base_url!r}" if self._base_url else ""
        return f"<trillet.Client{where} {state}>"


class RawResponseClient(_RawNamespaces):
    """A view of a :class:`Client` whose calls return :class:`trillet.RawResponse` (see
    :attr:`Client.with_raw_response`). It shares the client's handle and lifetime."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def call(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> RawResponse[Any]:
        """:meth:`Client.call`, returning the result with the exchange's metadata."""
        return self._client._call_raw(operation, path=path, query=query, body=body, files=files, timeout=timeout)

    def __repr__(self) -> str:
        return f"<trillet.RawResponseClient of {self._client!r}>"
