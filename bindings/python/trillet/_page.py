"""One page of a list answer as a plain ``list`` of its items: :class:`ListPage`.

The API answers a list in several shapes (a bare array, an envelope such as ``{"agents": [...]}``
or ``{"data": [...], "pagination": {...}}``, one object, ``null``); the typed ``list`` methods
return the items whatever the shape, and keep the envelope's paging facts on the list itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, List, Optional, TypeVar

if TYPE_CHECKING:
    from .types import Pagination

__all__ = ["ListPage"]

T = TypeVar("T")


class ListPage(List[T]):
    """The items of one list answer: a ``list`` (iterate, index, ``len``, compare with a list),
    plus the paging facts the answer carried, when it carried some::

        agents = client.agents.list()          # ListPage[Agent], a list[Agent]
        for a in agents:
            print(a["name"])
        page = client.call_history.list(query={"page": 2, "limit": 50})
        print(page.pagination, page.has_next)

    :ivar pagination: the envelope's ``pagination`` object (``None`` for a bare array, or when the
        envelope had none).
    :ivar has_next: whether the server says a next page exists (``pagination.hasNext`` or a
        top-level ``hasNext``; ``None`` when it does not say).
    """

    pagination: Optional["Pagination"]
    has_next: Optional[bool]

    def __init__(self, items: Any = (), pagination: Optional["Pagination"] = None, has_next: Optional[bool] = None) -> None:
        super().__init__(items)
        self.pagination = pagination
        self.has_next = has_next

    def __repr__(self) -> str:
        return f"ListPage({list.__repr__(self)}, pagination={self.pagination!r}, has_next={self.has_next!r})"
