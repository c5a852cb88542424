"""A raw HTTP/1.1 server on loopback for the tests that must see what the client did to its
connections: how many it opened, how many it closed, how many requests were in flight at once.

It runs an asyncio loop on a thread of its own. ``delay=None`` never answers (the request waits
until the client gives up); otherwise each request is answered after ``delay`` seconds with
``respond(request_head)`` (default: a small agent), keep-alive.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any, Callable, Optional

AGENT = {"_id": "665a1b2c3d4e5f6a7b8c9d0e", "name": "Raw"}


def default_respond(head: bytes) -> Any:
    return AGENT


class RawServer:
    def __init__(self, delay: Optional[float] = None, respond: Callable[[bytes], Any] = default_respond) -> None:
        self.delay = delay
        self.respond = respond
        self.accepted = 0
        self.closed = 0
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.heads: list[bytes] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rawserver", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        self.url = f"http://127.0.0.1:{self.port}"

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", 0, backlog=1024))
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        self._ready.set()
        self._loop.run_forever()
        server.close()
        self._loop.run_until_complete(server.wait_closed())
        self._loop.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with self._lock:
            self.accepted += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                if length:
                    await reader.readexactly(length)
                with self._lock:
                    self.requests += 1
                    self.heads.append(head)
                    self.in_flight += 1
                    self.max_in_flight = max(self.max_in_flight, self.in_flight)
                try:
                    if self.delay is None:
                        await reader.read(1)  # never answers: returns at the client's close
                        return
                    await asyncio.sleep(self.delay)
                finally:
                    with self._lock:
                        self.in_flight -= 1
                body = json.dumps(self.respond(head)).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req_raw\r\n"
                    + b"content-length: %d\r\n\r\n" % len(body)
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            with self._lock:
                self.closed += 1
            writer.close()

    def wait_for(self, what: Callable[[], bool], seconds: float = 20.0) -> bool:
        """Polls ``what`` until it holds or ``seconds`` passed; returns its last value."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if what():
                return True
            time.sleep(0.01)
        return what()

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
