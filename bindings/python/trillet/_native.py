"""Finds libtrillet, declares its C ABI for ctypes, and moves strings across it.

This module is the only one that touches ``ctypes``. It is self-contained (no imports from the
rest of the package) so that ``tools/generate.py`` can load it on its own.

Where the library is looked for, first match wins:

1. ``TRILLET_LIB``: a path to the shared library. When set, it must load; nothing else is tried.
2. The copy bundled inside the installed package (``trillet/libtrillet.so``, ``.dylib`` on macOS),
   put there by the wheel.
3. Only when this package is the one in a git checkout of the repository (its directory is
   ``<repo>/bindings/python/trillet``, with ``<repo>/.git``, ``<repo>/Cargo.toml`` and
   ``<repo>/src/ffi``): ``$CARGO_TARGET_DIR/{release,debug}`` when that variable is set, then
   ``<repo>/target/{release,debug}``. An installed package never looks outside itself.

Every string the library returns is read as bytes with ``ctypes.string_at`` and then released with
``trillet_string_free``; no function is declared with a ``c_char_p`` result (that would copy the
string and lose the pointer, so it could never be freed). ``ctypes.CDLL`` releases the GIL for the
duration of every call, so threads sharing one client run their requests in parallel.
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path
from typing import List, Optional, Tuple

#: Environment variable naming the shared library to load (it wins over every other place).
ENV_LIB = "TRILLET_LIB"

#: ``TrilletStatus`` codes of ``include/trillet.h``, by error kind.
STATUS_KINDS = {
    0: "ok",
    1: "invalid_input",
    2: "api",
    3: "timeout",
    4: "connect",
    5: "io",
    6: "decode",
    7: "panic",
    8: "cancelled",
}
TRILLET_OK = 0
TRILLET_ERR_INVALID_INPUT = 1


class LibraryNotFoundError(ImportError):
    """The native library (``libtrillet``) could not be found or loaded."""


def library_filename() -> str:
    """The shared library's file name on this platform."""
    if sys.platform == "darwin":
        return "libtrillet.dylib"
    if sys.platform == "win32":
        return "trillet.dll"
    return "libtrillet.so"


def repository_root(package_dir: Optional[Path] = None) -> Optional[Path]:
    """The git checkout this package is part of, or ``None`` for an installed package.

    ``package_dir`` (default: this package's directory) must be ``<repo>/bindings/python/trillet``
    where ``<repo>`` holds ``.git`` (a directory, or a file in a worktree), ``Cargo.toml`` and
    ``src/ffi``. A package in ``site-packages`` never matches, wherever that is.
    """
    package = (package_dir or Path(__file__).parent).resolve()
    if package.parent.name != "python" or package.parent.parent.name != "bindings":
        return None
    root = package.parent.parent.parent
    is_checkout = (root / ".git").exists() and (root / "Cargo.toml").is_file() and (root / "src" / "ffi").is_dir()
    return root if is_checkout else None


def candidate_paths() -> List[Tuple[str, Path]]:
    """Where the library is looked for when ``TRILLET_LIB`` is not set, in order."""
    name = library_filename()
    out: List[Tuple[str, Path]] = [("bundled with the package", Path(__file__).resolve().parent / name)]
    root = repository_root()
    if root is not None:
        target_dirs: List[Path] = []
        env_target = os.environ.get("CARGO_TARGET_DIR")
        if env_target:
            target = Path(env_target)
            target_dirs.append(target if target.is_absolute() else root / target)
        target_dirs.append(root / "target")
        for target in target_dirs:
            for profile in ("release", "debug"):
                out.append((f"repository build ({profile})", target / profile / name))
    return out


def _load_library() -> Tuple[ctypes.CDLL, str]:
    explicit = os.environ.get(ENV_LIB, "").strip()
    if explicit:
        try:
            return ctypes.CDLL(explicit), explicit
        except OSError as e:
            raise LibraryNotFoundError(f"{ENV_LIB}={explicit!r} could not be loaded: {e}") from e
    tried: List[str] = []
    for label, path in candidate_paths():
        if not path.is_file():
            tried.append(f"  {path} ({label}): not found")
            continue
        try:
            return ctypes.CDLL(str(path)), str(path)
        except OSError as e:
            tried.append(f"  {path} ({label}): {e}")
    raise LibraryNotFoundError(
        f"could not find the trillet native library ({library_filename()}). Looked in:\n"
        + "\n".join(tried)
        + f"\nInstall the package with `pip install ./bindings/python` (it builds and bundles the library), "
        f"build it with `cargo build --release` in the repository, or set {ENV_LIB} to its path."
    )


_OutString = ctypes.POINTER(ctypes.c_void_p)


