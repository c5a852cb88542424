#!/usr/bin/env python3
"""Generates ``trillet/_operations.py`` (the resource namespaces of ``Client``),
``trillet/_async_operations.py`` (the same namespaces for ``AsyncClient``: one renderer, ``async
def`` and ``await`` added) and ``trillet/_settings.py`` (the keyword arguments of both clients) from
the committed operations catalog ``bindings/operations.json``.

    python3 bindings/python/tools/generate.py           # rewrite trillet/_operations.py
    python3 bindings/python/tools/generate.py --check   # exit 1 if the file is out of date

The catalog file is what ``trillet openapi --operations`` writes (the library's
``trillet_operations()``, checked for drift by ``scripts/check-contract`` and a Rust test), so no
native library is needed to generate. ``tests/test_generated.py`` fails when the committed file
drifts from the catalog file, or the catalog file from the library.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import keyword
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

PACKAGE = Path(__file__).resolve().parent.parent / "trillet"
OUTPUT = PACKAGE / "_operations.py"
ASYNC_OUTPUT = PACKAGE / "_async_operations.py"
SETTINGS_OUTPUT = PACKAGE / "_settings.py"
TYPES_OUTPUT = PACKAGE / "types.py"
#: The committed operations catalog (``trillet openapi --operations``): the operations, and the
#: models each one sends and answers with (its ``models``; see ``types_codegen.py``).
CATALOG = Path(__file__).resolve().parents[2] / "operations.json"

# Keyword arguments every generated method may take; a path parameter must not shadow them.
RESERVED = {"self", "body", "extra_body", "query", "timeout", "file", "files"}
#: The page size ``list_all`` asks for when not given one.
DEFAULT_PAGE_LIMIT = 100


@functools.lru_cache(maxsize=None)
def load_module(name: str) -> ModuleType:
    """Loads one self-contained module of the package on its own (not the package itself, whose
    ``_operations`` may be stale or missing)."""
    spec = importlib.util.spec_from_file_location(f"_trillet_generate_{name}", PACKAGE / f"{name}.py")
    if spec is None or spec.loader is None:
        raise RuntimeError(f"cannot load {PACKAGE / name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def file_catalog(path: Path = CATALOG) -> Dict[str, Any]:
    """The committed operations catalog (``bindings/operations.json``)."""
    catalog: Dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return catalog


def types_codegen() -> ModuleType:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import types_codegen

    return types_codegen


def snake(name: str) -> str:
    """``callHistoryId`` -> ``call_history_id``: the rule of ``trillet._names``, which the client
    also uses to translate snake_case path parameter names back."""
    result: str = load_module("_names").snake(name)
    return result


def identifier(name: str) -> str:
    """A safe Python identifier for a resource or action name."""
    if not name.isidentifier():
        raise ValueError(f"{name!r} is not a valid Python identifier")
    return name + "_" if keyword.iskeyword(name) else name


def class_name(resource: str) -> str:
    """``call_history`` -> ``CallHistoryResource``."""
    return "".join(part.capitalize() for part in resource.split("_")) + "Resource"


def q(text: str) -> str:
    """A double-quoted Python string literal."""
    return json.dumps(text)


def doc_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def keyword_fields(op: Mapping[str, Any], info: Mapping[str, Any], taken: Sequence[str]) -> List[Tuple[str, str, str]]:
    """``(wire name, python name, annotation)`` of the body fields offered as keyword arguments:
    every field of the body's model (required first) whose snake_case name is usable (an
    identifier, no keyword, no leading ``_``, no clash with another argument). A field left out
    (``_id``, ``__v``) is still sent with ``body=`` or ``extra_body=``."""
    if op["body"] == "none":
        return []
    out = []
    seen = set(taken) | RESERVED
    for wire, annotation, _required in info.get("body_fields") or []:
        name = snake(wire)
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_") or name in seen:
            continue
        seen.add(name)
        out.append((wire, name, annotation))
    return out


def render_signature(op: Mapping[str, Any], info: Mapping[str, Any], names: Sequence[Tuple[str, str]]) -> Tuple[List[str], List[Tuple[str, str, str]]]:
    """The parameters of a method (``self`` first) and its keyword body fields."""
    qualify = types_codegen().qualify
    sig = ["self,"]
    for p, s in names:
        sig.append(f"{s}: str,")
    sig.append("*,")
    kw = keyword_fields(op, info, [s for _, s in names])
    for wire, name, annotation in kw:
        sig.append(f"{name}: Optional[{qualify(annotation)}] = None,")
    multipart = op["body"] == "multipart"
    if multipart:
        sig.append("file: Optional[FileInput] = None,")
        sig.append("files: Optional[Sequence[FileInput]] = None,")
    if op["body"] != "none":
        body = qualify(info["body"]) if info.get("body") else "Mapping[str, Any]"
        sig.append(f"body: Optional[{body}] = None,")
        sig.append("extra_body: Optional[Mapping[str, Any]] = None,")
    sig.append("query: Optional[Query] = None,")
    sig.append("timeout: Optional[float] = None,")
    return sig, kw


def result_annotation(op: Mapping[str, Any], info: Mapping[str, Any]) -> str:
    if op["response"] == "text":
        return "str"
    return str(types_codegen().qualify(info.get("result") or "Any"))


def render_method(op: Mapping[str, Any], info: Optional[Mapping[str, Any]] = None, asynchronous: bool = False) -> List[str]:
    """One method of a namespace class; with ``asynchronous`` an ``async def`` that awaits the call."""
    info = info or {}
    params: Sequence[str] = op["path_params"]
    names = []
    for p in params:
        s = snake(p)
        if not p.isidentifier() or not s.isidentifier() or keyword.iskeyword(s) or keyword.iskeyword(p):
            raise ValueError(f"{op['id']}: path parameter {p!r} is not usable as a Python argument")
        if s in RESERVED or p in RESERVED:
            raise ValueError(f"{op['id']}: path parameter {p!r} clashes with a reserved argument")
        names.append((p, s))

    sig, kw = render_signature(op, info, names)
    multipart = op["body"] == "multipart"
    returns = result_annotation(op, info)

    doc = [f'"""{doc_text(op["summary"])}.', ""]
    doc.append(f"``{op['method']} {op['path']}`` (operation ``{op['id']}``).")
    doc.append("")
    for p, s in names:
        doc.append(f":param {s}: the ``{p}`` path parameter (required; positional or by keyword).")
    if multipart:
        doc.append(":param file: the file to upload: a path, bytes, ``(filename, bytes[, content_type])`` or a binary file.")
        doc.append(":param files: more files, as a list.")
    if op["body"] != "none":
        part = "form" if multipart else "body"
        for wire, name, _ in kw:
            shown = f"``{wire}``" if wire == name else f"``{wire}`` (as ``{name}=``)"
            doc.append(f":param {name}: the {part}'s {shown} field (``None``: not sent).")
        what = "the form's text fields" if multipart else "the JSON body"
        if info.get("body"):
            body_type = types_codegen().qualify(info["body"]).replace("_t.", "trillet.types.")
            doc.append(f":param body: {what} as one dict (:class:`{body_type}`), merged with the keyword fields.")
        else:
            doc.append(f":param body: {what} as one dict, merged with the keyword fields.")
        doc.append(":param extra_body: more fields sent as they are (ones this SDK does not name yet).")
    if op["query_params"]:
        known = ", ".join(f"``{q}``" for q in op["query_params"])
        doc.append(f":param query: query parameters ({known}).")
    else:
        doc.append(":param query: query parameters.")
    doc.append(":param timeout: seconds allowed for this request (default: the client's).")
    if op["response"] == "text":
        doc.append(":returns: the response text (``str``).")
    else:
        shown = returns.replace("_t.", "trillet.types.")
        if info.get("items"):
            shown = shown.replace("ListPage[", "trillet.ListPage[")
            doc.append(f":returns: the answer's items (``{shown}``, a ``list`` of plain dicts at runtime),")
            doc.append("    whatever envelope the API used; its ``pagination`` and ``has_next`` say what the envelope")
            doc.append("    said about paging.")
        else:
            doc.append(f":returns: the parsed JSON response (``{shown}``; a plain ``dict`` at runtime).")
    doc.append(":raises trillet.TrilletError: the subclass matching the error kind.")
    doc.append('"""')

    args = [q(op["id"])]
    if names:
        inner = ", ".join(f"{q(p)}: {s}" for p, s in names)
        args.append(f"path={{{inner}}}")
    if multipart:
        args += ["file=file", "files=files"]
    if op["body"] != "none":
        fields = ", ".join(f"{q(wire)}: {name}" for wire, name, _ in kw)
        args.append(f"body=merge_body(body, {{{fields}}}, extra_body)")
    args += ["query=query", "timeout=timeout"]

    lines = [f"    {'async ' if asynchronous else ''}def {identifier(op['action'])}("]
    lines += [f"        {s}" for s in sig]
    lines.append(f"    ) -> {returns}:")
    lines += [f"        {d}" if d else "" for d in doc]
    wrap = "as_list(" if info.get("items") else ""
    lines.append(f"        result: {returns} = {wrap}{'await ' if asynchronous else ''}self._call(")
    lines += [f"            {a}," for a in args]
    lines.append("        )" + (")" if wrap else ""))
    lines.append("        return result")
    return lines


