"""trillet: the Python client for the Trillet AI Platform API.

A thin, typed layer over the native trillet library (Rust, reached through its C ABI with
ctypes): every request, retry and error goes through the same core as the C, Go and Rust APIs.

::

    import trillet

    client = trillet.Client()                      # TRILLET_API_KEY, TRILLET_WORKSPACE_ID from the env
    agent = client.agents.create(name="Support", llm_model="gpt-4o-mini", tts_model={"voiceId": "v1"})
    client.agents.get(agent["_id"])                # path parameters positionally ...
    client.agents.get(agent_id=agent["_id"])       # ... or by keyword
    client.call("call_history.list", query={"page": 2})   # any operation by id

    try:
        client.agents.get("0123456789abcdef01234567")
    except trillet.NotFoundError as e:
        print(e.status, e.code, e.message, e.request_id)

    async with trillet.AsyncClient() as aclient:   # asyncio: the same methods, awaited
        agent = await aclient.agents.get(agent_id)

Importing the package stays cheap: the resource namespaces are built on first use
(``client.agents``), and ``AsyncClient`` (with asyncio) and ``webhooks`` are imported the first
time they are named.
"""

from __future__ import annotations

import json as _json
from typing import TYPE_CHECKING, Any, Dict

from . import _native
from ._client import Client
from ._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConnectionError,
    DecodeError,
    InternalError,
    InternalServerError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestCancelledError,
    TimeoutError,
    TransportError,
    TrilletError,
    UnprocessableEntityError,
    WebhookSignatureError,
)
from ._native import LibraryNotFoundError
from ._page import ListPage
from ._raw import RawResponse, ResponseMeta
from ._types import FileInput, PathValue, Query

__all__ = [
    "__version__",
    "Client",
    "AsyncClient",
    "DEFAULT_MAX_CONCURRENCY",
    "operations",
    "webhooks",
    "TrilletError",
    "APIError",
    "BadRequestError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ConflictError",
    "UnprocessableEntityError",
    "RateLimitError",
    "InternalServerError",
    "APITimeoutError",
    "APIConnectionError",
    "TimeoutError",
    "ConnectionError",
    "TransportError",
    "DecodeError",
    "InvalidInputError",
    "InternalError",
    "RequestCancelledError",
    "WebhookSignatureError",
    "LibraryNotFoundError",
    "ListPage",
    "RawResponse",
    "ResponseMeta",
    "FileInput",
    "PathValue",
    "Query",
]

if TYPE_CHECKING:
    from . import webhooks
    from ._async_client import DEFAULT_MAX_CONCURRENCY, AsyncClient

#: The names imported on first access (PEP 562), not at ``import trillet``: what they pull in
#: (asyncio, the async namespaces, hmac) costs import time that most scripts never use.
_LAZY = {
    "AsyncClient": ("._async_client", "AsyncClient"),
    "DEFAULT_MAX_CONCURRENCY": ("._async_client", "DEFAULT_MAX_CONCURRENCY"),
    "webhooks": (".webhooks", None),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name, __name__)
    value = module if attribute is None else getattr(module, attribute)
    globals()[name] = value
    return value


def __dir__() -> Any:
    return sorted(set(globals()) | set(_LAZY))


#: The native library's version (``trillet_version()``).
__version__: str = _native.version()


def operations() -> Dict[str, Any]:
    """The operations catalog of the library (``trillet_operations()``)::

        {"version": "0.1.0", "operations": [{"id": "agents.get", "resource": "agents",
          "action": "get", "method": "GET", "path": "/v1/api/agents/{agentId}",
          "path_params": ["agentId"], "query_params": [], "body": "none", "response": "json",
          "workspace_header": true, "idempotent": true, "summary": "Get a call agent",
          "api_key": true, "file_field": null, "max_upload_bytes": null,
          "workspace_required": true}, ...],
         "settings": [{"key": "api_key", "kind": "secret", "zero_allowed": false,
          "env": ["TRILLET_API_KEY"], "default": "none", "doc": "..."}, ...]}

    A new dict on every call.
    """
    catalog: Dict[str, Any] = _json.loads(_native.operations_json())
    return catalog