def _declare(lib: ctypes.CDLL) -> None:
    """Declares the argument and result types of every export of ``include/trillet.h``."""
    c_int, c_void_p, c_char_p, c_size_t = ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t
    lib.trillet_call.argtypes = [c_void_p, c_char_p, c_char_p, _OutString]
    lib.trillet_call.restype = c_int
    lib.trillet_call_with_meta.argtypes = [c_void_p, c_char_p, c_char_p, _OutString, _OutString]
    lib.trillet_call_with_meta.restype = c_int
    lib.trillet_request.argtypes = [c_void_p, c_char_p, c_char_p, c_char_p, _OutString]
    lib.trillet_request.restype = c_int
    lib.trillet_operations.argtypes = []
    lib.trillet_operations.restype = c_void_p
    lib.trillet_client_new.argtypes = [c_char_p, _OutString]
    lib.trillet_client_new.restype = c_void_p
    lib.trillet_client_free.argtypes = [c_void_p]
    lib.trillet_client_free.restype = None
    lib.trillet_client_close.argtypes = [c_void_p]
    lib.trillet_client_close.restype = None
    lib.trillet_call_ex.argtypes = [c_void_p, c_char_p, c_char_p, c_void_p, _OutString, _OutString]
    lib.trillet_call_ex.restype = c_int
    lib.trillet_request_ex.argtypes = [c_void_p, c_char_p, c_char_p, c_char_p, c_void_p, _OutString, _OutString]
    lib.trillet_request_ex.restype = c_int
    lib.trillet_cancel_new.argtypes = []
    lib.trillet_cancel_new.restype = c_void_p
    lib.trillet_cancel.argtypes = [c_void_p]
    lib.trillet_cancel.restype = None
    lib.trillet_cancel_free.argtypes = [c_void_p]
    lib.trillet_cancel_free.restype = None
    lib.trillet_string_free.argtypes = [c_void_p]
    lib.trillet_string_free.restype = None
    lib.trillet_version.argtypes = []
    lib.trillet_version.restype = c_void_p  # static: read, never freed
    # `const uint8_t *body` is declared as c_char_p so a `bytes` object is passed without a copy;
    # its length travels separately, so NUL bytes inside the body are fine.
    lib.trillet_webhook_verify.argtypes = [c_char_p, c_char_p, c_size_t, c_char_p]
    lib.trillet_webhook_verify.restype = c_int
    lib.trillet_webhook_sign.argtypes = [c_char_p, c_char_p, c_size_t]
    lib.trillet_webhook_sign.restype = c_void_p
    c_int64 = ctypes.c_int64
    for name in ("trillet_webhook_verify_headers", "trillet_webhook_construct_event"):
        getattr(lib, name).argtypes = [c_char_p, c_char_p, c_char_p, c_size_t, c_int64, _OutString]
        getattr(lib, name).restype = c_int
    lib.trillet_webhook_sign_headers.argtypes = [c_char_p, c_char_p, c_char_p, c_int64, c_char_p, c_size_t, _OutString]
    lib.trillet_webhook_sign_headers.restype = c_int


LIB, LIB_PATH = _load_library()
_declare(LIB)
_string_free = LIB.trillet_string_free
_call = LIB.trillet_call
_call_with_meta = LIB.trillet_call_with_meta
_request = LIB.trillet_request
_call_ex = LIB.trillet_call_ex
_request_ex = LIB.trillet_request_ex
cancel_new = LIB.trillet_cancel_new  #: ``trillet_cancel_new()``: a new token (an int address)
cancel = LIB.trillet_cancel  #: ``trillet_cancel(token)``: any thread; idempotent; never blocks
cancel_free = LIB.trillet_cancel_free  #: ``trillet_cancel_free(token)``: safe while a call holds it


def take_string(ptr: Optional[int]) -> Optional[bytes]:
    """Copies a string returned by the library and frees the original. NULL reads as ``None``."""
    if not ptr:
        return None
    try:
        return ctypes.string_at(ptr)
    finally:
        _string_free(ptr)


def version() -> str:
    """``trillet_version()``: the library's version (a static string, not freed)."""
    ptr = LIB.trillet_version()
    return ctypes.string_at(ptr).decode("utf-8") if ptr else "unknown"


def operations_json() -> bytes:
    """``trillet_operations()``: the operations catalog as JSON text."""
    text = take_string(LIB.trillet_operations())
    if text is None:
        raise RuntimeError("trillet_operations() returned NULL (an internal error in the library)")
    return text


def client_new(config_json: Optional[bytes]) -> Tuple[Optional[int], Optional[bytes]]:
    """``trillet_client_new``: the new handle, or ``None`` and the error JSON."""
    error = ctypes.c_void_p()
    handle = LIB.trillet_client_new(config_json, ctypes.byref(error))
    message = take_string(error.value)
    return (handle or None), message


def client_free(handle: int) -> None:
    """``trillet_client_free``."""
    LIB.trillet_client_free(handle)