def render_raw_method(op: Mapping[str, Any], info: Mapping[str, Any], asynchronous: bool = False) -> List[str]:
    """The typing-only twin of a method in a ``with_raw_response`` view: same parameters, the
    result wrapped in ``RawResponse[...]``."""
    names = [(p, snake(p)) for p in op["path_params"]]
    sig, _ = render_signature(op, info, names)
    lines = [f"        {'async ' if asynchronous else ''}def {identifier(op['action'])}("]
    lines += [f"            {s}" for s in sig]
    lines.append(f"        ) -> RawResponse[{result_annotation(op, info)}]: ...")
    return lines


def list_all_name(op: Mapping[str, Any]) -> Optional[str]:
    """``list_all`` for a paged ``list`` (``page`` and ``limit`` query parameters),
    ``list_all_calls`` for ``list_calls``; ``None`` for an operation that is not a paged list."""
    if op["response"] != "json" or not {"page", "limit"} <= set(op["query_params"]):
        return None
    action = str(op["action"])
    if action == "list":
        return "list_all"
    if action.startswith("list_"):
        return "list_all_" + action[len("list_") :]
    return None


def item_annotation(info: Mapping[str, Any]) -> str:
    """The type of one item of a list answer (``List_CallHistory`` -> ``CallHistory``), else ``Any``."""
    items = info.get("items")
    return str(types_codegen().qualify(str(items))) if items else "Any"


