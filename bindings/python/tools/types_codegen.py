"""Renders ``trillet/types.py`` (a ``TypedDict`` per request and response model) from the models of
the committed operations catalog ``bindings/operations.json`` (its ``models``, and each operation's
``request_model`` / ``response_model``), and answers ``generate.py``'s questions about an
operation's body and result types. Used by ``generate.py``; ``tests/test_generated.py`` checks the
committed file.

A ``TypedDict`` names each field once, by its canonical wire name (the one the SDK sends). The
other spellings the API may send (a model's ``aliases``) are named in the field's comment: a result
is a plain ``dict`` holding what the API sent, so such a key is read with ``result.get("agentId")``;
a body sends the canonical key (an unusual spelling can still be sent with ``extra_body=``).

The mapping (JSON Schema -> typing):

* an object with properties -> a ``TypedDict``. Keys the schema lists as ``required`` are required
  (the two-class idiom: ``class _XRequired(TypedDict)`` + ``class X(_XRequired, total=False)``, as
  ``typing_extensions.Required`` would be a dependency on Python < 3.11); every other key is
  optional (``total=False``). Unknown keys the API sends are kept: a result is a plain ``dict``.
* ``$ref`` -> the model's name; ``List_X`` (a list answer) -> ``XList``;
* ``anyOf`` / ``oneOf`` -> ``Union[...]`` (``Optional[...]`` with a ``null`` branch); branches that
  are all string constants -> ``Literal[...]``;
* ``type: [T, "null"]`` -> ``Optional[T]``; arrays -> ``List[...]``; an object without properties
  -> ``Dict[str, Any]``; anything else -> ``Any``.
"""

from __future__ import annotations

import json
import keyword
from typing import Any, Dict, List, Mapping, Optional, Tuple

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
REF = "#/components/schemas/"


def schemas_from_models(models: Mapping[str, Any]) -> Dict[str, Any]:
    """The JSON Schema of each model of the catalog's ``models`` (the shapes the renderer reads)."""
    out: Dict[str, Any] = {}
    for name, model in models.items():
        kind = model.get("kind")
        description = model.get("description")
        if kind == "object":
            properties: Dict[str, Any] = {}
            for f in model["fields"]:
                prop = dict(f.get("schema") or {})
                doc = str(f.get("description") or "")
                if f.get("aliases"):
                    spellings = ", ".join(f"``{a}``" for a in f["aliases"])
                    doc = (doc + " " if doc else "") + f"(The API may also send it as {spellings}.)"
                if doc:
                    prop["description"] = doc
                properties[f["name"]] = prop
            schema: Dict[str, Any] = {"type": "object", "properties": properties}
            schema["required"] = [f["name"] for f in model["fields"] if f.get("required")]
        elif kind == "list":
            # The items only: the typed methods return them (a ``trillet.ListPage``) whatever
            # envelope the API used, so no envelope type names keys that are not its own.
            schema = {"type": "array", "items": {"$ref": REF + str(model["items"])}}
            description = (
                f"The items of a list answer (``{model['items']}``): the typed methods return them as a "
                "``trillet.ListPage`` whatever envelope the API used, its paging facts on ``.pagination``."
            )
        else:
            schema = dict(model.get("schema") or {})
        if description:
            schema["description"] = description
        out[name] = schema
    return out


def type_name(schema_name: str) -> str:
    """The Python name of a component schema: ``List_Agent`` -> ``AgentList``."""
    if schema_name.startswith("List_"):
        return schema_name[len("List_") :] + "List"
    return schema_name


def _union(parts: List[str]) -> str:
    unique: List[str] = []
    for p in parts:
        if p not in unique:
            unique.append(p)
    if "Any" in unique:
        return "Any"
    nullable = "None" in unique
    rest = [p for p in unique if p != "None"]
    if not rest:
        return "None"
    inner = rest[0] if len(rest) == 1 else f"Union[{', '.join(rest)}]"
    return f"Optional[{inner}]" if nullable else inner


