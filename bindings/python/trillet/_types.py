"""Type aliases used in the public signatures."""

from __future__ import annotations

import os
from typing import IO, Any, Mapping, Tuple, Union

#: A path parameter value: an id (``"665a..."``) or a number.
PathValue = Union[str, int]

#: Query parameters: scalars are sent as text, lists as repeated keys, ``None`` is skipped.
Query = Mapping[str, Any]

#: A file for a multipart upload: a path (``"calls.csv"`` or a ``pathlib.Path``), raw ``bytes``,
#: ``(filename, bytes)`` or ``(filename, bytes, content_type)``, an open binary file, or the wire
#: form itself (``{"field": ..., "path": ...}`` / ``{"filename", "content_type", "data_base64"}``).
FileInput = Union[
    str,
    os.PathLike[str],
    bytes,
    bytearray,
    memoryview,
    Tuple[str, Union[bytes, str]],
    Tuple[str, Union[bytes, str], str],
    IO[bytes],
    Mapping[str, Any],
]
