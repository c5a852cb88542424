"""Ctrl-C during a blocking call of the sync client: ``KeyboardInterrupt`` ends the request.

A signal reaches Python code only between bytecodes of the main thread, so while the main thread
waits inside the native call (the GIL released), ``KeyboardInterrupt`` cannot be raised until the
call returns — which may take the whole request timeout. This module closes that gap with the
core's cancel tokens, and only the main thread pays for it:

* once, on the first call made on the main thread while SIGINT has Python's default handler, a
  non-blocking pipe is registered with :func:`signal.set_wakeup_fd` (the C-level signal handler
  writes the signal's number there, whatever the main thread is doing) and a daemon helper thread
  starts reading it;
* each main-thread call runs with a cancel token published in :data:`_current`; when the helper
  reads ``SIGINT`` it cancels that token, the core call returns ``cancelled`` at once from
  wherever it waited, and Python's own handler then raises ``KeyboardInterrupt`` in the main thread
  as the native call returns.

Calls on other threads use the plain ``trillet_call`` (no token, no lock), as before. On the main
thread a call costs one uncontended lock more: the token is kept for the next call unless it was
cancelled (it is unpublished under the lock before being reused, so a late SIGINT can never reach
the next call), so no native call is added but ``trillet_call_ex`` itself.

Sharing the wakeup fd: it is one per process. If one is already set (an asyncio loop running
signal handlers in the main thread), we leave it alone and the call is not interruptible, as
before; an asyncio program uses :class:`trillet.AsyncClient`, whose calls a task cancellation ends.
If another library replaces ours later, the signal bytes are theirs and Ctrl-C again waits for
the call's end: never worse than without this module. A child process after ``fork`` installs
its own on its first main-thread call.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Callable, Optional, Tuple, TypeVar

from . import _native

T = TypeVar("T")

#: The main thread's ``threading.get_ident()``: the thread signal handlers run on.
MAIN_IDENT = threading.main_thread().ident
_lock = threading.Lock()
#: The cancel token of the main thread's call in flight (0: none).
_current = 0
#: The token the helper cancelled last (0: none since the last call ended).
_cancelled = 0
#: A token never cancelled, kept for the next main-thread call (0: none).
_spare = 0
#: ``None``: not tried yet; ``True``: the helper runs; ``False``: cannot be installed.
_installed: Optional[bool] = None


def on_main_thread() -> bool:
    """Whether the caller is the main thread (the one signal handlers run on)."""
    return threading.get_ident() == MAIN_IDENT


def _helper(read_fd: int) -> None:
    global _cancelled
    while True:
        try:
            data = os.read(read_fd, 512)
        except InterruptedError:
            continue
        except OSError:
            return
        if not data:
            return
        if signal.SIGINT in data:
            with _lock:
                if _current:
                    _native.cancel(_current)
                    _cancelled = _current


def _install() -> bool:
    """Registers the wakeup pipe and starts the helper, if SIGINT is Python's default handler
    and no wakeup fd is set; only ever on the main thread."""
    global _installed
    if _installed is not None:
        return _installed
    _installed = False
    try:
        if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
            return False
        read_fd, write_fd = os.pipe()
        os.set_blocking(write_fd, False)
        previous = signal.set_wakeup_fd(write_fd, warn_on_full_buffer=False)
        if previous != -1:  # someone else's (an asyncio loop): theirs, not ours
            signal.set_wakeup_fd(previous)
            os.close(read_fd)
            os.close(write_fd)
            return False
    except (ValueError, OSError, AttributeError):
        return False
    threading.Thread(target=_helper, args=(read_fd,), name="trillet-sigint", daemon=True).start()
    _installed = True
    return True


def _after_fork() -> None:
    # The helper thread does not survive a fork: a child installs its own on its first call.
    global _installed, _current, _cancelled, _spare
    _installed = None
    _current = _cancelled = _spare = 0
    try:
        signal.set_wakeup_fd(-1)
    except (ValueError, OSError):
        pass


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def run_interruptible(native_call: Callable[[Optional[int]], T]) -> T:
    """Runs ``native_call(token)`` on the main thread with a token that Ctrl-C cancels (``None``
    when interrupts cannot be watched; then the call is made without one)."""
    global _current, _cancelled, _spare
    if not (_installed or _install()):
        return native_call(None)
    token: int = _spare or _native.cancel_new()
    if not token:
        return native_call(None)
    _spare = 0
    _current = token
    try:
        return native_call(token)
    finally:
        with _lock:
            _current = 0
            cancelled = _cancelled == token
            _cancelled = 0
        if cancelled:
            _native.cancel_free(token)
        else:
            _spare = token


def call(handle: int, operation: bytes, request_json: bytes) -> Tuple[int, Optional[bytes]]:
    """``trillet_call`` on the main thread, cancelled by Ctrl-C: :func:`run_interruptible`
    specialised for the commonest call (no closure, no metadata)."""
    global _current, _cancelled, _spare
    if not (_installed or _install()):
        return _native.call(handle, operation, request_json)
    token: int = _spare or _native.cancel_new()
    _spare = 0
    _current = token
    try:
        return _native.call_cancellable(handle, operation, request_json, token)
    finally:
        with _lock:
            _current = 0
            cancelled = _cancelled == token
            _cancelled = 0
        if cancelled:
            _native.cancel_free(token)
        else:
            _spare = token


def interruptible_state() -> Tuple[Optional[bool], int]:
    """For tests: whether the helper is installed, and the token in flight."""
    return _installed, _current