class Renderer:
    """Turns schemas into annotations, collecting the ``TypedDict``s that inline objects need."""

    def __init__(self, schemas: Mapping[str, Any]) -> None:
        self.schemas = schemas
        #: name -> (schema, description) of every TypedDict to emit, in discovery order.
        self.dicts: Dict[str, Mapping[str, Any]] = {}

    def annotation(self, schema: Any, context: str) -> str:
        """The annotation for ``schema``; ``context`` names an inline object's TypedDict."""
        if not isinstance(schema, Mapping) or not schema:
            return "Any"
        if "$ref" in schema:
            ref = str(schema["$ref"])
            if not ref.startswith(REF):
                return "Any"
            return type_name(ref[len(REF) :])
        if "const" in schema and isinstance(schema["const"], str):
            return f"Literal[{json.dumps(schema['const'])}]"
        if "enum" in schema and all(isinstance(v, str) for v in schema["enum"]):
            return "Literal[" + ", ".join(json.dumps(v) for v in schema["enum"]) + "]"
        for key in ("anyOf", "oneOf"):
            if key in schema:
                branches = list(schema[key])
                if branches and all(isinstance(b, Mapping) and isinstance(b.get("const"), str) for b in branches):
                    return "Literal[" + ", ".join(json.dumps(b["const"]) for b in branches) + "]"
                parts = []
                for i, b in enumerate(branches):
                    suffix = "Envelope" if isinstance(b, Mapping) and b.get("properties") else f"Variant{i}"
                    parts.append(self.annotation(b, context + suffix))
                return _union(parts)
        kinds = schema.get("type")
        if kinds is None:
            return "Any"
        if isinstance(kinds, str):
            kinds = [kinds]
        parts = []
        for k in kinds:
            if k == "null":
                parts.append("None")
            elif k in SCALARS:
                parts.append(SCALARS[k])
            elif k == "array":
                parts.append(f"List[{self.annotation(schema.get('items'), context + 'Item')}]")
            elif k == "object":
                if schema.get("properties"):
                    self.dicts.setdefault(context, schema)
                    parts.append(context)
                else:
                    parts.append("Dict[str, Any]")
            else:
                parts.append("Any")
        return _union(parts)


def _doc_line(text: Any) -> str:
    first = " ".join(str(text or "").split())
    return first.replace("\\", "\\\\").replace('"""', "'''")


def _class_safe(key: str) -> bool:
    """Whether ``key`` can be a TypedDict key in class syntax (no keyword, no name mangling)."""
    return key.isidentifier() and not keyword.iskeyword(key) and not key.startswith("__")


def render_dict(r: Renderer, name: str, schema: Mapping[str, Any]) -> List[str]:
    props: Mapping[str, Any] = schema.get("properties") or {}
    required = [k for k in props if k in set(schema.get("required") or [])]
    fields = [(k, r.annotation(v, name + "".join(p[:1].upper() + p[1:] for p in k.split("_")))) for k, v in props.items()]
    docs = {k: _doc_line(v.get("description") if isinstance(v, Mapping) else "") for k, v in props.items()}
    doc = _doc_line(schema.get("description")) or f"The ``{name}`` object."
    out: List[str] = []
    if not all(_class_safe(k) for k in props):
        if required:
            raise ValueError(f"{name}: required keys with names unusable in class syntax are not supported")
        # Functional syntax: a key such as ``__v`` would be name-mangled in a class body.
        out.append(f"#: {doc}")
        out.append(f"{name} = TypedDict(")
        out.append(f"    {json.dumps(name)},")
        out.append("    {")
        for k, a in fields:
            if docs[k]:
                out.append(f"        # {docs[k]}")
            out.append(f"        {json.dumps(k)}: {json.dumps(a)},")
        out.append("    },")
        out.append("    total=False,")
        out.append(")")
        return out
    if required:
        out.append(f"class _{name}Required(TypedDict):")
        out.append(f'    """The required keys of :class:`{name}`."""')
        out.append("")
        for k, a in fields:
            if k in required:
                out.append(f"    #: {docs[k]}" if docs[k] else "    #:")
                out.append(f"    {k}: {a}")
        out.append("")
        out.append("")
        out.append(f"class {name}(_{name}Required, total=False):")
    else:
        out.append(f"class {name}(TypedDict, total=False):")
    out.append(f'    """{doc}"""')
    optional = [(k, a) for k, a in fields if k not in required]
    for k, a in optional:
        out.append("")
        out.append(f"    #: {docs[k]}" if docs[k] else "    #:")
        out.append(f"    {k}: {a}")
    if not optional:
        out.append("")
        out.append("    pass")
    return out


