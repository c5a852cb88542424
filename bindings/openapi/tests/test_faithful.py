"""The OpenAPI document (``bindings/openapi.json``) against the API spec
(``tests/fixtures/endpoints.json``, or ``$TRILLET_SPEC``):

- it is a valid OpenAPI 3.1 document (openapi-spec-validator);
- every ``response_example`` of the spec validates against its operation's response schema
  (a JSON Schema 2020-12 validator, with the document's components);
- every documented request body field is a property of its operation's request schema.

Every spec operation must have a row in the table (and so an operation in the document), and a
row of the table that is not in the spec fails.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import jsonschema
import pytest
from openapi_spec_validator import validate

REPO = Path(__file__).resolve().parents[3]
DOCUMENT = REPO / "bindings" / "openapi.json"
SPEC = Path(os.environ.get("TRILLET_SPEC") or REPO / "tests" / "fixtures" / "endpoints.json")
IGNORED_RESOURCES = {"legacy_aliases", "partner_internal"}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


DOC: Dict[str, Any] = load(DOCUMENT)


def spec_entries() -> List[Dict[str, Any]]:
    entries = load(SPEC)
    return [e for e in entries if e["resource"] not in IGNORED_RESOURCES and isinstance(e["path"], str)]


def operation(method: str, path: str) -> Optional[Dict[str, Any]]:
    op: Optional[Dict[str, Any]] = DOC["paths"].get(path, {}).get(method.lower())
    return op


def covered() -> Iterator[Tuple[Dict[str, Any], Dict[str, Any]]]:
    """(spec entry, document operation) for every spec entry that has a row in the table."""
    for entry in spec_entries():
        op = operation(entry["method"], entry["path"])
        if op is not None:
            yield entry, op


def test_every_spec_operation_is_in_the_document() -> None:
    missing = [f"{e['method']} {e['path']}" for e in spec_entries() if operation(e["method"], e["path"]) is None]
    assert not missing, f"spec operations with no row in the operation table: {missing}"


def ids(pairs: List[Tuple[Dict[str, Any], Dict[str, Any]]]) -> List[str]:
    return [op["operationId"] for _, op in pairs]


PAIRS = list(covered())


def validator(schema: Dict[str, Any]) -> jsonschema.Draft202012Validator:
    """A validator for ``schema`` that resolves ``#/components/...`` in the document."""
    root = dict(schema)
    root["components"] = DOC["components"]
    return jsonschema.Draft202012Validator(root)


def test_the_document_is_valid_openapi_3_1() -> None:
    assert DOC["openapi"] == "3.1.0"
    validate(DOC)


def test_every_schema_is_valid_json_schema_2020_12() -> None:
    for name, schema in DOC["components"]["schemas"].items():
        jsonschema.Draft202012Validator.check_schema(schema), name


def test_every_table_row_is_in_the_spec() -> None:
    spec = {(e["method"].lower(), e["path"]) for e in spec_entries()}
    rows = [(m, p) for p, item in DOC["paths"].items() for m in item]
    assert rows, "the document has no operations"
    assert [r for r in rows if r not in spec] == []
    print(f"{len(PAIRS)} of {len(spec)} spec operations have a row")


def success_schema(op: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    content = op["responses"]["200"]["content"]
    media = content.get("application/json")
    if media is None:
        return None
    schema: Dict[str, Any] = media["schema"]
    return schema


@pytest.mark.parametrize("entry,op", PAIRS, ids=ids(PAIRS))
def test_response_example_validates(entry: Dict[str, Any], op: Dict[str, Any]) -> None:
    example = entry["response_example"]
    content = op["responses"]["200"]["content"]
    if isinstance(example, str) and "text/csv" in content:
        return  # the CSV export: a text answer, schema {"type": "string"}
    if isinstance(example, str) and not any(ct.endswith("json") for ct in content):
        # A binary answer (the recording): the document lists exactly the media types the spec names.
        named = re.findall(r"\b(?:audio|video)/[\w.+-]+", example)
        assert named and sorted(named) == sorted(content), f"{op['operationId']}: {sorted(content)} vs {named}"
        return
    if example is None and "application/json" not in content:
        return
    schema = success_schema(op)
    assert schema is not None, f"{op['operationId']}: no JSON answer for a JSON example"
    errors = sorted(validator(schema).iter_errors(example), key=lambda e: list(e.absolute_path))
    assert not errors, f"{op['operationId']}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors[:5]
    )


def request_schema(op: Dict[str, Any]) -> Tuple[Optional[str], Optional[Dict[str, Any]]]:
    body = op.get("requestBody")
    if body is None:
        return None, None
    media, content = next(iter(body["content"].items()))
    schema: Dict[str, Any] = content["schema"]
    ref = schema.get("$ref")
    if isinstance(ref, str):
        schema = DOC["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    return media, schema


@pytest.mark.parametrize("entry,op", PAIRS, ids=ids(PAIRS))
def test_documented_request_fields_are_in_the_request_schema(entry: Dict[str, Any], op: Dict[str, Any]) -> None:
    fields = entry.get("body") or {}
    if not fields:
        return
    media, schema = request_schema(op)
    assert schema is not None, f"{op['operationId']}: the spec documents a body, the document has none"
    properties = schema.get("properties", {})
    missing = [name for name in fields if name not in properties]
    assert not missing, f"{op['operationId']}: documented body fields missing from the schema: {missing}"


def test_a_broken_example_is_caught() -> None:
    """The validation above can fail: a wrong type inside a model is refused."""
    op = operation("GET", "/v1/api/agents/{agentId}")
    assert op is not None
    schema = success_schema(op)
    assert schema is not None
    check = validator(schema)
    assert check.is_valid({"_id": "a", "name": "x", "unknownField": [1]})
    assert not check.is_valid({"_id": 3})
    assert not check.is_valid({"maxAttemptsForSmartCallback": "five"})
    assert check.is_valid({"agentId": "a"}), "the alias spelling is accepted"