def client_close(handle: int) -> None:
    """``trillet_client_close``: ends the calls in flight (``cancelled``) without freeing."""
    LIB.trillet_client_close(handle)


def call(handle: Optional[int], operation: Optional[bytes], request_json: Optional[bytes]) -> Tuple[int, Optional[bytes]]:
    """``trillet_call``: the status and the result or error JSON (already freed on the C side)."""
    out = ctypes.c_void_p()
    status = _call(handle, operation, request_json, ctypes.byref(out))
    return status, take_string(out.value)


def call_with_meta(
    handle: Optional[int], operation: Optional[bytes], request_json: Optional[bytes]
) -> Tuple[int, Optional[bytes], Optional[bytes]]:
    """``trillet_call_with_meta``: the status, the result or error JSON, and the metadata JSON."""
    out = ctypes.c_void_p()
    meta = ctypes.c_void_p()
    status = _call_with_meta(handle, operation, request_json, ctypes.byref(out), ctypes.byref(meta))
    return status, take_string(out.value), take_string(meta.value)


def call_ex(
    handle: Optional[int], operation: Optional[bytes], request_json: Optional[bytes], token: Optional[int], meta: bool
) -> Tuple[int, Optional[bytes], Optional[bytes]]:
    """``trillet_call_ex``: a call that ``cancel(token)`` stops from any thread (``token`` may be
    ``None``); the status, the result or error JSON, and the metadata JSON when ``meta``."""
    out = ctypes.c_void_p()
    out_meta = ctypes.c_void_p()
    status = _call_ex(handle, operation, request_json, token, ctypes.byref(out), ctypes.byref(out_meta) if meta else None)
    return status, take_string(out.value), take_string(out_meta.value)


def call_cancellable(
    handle: Optional[int], operation: Optional[bytes], request_json: Optional[bytes], token: Optional[int]
) -> Tuple[int, Optional[bytes]]:
    """``trillet_call_ex`` without metadata: :func:`call` that ``cancel(token)`` stops."""
    out = ctypes.c_void_p()
    status = _call_ex(handle, operation, request_json, token, ctypes.byref(out), None)
    return status, take_string(out.value)


def request_ex(
    handle: Optional[int],
    method: Optional[bytes],
    path: Optional[bytes],
    request_json: Optional[bytes],
    token: Optional[int],
    meta: bool,
) -> Tuple[int, Optional[bytes], Optional[bytes]]:
    """``trillet_request_ex``: :func:`request` that ``cancel(token)`` stops, with metadata."""
    out = ctypes.c_void_p()
    out_meta = ctypes.c_void_p()
    status = _request_ex(
        handle, method, path, request_json, token, ctypes.byref(out), ctypes.byref(out_meta) if meta else None
    )
    return status, take_string(out.value), take_string(out_meta.value)


def request(
    handle: Optional[int], method: Optional[bytes], path: Optional[bytes], request_json: Optional[bytes]
) -> Tuple[int, Optional[bytes]]:
    """``trillet_request``: the status and the result or error JSON."""
    out = ctypes.c_void_p()
    status = _request(handle, method, path, request_json, ctypes.byref(out))
    return status, take_string(out.value)


def webhook_sign(secret: Optional[bytes], body: bytes) -> Optional[str]:
    """``trillet_webhook_sign``: the hex signature, or ``None`` when the library refused the input."""
    text = take_string(LIB.trillet_webhook_sign(secret, body, len(body)))
    return None if text is None else text.decode("ascii")


def webhook_verify(secret: Optional[bytes], body: bytes, signature: Optional[bytes]) -> int:
    """``trillet_webhook_verify``: ``TRILLET_OK`` when the signature matches."""
    return int(LIB.trillet_webhook_verify(secret, body, len(body), signature))


def webhook_check(
    construct: bool, secrets_json: bytes, headers_json: bytes, body: bytes, tolerance: int
) -> Tuple[int, Optional[bytes]]:
    """``trillet_webhook_construct_event`` (``construct``) or ``trillet_webhook_verify_headers``:
    the status and the event (or verification) JSON or the error JSON."""
    fn = LIB.trillet_webhook_construct_event if construct else LIB.trillet_webhook_verify_headers
    out = ctypes.c_void_p()
    status = fn(secrets_json, headers_json, body, len(body), tolerance, ctypes.byref(out))
    return int(status), take_string(out.value)


def webhook_sign_headers(
    secret: bytes, scheme: bytes, msg_id: Optional[bytes], timestamp: int, body: bytes
) -> Tuple[int, Optional[bytes]]:
    """``trillet_webhook_sign_headers``: the status and the headers JSON or the error JSON."""
    out = ctypes.c_void_p()
    status = LIB.trillet_webhook_sign_headers(secret, scheme, msg_id, timestamp, body, len(body), ctypes.byref(out))
    return int(status), take_string(out.value)
