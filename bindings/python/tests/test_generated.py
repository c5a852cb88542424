"""The generated namespaces match the committed catalog (``bindings/operations.json``), which matches
the library's: no drift, one method per operation, with path parameters in template order."""

from __future__ import annotations

import importlib.util
import inspect
import json
import keyword
from pathlib import Path
from types import ModuleType

import pytest

import trillet
import trillet.types
from trillet import _async_operations, _native, _operations

TOOLS = Path(__file__).resolve().parent.parent / "tools"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trillet_generate", TOOLS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_file_matches_the_committed_catalog() -> None:
    generate = load_generator()
    expected = generate.render(generate.file_catalog())
    current = Path(_operations.__file__).read_text(encoding="utf-8")
    assert current == expected, (
        "trillet/_operations.py is out of date with bindings/operations.json: "
        "run `python3 bindings/python/tools/generate.py`"
    )


def test_generated_async_namespaces_match_the_committed_catalog() -> None:
    generate = load_generator()
    expected = generate.render(generate.file_catalog(), asynchronous=True)
    current = Path(_async_operations.__file__).read_text(encoding="utf-8")
    assert current == expected, (
        "trillet/_async_operations.py is out of date with bindings/operations.json: "
        "run `python3 bindings/python/tools/generate.py`"
    )
    # Every operation is a coroutine, in the namespace and in its with_raw_response view.
    assert expected.count("    async def ") == 2 * len(generate.file_catalog()["operations"])
    assert expected.count("await self._call(") == len(generate.file_catalog()["operations"])


def test_the_async_drift_check_notices_a_changed_catalog() -> None:
    generate = load_generator()
    catalog = generate.file_catalog()
    catalog["operations"].append(dict(catalog["operations"][0], id="agents.clone", action="clone"))
    rendered = generate.render(catalog, asynchronous=True)
    assert "    async def clone(" in rendered.split("class AsyncOmniFlowAgentsResource")[0]
    assert rendered != Path(_async_operations.__file__).read_text(encoding="utf-8")


def test_paged_lists_get_list_all_in_both_clients() -> None:
    generate = load_generator()
    paged = [op["id"] for op in generate.file_catalog()["operations"] if generate.list_all_name(op)]
    assert paged == ["call_history.list", "batch_calls.list_calls"]
    assert "def list_all(" in generate.render(generate.file_catalog()).split("class CallHistoryResource")[1]
    assert "-> AsyncIterator[_t.BatchCall]:" in generate.render(generate.file_catalog(), asynchronous=True)


def test_generated_types_match_the_committed_catalog_models() -> None:
    generate = load_generator()
    expected = generate.types_codegen().render_types(generate.file_catalog())
    current = generate.TYPES_OUTPUT.read_text(encoding="utf-8")
    assert current == expected, (
        "trillet/types.py is out of date with bindings/operations.json: run `python3 bindings/python/tools/generate.py`"
    )
    assert all(text == path.read_text(encoding="utf-8") for path, text in generate.outputs(generate.file_catalog()).items())


def test_the_types_drift_check_notices_changed_models() -> None:
    generate = load_generator()
    catalog = generate.file_catalog()
    catalog["models"]["Agent"]["fields"].append(
        {"name": "brandNew", "aliases": [], "required": False, "nullable": False, "type": "string", "schema": {"type": "string"}}
    )
    assert '"brandNew": "str",' in generate.types_codegen().render_types(catalog)
    # ... and the methods follow the catalog's models too.
    catalog = generate.file_catalog()
    initiate = next(op for op in catalog["operations"] if op["id"] == "calls.initiate")
    initiate["response_model"] = "Agent"
    assert ") -> _t.Agent:" in generate.render(catalog).split("def initiate(")[1].split('"""')[0]


def test_typed_dicts_name_each_field_once_with_its_aliases_in_the_comment() -> None:
    from trillet import types

    assert "_id" in types.Agent.__annotations__ and "agentId" not in types.Agent.__annotations__
    assert "call_id" in types.CallStarted.__annotations__ and "callId" not in types.CallStarted.__annotations__
    text = Path(types.__file__).read_text(encoding="utf-8")
    assert "(The API may also send it as ``agentId``.)" in text


