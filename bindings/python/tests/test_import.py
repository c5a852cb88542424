"""``import trillet`` stays cheap: it builds no resource namespace and loads neither generated
namespace module, nor asyncio; a client builds a namespace the first time it is read, once.
Counts, not times (the machine running the tests may be loaded)."""

from __future__ import annotations

import json
import subprocess
import sys

import trillet
from trillet import _resource

PROBE = """
import json, sys
import trillet
from trillet import _resource
loaded = sorted(m for m in sys.modules if m.startswith("trillet") or m == "asyncio")
client = trillet.Client(api_key="k", workspace_id="w", base_url="http://127.0.0.1:9", ignore_env=True)
after_client = _resource.namespaces_built
client.agents.list
client.agents.get
first_use = _resource.namespaces_built
client.close()
print(json.dumps({"loaded": loaded, "after_client": after_client, "first_use": first_use,
                  "operations": "trillet._operations" in sys.modules}))
"""


def test_import_builds_no_namespace_and_loads_no_generated_module() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], check=True, capture_output=True, text=True).stdout
    probe = json.loads(out)
    for module in ("trillet._operations", "trillet._async_operations", "trillet._async_client", "asyncio", "trillet.webhooks"):
        assert module not in probe["loaded"], f"import trillet loaded {module}"
    assert probe["after_client"] == 0, "a new client built namespaces it was not asked for"
    assert probe["first_use"] == 1 and probe["operations"], "client.agents is built on first use, once"


def test_namespaces_are_built_on_first_access_and_kept() -> None:
    client = trillet.Client(api_key="k", workspace_id="w", base_url="http://127.0.0.1:9", ignore_env=True)
    try:
        before = _resource.namespaces_built
        agents = client.agents
        assert client.agents is agents and _resource.namespaces_built == before + 1
        assert client.with_raw_response.agents is client.with_raw_response.agents
        assert _resource.namespaces_built == before + 2
        assert "agents" in dir(client) and "call_history" in dir(client)
        try:
            client.no_such_namespace  # type: ignore[attr-defined]
        except AttributeError as e:
            assert "no_such_namespace" in str(e)
        else:
            raise AssertionError("an unknown attribute must raise AttributeError")
    finally:
        client.close()


def test_lazy_names_resolve() -> None:
    assert trillet.AsyncClient.__name__ == "AsyncClient"
    assert trillet.DEFAULT_MAX_CONCURRENCY >= 1
    assert callable(trillet.webhooks.verify) and callable(trillet.webhooks.construct_event)
    assert {"AsyncClient", "webhooks"} <= set(dir(trillet))
