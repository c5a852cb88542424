"""trillet: the Python client for the Trillet AI Platform API.

A thin, typed layer over the native trillet library (Rust, reached through its C ABI with
ctypes): every request, retry and error goes through the same core as the C, Go and Rust APIs.

::

    import trillet

    client = trillet.Client()                      # TRILLET_API_KEY, TRILLET_WORKSPACE_ID from the env
    agent = client.agents.create(body={"name": "Support"})
    client.agents.get(agent["_id"])                # path parameters positionally ...
    client.agents.get(agent_id=agent["_id"])       # ... or by keyword, snake_case or camelCase
    client.call("call_history.list", query={"page": 2})   # any operation by id

    try:
        client.agents.get("0123456789abcdef01234567")
    except trillet.NotFoundError as e:
        print(e.status, e.code, e.message, e.request_id)

    async with trillet.AsyncClient() as aclient:   # asyncio: the same methods, awaited
        agent = await aclient.agents.get(agent_id)
"""

from __future__ import annotations

import json as _json
from typing import Any, Dict

from . import _native, webhooks
from ._async_client import DEFAULT_MAX_CONCURRENCY, AsyncClient
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
    "RawResponse",
    "ResponseMeta",
    "FileInput",
    "PathValue",
    "Query",
]

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
