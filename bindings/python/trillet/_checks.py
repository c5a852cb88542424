"""Checks of setting values, shared by the generated ``Client`` settings (``_settings.py``).

Each takes the value and the argument's name, and returns the value the C config JSON takes, or
raises :class:`~trillet.InvalidInputError` naming the argument.
"""

from __future__ import annotations

import math
import os
from typing import Union

from ._errors import invalid_input

__all__ = ["setting_text", "setting_path", "setting_millis", "setting_count", "setting_flag"]


def setting_text(value: object, name: str) -> str:
    """A ``str`` the C ABI can carry: no NUL character, valid Unicode."""
    if not isinstance(value, str):
        raise invalid_input("invalid_argument", f"`{name}` must be a str, not {type(value).__name__}")
    if "\x00" in value:
        raise invalid_input("invalid_argument", f"`{name}` must not contain a NUL character")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise invalid_input("invalid_utf8", f"`{name}` is not valid Unicode (it contains a lone surrogate)") from None
    return value


def setting_path(value: Union[str, "os.PathLike[str]"], name: str) -> str:
    """A path (``str`` or ``os.PathLike``) as text."""
    if not isinstance(value, (str, os.PathLike)):
        raise invalid_input("invalid_config", f"`{name}` must be a path (str or os.PathLike)")
    path = os.fspath(value)
    if not isinstance(path, str):
        raise invalid_input("invalid_config", f"`{name}` must be a text path, not bytes")
    return setting_text(path, name)


def setting_millis(value: object, name: str) -> int:
    """Seconds (int or float) as whole milliseconds, rounded up so a tiny timeout is not zero."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid_input("invalid_timeout", f"`{name}` must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise invalid_input("invalid_timeout", f"`{name}` must be a positive number of seconds")
    return max(1, math.ceil(value * 1000))


def setting_count(value: object, name: str) -> int:
    """A non-negative ``int``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_input("invalid_config", f"`{name}` must be an int, not {type(value).__name__}")
    if value < 0:
        raise invalid_input("invalid_config", f"`{name}` must not be negative")
    return value


def setting_flag(value: object, name: str) -> bool:
    """A ``bool``."""
    if not isinstance(value, bool):
        raise invalid_input("invalid_config", f"`{name}` must be a bool")
    return value
