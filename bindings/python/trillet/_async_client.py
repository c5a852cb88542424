"""The asyncio client: the same core calls as :class:`trillet.Client`, on threads the client owns.

``await client.agents.get(agent_id)`` builds the request exactly as the sync client does
(``prepare_call``), then runs the blocking native call (``trillet_call_ex``, which releases the
GIL) on a worker of a bounded thread pool owned by the client, and wakes the awaiting task with
``loop.call_soon_threadsafe`` when it returns. The event loop never blocks on the network.

Cancellation (``task.cancel()``, ``asyncio.timeout``, ``asyncio.wait_for``, ``TaskGroup``, leaving
``async with client``): each call has its own core cancel token. When the awaiting task is
cancelled, the call still waiting for a thread is dropped (nothing was sent); a call already
running gets ``trillet_cancel`` and the task waits — absorbing further cancellations — until the
core call has returned, so no thread keeps working for a task that is gone. Only then is
``asyncio.CancelledError`` raised, with ``__cause__`` set to the call's
:class:`trillet.RequestCancelledError` (``.code`` ``"not_sent"``: nothing reached the API;
``"maybe_sent"``: it may have acted). ``asyncio.timeout`` turns that ``CancelledError`` into
``TimeoutError``, whose ``__cause__`` is the ``CancelledError``: the outcome is
``err.__cause__.__cause__``. When the core call had already completed as the cancel came, the
result is dropped and ``__cause__`` is ``None`` (or the call's own error).
"""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Sequence, Set

from . import _native
from ._client import NativeCall, NativeResult, Client, parse_result, prepare_call, prepare_request, raw_response
from ._errors import TrilletError, error_from_json, invalid_input
from ._raw import RawResponse
from ._settings import AsyncClientSettings
from ._resource import LazyNamespaces
from ._types import FileInput, PathValue, Query

if TYPE_CHECKING:
    # Typed attributes for type checkers; built on first access at runtime (LazyNamespaces).
    from ._async_operations import AsyncRawResources as _RawNamespaces
    from ._async_operations import AsyncResources as _Namespaces
else:

    class _Namespaces(LazyNamespaces):
        _namespace_module = "_async_operations"

    _RawNamespaces = _Namespaces

#: Threads (so calls in flight) per :class:`AsyncClient` unless ``max_concurrency`` says otherwise:
#: dozens of calls at once, a burst of 200 calls against a 20 ms server in 0.15 s, level with
#: aiohttp limited to as many connections, on 39 MB (measured in scripts/bench: pool sizes 16, 32,
#: 64 and 256 side by side; more threads buy less time per burst for more memory).
DEFAULT_MAX_CONCURRENCY = 32

_PENDING: Any = object()


class _Job:
    """One native call handed to a worker, and its way back to the loop."""

    __slots__ = ("token", "lock", "finished", "loop", "waiter", "result", "native_call", "handle", "release")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        native_call: NativeCall,
        handle: int,
        token: int,
        release: Callable[[], None],
    ) -> None:
        self.loop = loop
        self.native_call = native_call
        self.handle = handle
        self.token = token
        self.release = release
        self.lock = threading.Lock()
        self.finished = False
        self.result: Any = _PENDING
        self.waiter: "asyncio.Future[None]" = loop.create_future()

    def run(self) -> None:
        """On a worker thread: the native call, then the token and handle released, then the
        awaiting task woken."""
        try:
            result: Any = self.native_call(self.handle, self.token)
        except BaseException as e:  # noqa: BLE001 - handed to the awaiting task
            result = e
        self.end()
        try:
            self.loop.call_soon_threadsafe(self._wake, result)
        except RuntimeError:  # the loop was closed while the call ran: nobody is waiting
            pass

    def end(self) -> None:
        with self.lock:
            self.finished = True
            token, self.token = self.token, 0
        _native.cancel_free(token)
        self.release()

    def cancel(self) -> None:
        """Any time, on the loop: ``trillet_cancel`` unless the call already returned."""
        with self.lock:
            if not self.finished:
                _native.cancel(self.token)

    def _wake(self, result: Any) -> None:
        self.result = result
        if not self.waiter.done():
            self.waiter.set_result(None)


