"""Every error message the Python suite produces, checked for words a Python user must never meet.

``conftest.py`` installs :func:`record` before the first test and checks what it saw when the
session ends (:func:`offending`): every :class:`trillet.TrilletError` made during the run — the
core's errors through the C ABI and the binding's own — must be free of Rust type names, Rust
syntax and ureq's names for things (issue: "no user-facing message names a Rust type"). ``None``
and ``str`` are Python's own words, so unlike the Rust suite's list (``tests/plain_messages.rs``)
they are allowed here.
"""

from __future__ import annotations

import re
from typing import Any, List, Mapping, Set

import trillet

#: Rust types and syntax, ureq's terms, errno noise.
RUST_TERMS = (
    "u8", "u16", "u32", "u64", "usize", "i32", "i64", "f64", "struct ", "enum ", "Option<", "Some(", "Vec<",
    "String", "ureq", "serde", "PerCall", "os error", "Timeout(", "Connect(", "::",
)

#: Every distinct message seen (a set: the leak tests make thousands of the same error, and a
#: growing list would read as a leak).
SEEN: Set[str] = set()
#: How many errors were made in all.
COUNT = [0]


def record() -> None:
    """Makes every ``TrilletError`` (and subclass) append its message to :data:`SEEN`."""
    original = trillet.TrilletError.__init__

    def recording_init(self: trillet.TrilletError, error_json: Mapping[str, Any]) -> None:
        original(self, error_json)
        SEEN.add(self.message)
        COUNT[0] += 1

    trillet.TrilletError.__init__ = recording_init  # type: ignore[method-assign]


def has_rust_term(message: str) -> bool:
    """Whether ``message`` holds one of :data:`RUST_TERMS` as a word (``u64`` in ``bu64x`` is not)."""
    for term in RUST_TERMS:
        edge = r"(?![A-Za-z0-9_])" if term[-1].isalnum() else ""
        if re.search(r"(?<![A-Za-z0-9_])" + re.escape(term) + edge, message):
            return True
    return False


def offending() -> List[str]:
    """The distinct messages seen that name a Rust term."""
    return sorted(m for m in SEEN if has_rust_term(m))