def render_list_all(op: Mapping[str, Any], info: Mapping[str, Any], asynchronous: bool = False) -> List[str]:
    """The lazy iterator over every item of a paged list (``async for`` in the async namespaces)."""
    name = list_all_name(op)
    assert name is not None
    names = [(p, snake(p)) for p in op["path_params"]]
    item = item_annotation(info)
    iterator = f"AsyncIterator[{item}]" if asynchronous else f"Iterator[{item}]"
    loop = "async for" if asynchronous else "for"
    sig = ["self,"] + [f"{s}: str," for p, s in names] + ["*,"]
    sig += [f"limit: int = {DEFAULT_PAGE_LIMIT},", "query: Optional[Query] = None,", "timeout: Optional[float] = None,"]
    shown = item.replace("_t.", "trillet.types.")
    doc = [
        f'"""Every item of ``{op["id"]}``, fetched lazily one page at a time: ``{loop} item in ...``.',
        "",
        f"Pages are requested from 1 with ``limit`` items each; the iteration stops after a page whose",
        "``hasNext`` is false, a page shorter than ``limit`` when the answer does not say ``hasNext``, or",
        "an empty page. An error is raised where the iteration reaches it.",
        "",
    ]
    for p, s in names:
        doc.append(f":param {s}: the ``{p}`` path parameter (required).")
    doc.append(":param limit: items per page.")
    doc.append(":param query: the other query parameters (filters), sent with every page.")
    doc.append(":param timeout: seconds allowed for each page's request (default: the client's).")
    doc.append(f":returns: an iterator of ``{shown}``.")
    doc.append('"""')
    path = ""
    if names:
        inner = ", ".join(f"{q(p)}: {s}" for p, s in names)
        path = f"path={{{inner}}}, "
    lines = [f"    def {name}("]
    lines += [f"        {s}" for s in sig]
    lines.append(f"    ) -> {iterator}:")
    lines += [f"        {d}" if d else "" for d in doc]
    lines.append(f"        return self._list_all({q(op['id'])}, {path}limit=limit, query=query, timeout=timeout)")
    return lines


def raw_class_name(resource: str) -> str:
    """``agents`` -> ``AgentsRawResource`` (exists for type checkers only)."""
    return class_name(resource)[: -len("Resource")] + "RawResource"