class AsyncClient(AsyncClientSettings, _Namespaces):
    """A Trillet API client for asyncio: ``trillet.Client``'s settings, namespaces, methods,
    types and errors, with every call awaitable.

    ::

        import trillet

        async with trillet.AsyncClient() as client:           # TRILLET_API_KEY, ... from the env
            agent = await client.agents.get(agent_id)
            raw = await client.with_raw_response.agents.get(agent_id)
            async for record in client.call_history.list_all(limit=100):
                ...

    Each call runs the blocking core call on a thread of a pool this client owns (at most
    ``max_concurrency`` threads, created as needed; more calls wait for a thread without
    blocking the loop), not on asyncio's default executor. Works on any asyncio loop, uvloop
    included.

    Cancelling a call's task (``task.cancel()``, ``asyncio.timeout``, ``asyncio.wait_for``) ends
    the request in the core; ``CancelledError`` is raised only once the core call has ended,
    with the :class:`trillet.RequestCancelledError` (``code`` ``not_sent`` or ``maybe_sent``) as
    its ``__cause__`` (see ``trillet/_async_client.py``).

    ``await client.close()`` (or leaving ``async with``) ends the calls in flight (each raises
    :class:`trillet.RequestCancelledError`), waits for them and stops the threads; a closed
    client raises :class:`trillet.InvalidInputError` (code ``client_closed``). A client never
    closed releases its threads when garbage-collected.
    """

    def _open(self, config: Dict[str, Any], max_concurrency: Optional[int]) -> None:
        self._pool: Optional[ThreadPoolExecutor] = None
        if max_concurrency is not None and max_concurrency < 1:
            raise invalid_input("invalid_config", "max_concurrency must be at least 1")
        #: The number of calls that run at once (threads of the pool, at most).
        self.max_concurrency: int = max_concurrency or DEFAULT_MAX_CONCURRENCY
        # One pipeline: the sync client's handle, lifetime and close semantics, unchanged.
        self._sync = Client.__new__(Client)
        self._sync._open(config)
        self._pool = ThreadPoolExecutor(self.max_concurrency, thread_name_prefix="trillet-async")
        self._jobs: Set[_Job] = set()
        self._raw: Optional[AsyncRawResponseClient] = None

    @property
    def with_raw_response(self) -> "AsyncRawResponseClient":
        """This client's calls, returning a :class:`trillet.RawResponse` (as
        :attr:`trillet.Client.with_raw_response`)::

            raw = await client.with_raw_response.agents.get(agent_id)   # or client.agents.with_raw_response.get
            print(raw.request_id, raw.attempts, raw.data["name"])
        """
        if self._raw is None:
            self._raw = AsyncRawResponseClient(self)
        return self._raw

    # -- calls -------------------------------------------------------------------------------

    async def call(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> Any:
        """:meth:`trillet.Client.call`, awaitable: calls an operation by id (``"agents.get"``)."""
        op, req = prepare_call(operation, path, query, body, files, timeout)
        status, text, _ = await self._run(lambda handle, token: _native.call_ex(handle, op, req, token, False))
        return parse_result(status, text)

    async def request(
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
        """:meth:`trillet.Client.request`, awaitable: any method and path (the escape hatch)."""
        method_b, path_b, req = prepare_request(method, path, path_params, query, body, files, timeout)
        status, text, _ = await self._run(
            lambda handle, token: _native.request_ex(handle, method_b, path_b, req, token, False)
        )
        return parse_result(status, text)

    async def _call_raw(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> RawResponse[Any]:
        op, req = prepare_call(operation, path, query, body, files, timeout)
        return raw_response(*await self._run(lambda handle, token: _native.call_ex(handle, op, req, token, True)))

    async def _run(self, native_call: NativeCall) -> NativeResult:
        loop = asyncio.get_running_loop()
        sync = self._sync
        handle = sync._acquire()  # raises client_closed
        token = _native.cancel_new()
        if not token:
            sync._release()
            raise invalid_input("cancel_token", "the library could not create a cancel token")
        job = _Job(loop, native_call, handle, token, sync._release)
        pool = self._pool
        try:
            if pool is None:
                raise RuntimeError("closed")
            submitted = pool.submit(job.run)
        except RuntimeError:  # the pool was shut down by close() since _acquire
            job.end()
            raise invalid_input("client_closed", "this client has been closed") from None
        jobs = self._jobs
        jobs.add(job)
        try:
            await job.waiter
        except asyncio.CancelledError as cancelled:
            if submitted.cancel():  # still waiting for a thread: never started, nothing sent
                job.end()
                raise cancelled from error_from_json(
                    "cancelled",
                    b'{"error":{"kind":"cancelled","code":"not_sent","message":'
                    b'"the call was cancelled before it started"}}',
                )
            job.cancel()
            while job.result is _PENDING:  # the core call ends promptly; wait for it, whatever comes
                job.waiter = loop.create_future()
                try:
                    await job.waiter
                except asyncio.CancelledError:
                    continue
            raise cancelled from self._outcome(job.result)
        finally:
            jobs.discard(job)
        result: Any = job.result
        if isinstance(result, BaseException):
            raise result
        return result  # type: ignore[no-any-return]

    @staticmethod
    def _outcome(result: Any) -> Optional[BaseException]:
        """What the core call of a cancelled task came to, as the ``__cause__`` of its
        ``CancelledError``: its error (``RequestCancelledError`` when the cancel cut it short),
        or ``None`` when it had completed."""
        if isinstance(result, BaseException):
            return result
        try:
            parse_result(result[0], result[1])
        except TrilletError as e:
            return e
        return None

    # -- lifetime ----------------------------------------------------------------------------

    async def close(self) -> None:
        """Ends the calls in flight (each raises :class:`trillet.RequestCancelledError`, code
        ``not_sent`` or ``maybe_sent``), waits until they have returned, and stops the pool's
        threads. Safe to call more than once. Later calls raise
        :class:`trillet.InvalidInputError` (code ``client_closed``)."""
        sync = getattr(self, "_sync", None)
        if sync is None:
            return
        sync.close()  # never blocks: cancels the calls in flight
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False)  # calls still queued run, and fail at once (not_sent)
        # Wait for calls still on their way back (each wakes its own task; we only watch). Calls
        # awaited on another event loop (another thread's) are polled instead.
        loop = asyncio.get_running_loop()
        while self._jobs:
            jobs = list(self._jobs)
            pending = [job.waiter for job in jobs if job.loop is loop and not job.waiter.done()]
            if pending and len(pending) == len(jobs):
                await asyncio.wait(pending)
            else:
                await asyncio.sleep(0.005 if len(pending) < len(jobs) else 0)
        if pool is not None:
            pool.shutdown(wait=True)  # every call has returned: the threads are only exiting

    @property
    def closed(self) -> bool:
        """Whether :meth:`close` has been called."""
        return self._sync.closed

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def __del__(self) -> None:
        # Never closed: the native client is released and the threads exit (the pool's idle
        # workers wake and stop); nothing here blocks.
        try:
            pool = getattr(self, "_pool", None)
            if pool is not None:
                self._pool = None
                pool.shutdown(wait=False)
            sync = getattr(self, "_sync", None)
            if sync is not None:
                sync.close()
        except Exception:  # noqa: BLE001 - never raise from a finalizer (e.g. at interpreter exit)
            pass

    def __repr__(self) -> str:
        sync = getattr(self, "_sync", None)
        state = "closed" if sync is None or sync.closed else "open"
        where = f" base_url={sync._base_url!r}" if sync is not None and sync._base_url else ""
        return f"<trillet.AsyncClient{where} max_concurrency={getattr(self, 'max_concurrency', None)} {state}>"


class AsyncRawResponseClient(_RawNamespaces):
    """A view of an :class:`AsyncClient` whose calls return :class:`trillet.RawResponse` (see
    :attr:`AsyncClient.with_raw_response`). It shares the client's handle, pool and lifetime."""

    def __init__(self, client: AsyncClient) -> None:
        self._client = client

    async def call(
        self,
        operation: str,
        path: Optional[Mapping[str, PathValue]] = None,
        query: Optional[Query] = None,
        body: Any = None,
        files: Optional[Sequence[FileInput]] = None,
        timeout: Optional[float] = None,
    ) -> RawResponse[Any]:
        """:meth:`AsyncClient.call`, returning the result with the exchange's metadata."""
        return await self._client._call_raw(operation, path=path, query=query, body=body, files=files, timeout=timeout)

    def __repr__(self) -> str:
        return f"<trillet.AsyncRawResponseClient of {self._client!r}>"