def render_types(catalog: Mapping[str, Any]) -> str:
    """The whole ``types.py`` for an operations catalog (its ``models``)."""
    schemas: Mapping[str, Any] = schemas_from_models(catalog["models"])
    r = Renderer(schemas)
    aliases: List[Tuple[str, str, str]] = []
    for name, schema in schemas.items():
        py = type_name(name)
        if isinstance(schema, Mapping) and schema.get("properties") and "anyOf" not in schema and "oneOf" not in schema:
            r.dicts.setdefault(py, schema)
        else:
            aliases.append((py, r.annotation(schema, py), _doc_line(schema.get("description"))))
    _operations(catalog, r)  # inline results become named dicts too
    # Inline objects met while rendering fields add more dicts: render until none is new.
    rendered: Dict[str, List[str]] = {}
    while len(rendered) < len(r.dicts):
        for name, schema in list(r.dicts.items()):
            if name not in rendered:
                rendered[name] = render_dict(r, name, schema)
    names = sorted(list(rendered) + [a[0] for a in aliases])
    out = [
        '"""Request and response types of the Trillet API: a ``TypedDict`` per model.',
        "",
        "GENERATED by ``bindings/python/tools/generate.py`` from ``bindings/operations.json``: do not edit.",
        "",
        "A result is a plain ``dict`` at runtime (no conversion, unknown keys kept); these types tell mypy",
        "and editors which keys it has. Keys are the API's wire names, each field once under its canonical",
        "name. Where the API may send a field under another spelling too, its comment says so; such a key",
        "is kept as sent, so read it with ``.get(\"agentId\")``. A body is checked the same way (send the",
        "canonical key; ``extra_body=`` sends anything else)::",
        "",
        "    from trillet.types import Agent, CreateAgent",
        "",
        '    body: CreateAgent = {"name": "Support", "llmModel": "gpt-4o-mini", "ttsModel": {"voiceId": "v1"}}',
        "    agent: Agent = client.agents.create(body=body)",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, Dict, List, Literal, Optional, TypedDict, Union",
        "",
        "__all__ = [",
    ]
    out += [f"    {json.dumps(n)}," for n in names]
    out.append("]")
    for name, schema in r.dicts.items():
        out += ["", ""]
        out += rendered[name]
    for py, ann, doc in aliases:
        out += ["", ""]
        if doc:
            out.append(f"#: {doc}")
        out.append(f"{py} = {ann}")
    return "\n".join(out) + "\n"


def _operations(catalog: Mapping[str, Any], r: Renderer) -> Dict[str, Dict[str, Any]]:
    models: Mapping[str, Any] = catalog["models"]
    result: Dict[str, Dict[str, Any]] = {}
    for op in catalog["operations"]:
        op_id = str(op["id"])
        info: Dict[str, Any] = {"body": None, "body_fields": None, "result": "Any"}
        request = op.get("request_model")
        if request and op["body"] in ("json", "multipart"):
            name = type_name(str(request))
            info["body"] = name
            model = models.get(request) or {}
            fields = model.get("fields") or []
            # Required fields first (in the model's order), then the others.
            order = [f for f in fields if f.get("required")] + [f for f in fields if not f.get("required")]
            info["body_fields"] = [
                (
                    str(f["name"]),
                    _strip_optional(r.annotation(f.get("schema"), name + "".join(p[:1].upper() + p[1:] for p in str(f["name"]).split("_")))),
                    bool(f.get("required")),
                )
                for f in order
            ]
        if op["response"] == "text":
            info["result"] = "str"
        elif op.get("response_model"):
            model = models.get(op["response_model"]) or {}
            if model.get("kind") == "list":
                info["items"] = str(model["items"])
                info["result"] = f"ListPage[{model['items']}]"
            else:
                answer = type_name(str(op["response_model"]))
                info["result"] = f"Optional[{answer}]" if op.get("response_nullable") else answer
        result[op_id] = info
    return result


def operation_types(catalog: Mapping[str, Any]) -> Dict[str, Dict[str, Any]]:
    """Per operation id: ``body`` (annotation of the body's model, or ``None``), ``body_fields``
    (the model's ``(wire name, annotation, required)`` fields, required first), ``result``
    (annotation of the 2xx answer: ``ListPage[Item]`` for a list answer) and, for a list answer,
    ``items`` (the model of one item)."""
    return _operations(catalog, Renderer(schemas_from_models(catalog["models"])))


def _strip_optional(annotation: str) -> str:
    """``Optional[X]`` -> ``X`` (a keyword argument's default ``None`` already means "not sent")."""
    if annotation.startswith("Optional[") and annotation.endswith("]"):
        return annotation[len("Optional[") : -1]
    return annotation


def qualify(annotation: str) -> str:
    """Prefixes the model names of an annotation with ``_t.`` (``Optional[Agent]`` ->
    ``Optional[_t.Agent]``) for use in ``_operations.py``."""
    import re

    keep = {"Any", "Dict", "List", "ListPage", "Optional", "Union", "Literal", "None", "str", "int", "float", "bool"}

    def sub(m: "re.Match[str]") -> str:
        word = m.group(0)
        return word if word in keep else f"_t.{word}"

    # Leave string literals (Literal["voice"]) alone.
    parts = re.split(r'("(?:[^"\\]|\\.)*")', annotation)
    return "".join(p if p.startswith('"') else re.sub(r"\b[A-Za-z_][A-Za-z0-9_]*\b", sub, p) for p in parts)