def render(catalog: Mapping[str, Any], asynchronous: bool = False) -> str:
    """The whole ``_operations.py`` for a catalog (with its models' types); with
    ``asynchronous`` the whole ``_async_operations.py``: the same classes, prefixed ``Async``, whose
    methods are coroutines."""
    A = "Async" if asynchronous else ""
    base = "AsyncResource" if asynchronous else "Resource"
    types = types_codegen().operation_types(catalog)
    by_resource: Dict[str, List[Mapping[str, Any]]] = {}
    for op in catalog["operations"]:
        by_resource.setdefault(op["resource"], []).append(op)

    caller = "AsyncCaller" if asynchronous else "Caller"
    client = "AsyncClient" if asynchronous else "Client"
    first = (
        '"""The resource namespaces of an :class:`trillet.AsyncClient`: the methods of ``_operations.py`` as coroutines.'
        if asynchronous
        else '"""The resource namespaces of a client, one method per operation of the catalog.'
    )
    iterator = "AsyncIterator" if asynchronous else "Iterator"
    out = [
        first,
        "",
        "GENERATED by ``bindings/python/tools/generate.py`` from ``bindings/operations.json``: do not edit.",
        "Regenerate with ``python3 bindings/python/tools/generate.py``; ``tests/test_generated.py`` fails",
        "when this file drifts from the catalog.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import TYPE_CHECKING, "
        + ", ".join(sorted(["Any", "Dict", iterator, "List", "Literal", "Mapping", "Optional", "Sequence", "Tuple", "Type", "Union"]))
        + ", cast",
        "",
        f"from ._resource import {caller}, {base}, as_list, merge_body",
        "from ._types import FileInput, Query",
        "",
        "if TYPE_CHECKING:",
        "    from . import types as _t",
        "    from ._page import ListPage",
        "    from ._raw import RawResponse",
        "",
        "#: Every operation id these namespaces cover, in catalog order.",
        "OPERATION_IDS: Tuple[str, ...] = (",
    ]
    out += [f"    {q(op['id'])}," for op in catalog["operations"]]
    out.append(")")
    for resource, ops in by_resource.items():
        out += ["", ""]
        out.append(f"class {A}{class_name(resource)}({base}):")
        out.append(f'    """``client.{identifier(resource)}``: {len(ops)} operation{"s" if len(ops) != 1 else ""} of the ``{resource}`` resource."""')
        out.append("")
        out.append("    __slots__ = ()")
        out.append(f"    resource = {q(resource)}")
        out.append("")
        out.append("    @property")
        out.append(f"    def with_raw_response(self) -> {A}{raw_class_name(resource)}:")
        out.append('        """The same namespace, whose methods return a :class:`trillet.RawResponse` (the result in')
        out.append('        ``.data`` plus ``.request_id``, ``.status_code``, ``.attempts``, ``.elapsed_ms``)."""')
        out.append(f"        return cast({q(A + raw_class_name(resource))}, self._raw_view())")
        for op in ops:
            out.append("")
            out += render_method(op, types.get(op["id"], {}), asynchronous)
            if list_all_name(op):
                out.append("")
                out += render_list_all(op, types.get(op["id"], {}), asynchronous)
    out += ["", ""]
    out.append("if TYPE_CHECKING:")
    out.append("    # What type checkers see of a ``with_raw_response`` view: at runtime it is the namespace class")
    out.append("    # itself, bound to a client whose calls return ``RawResponse``.")
    for resource, ops in by_resource.items():
        out.append("")
        out.append(f"    class {A}{raw_class_name(resource)}({base}):")
        out.append(f'        """``client.{identifier(resource)}.with_raw_response``."""')
        for op in ops:
            out.append("")
            out += render_raw_method(op, types.get(op["id"], {}), asynchronous)
    out += ["", ""]
    out.append(f"class {A}RawResources:")
    out.append(f'    """The resource namespaces of ``{client}.with_raw_response``, as type checkers see them (at runtime')
    out.append(f'    each is the namespace class of :data:`RESOURCE_CLASSES`, built on first access by')
    out.append(f'    ``_resource.LazyNamespaces``)."""')
    out.append("")
    for resource in by_resource:
        out.append(f"    {identifier(resource)}: {A}{raw_class_name(resource)}")
    out += ["", ""]
    out.append(f"class {A}Resources:")
    out.append(f'    """The resource namespaces of a :class:`trillet.{client}`, one attribute per resource, as type')
    out.append(f'    checkers see them (at runtime each is built on first access by ``_resource.LazyNamespaces``)."""')
    out.append("")
    for resource in by_resource:
        out.append(f"    {identifier(resource)}: {A}{class_name(resource)}")
    out.append("")
    out.append("")
    out.append("#: The namespace class of each resource.")
    out.append(f"RESOURCE_CLASSES: Dict[str, Type[{base}]] = {{")
    for resource in by_resource:
        out.append(f"    {q(resource)}: {A}{class_name(resource)},")
    out.append("}")
    return "\n".join(out) + "\n"


def outputs(catalog: Mapping[str, Any]) -> Dict[Path, str]:
    """Every generated file and its text: the namespaces and the ``Client`` settings."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from settings_codegen import render_settings

    return {
        OUTPUT: render(catalog),
        ASYNC_OUTPUT: render(catalog, asynchronous=True),
        SETTINGS_OUTPUT: render_settings(catalog),
        TYPES_OUTPUT: types_codegen().render_types(catalog),
    }


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if a generated file is out of date")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in outputs(file_catalog()).items():
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current == text:
            print(f"{path.name} is up to date")
        elif args.check:
            print(f"{path} is out of date: run {Path(__file__).name}", file=sys.stderr)
            stale += 1
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