def test_committed_catalog_is_the_library_catalog() -> None:
    generate = load_generator()
    assert generate.CATALOG.name == "operations.json" and generate.CATALOG.parent.name == "bindings"
    committed = generate.file_catalog()
    # The committed file is the library's catalog plus the models (only the file carries them).
    assert isinstance(committed.pop("models"), dict)
    for op in committed["operations"]:
        for key in ("request_model", "response_model", "response_nullable"):
            del op[key]
    assert committed == json.loads(_native.operations_json()), (
        "bindings/operations.json differs from trillet_operations(): run scripts/check-contract --write"
    )


def test_the_drift_check_notices_a_changed_catalog() -> None:
    generate = load_generator()
    catalog = generate.file_catalog()
    catalog["operations"][0]["summary"] = "Something else"
    assert generate.render(catalog) != Path(_operations.__file__).read_text(encoding="utf-8")
    catalog = generate.file_catalog()
    catalog["operations"].append(dict(catalog["operations"][0], id="agents.clone", action="clone"))
    assert "def clone(" in generate.render(catalog).split("class OmniFlowAgentsResource")[0]


def test_catalog_shape_and_version() -> None:
    catalog = trillet.operations()
    assert catalog["version"] == trillet.__version__ == _native.version()
    ops = catalog["operations"]
    assert len(ops) == 78
    assert len({op["resource"] for op in ops}) == 15
    assert list(ops[0]) == [
        "id", "resource", "action", "method", "path", "path_params", "query_params",
        "body", "response", "workspace_header", "idempotent", "summary",
        "api_key", "file_field", "max_upload_bytes", "workspace_required",
    ]  # fmt: skip
    uploads = {op["id"]: op["file_field"] for op in ops if op["body"] == "multipart"}
    assert uploads["knowledge_base.upload_file"] == "uploadedFile"
    assert {op["id"] for op in ops if op["max_upload_bytes"]} == {"batch_calls.start"}
    assert trillet.operations() is not trillet.operations()  # a fresh dict each time


def test_every_operation_has_a_method_with_template_ordered_path_params() -> None:
    client = trillet.Client(api_key="k", workspace_id="w", base_url="http://127.0.0.1:1")
    try:
        catalog = trillet.operations()["operations"]
        assert tuple(op["id"] for op in catalog) == _operations.OPERATION_IDS
        for op in catalog:
            action = op["action"] + ("_" if keyword.iskeyword(op["action"]) else "")
            method = getattr(getattr(client, op["resource"]), action)
            params = inspect.signature(method).parameters
            positional = [n for n, p in params.items() if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD]
            snake = [trillet._names.snake(p) for p in op["path_params"]]
            assert positional == snake, op["id"]
            keywords = {n for n, p in params.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}
            # Required, typed, and no camelCase twin keyword.
            for name in snake:
                assert params[name].default is inspect.Parameter.empty and params[name].annotation == "str", op["id"]
            assert not {p for p in op["path_params"] if p not in snake} & set(params), op["id"]
            assert ("body" in keywords) == (op["body"] != "none"), op["id"]
            assert ("extra_body" in keywords) == (op["body"] != "none"), op["id"]
            assert ("file" in keywords) == (op["body"] == "multipart"), op["id"]
            assert {"query", "timeout"} <= keywords
            assert method.__doc__ and method.__doc__.startswith(op["summary"]), op["id"]
            assert f"``{op['method']} {op['path']}``" in method.__doc__
    finally:
        client.close()


def test_generator_check_mode_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRILLET_LIB", _native.LIB_PATH)  # the library these tests run against
    assert load_generator().main(["--check"]) == 0


def test_list_operations_return_items_and_no_type_names_envelope_keys() -> None:
    # Lists are lists: every operation answering a list model returns ListPage[Item] (sync and
    # async), and types.py has no envelope TypedDicts naming other endpoints' keys.
    generate = load_generator()
    catalog = generate.file_catalog()
    models = catalog["models"]
    lists = [op for op in catalog["operations"] if (models.get(op["response_model"] or "") or {}).get("kind") == "list"]
    assert len(lists) >= 10
    for asynchronous in (False, True):
        text = generate.render(catalog, asynchronous=asynchronous)
        for op in lists:
            item = models[op["response_model"]]["items"]
            assert f"-> ListPage[_t.{item}]:" in text, op["id"]
            assert f"-> RawResponse[ListPage[_t.{item}]]: ..." in text, op["id"]
        assert text.count("as_list(") == len(lists)
    types_text = Path(trillet.types.__file__).read_text(encoding="utf-8")
    assert "ListEnvelope" not in types_text
    assert "\nCallHistoryList = List[CallHistory]\n" in types_text
