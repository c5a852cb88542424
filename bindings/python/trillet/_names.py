"""camelCase <-> snake_case for path parameter names (``agentId`` <-> ``agent_id``)."""

from __future__ import annotations

import re

_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake(name: str) -> str:
    """``callHistoryId`` -> ``call_history_id``; ``id`` stays ``id``."""
    return _UPPER.sub(r"_\1", name).lower()


def camel(name: str) -> str:
    """``call_history_id`` -> ``callHistoryId``; ``id`` stays ``id``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
