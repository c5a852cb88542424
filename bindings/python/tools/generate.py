#!/usr/bin/env python3
"""Generates ``trillet/_operations.py`` (the resource namespaces) and ``trillet/_settings.py`` (the
``Client`` keyword arguments) from the committed operations catalog ``bindings/operations.json``.

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
from typing import Any, Dict, List, Mapping, Sequence

PACKAGE = Path(__file__).resolve().parent.parent / "trillet"
OUTPUT = PACKAGE / "_operations.py"
SETTINGS_OUTPUT = PACKAGE / "_settings.py"
#: The committed operations catalog (``trillet openapi --operations``).
CATALOG = Path(__file__).resolve().parents[2] / "operations.json"

# Keyword arguments every generated method may take; a path parameter must not shadow them.
RESERVED = {"self", "body", "query", "timeout", "file", "files"}


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


def render_method(op: Mapping[str, Any]) -> List[str]:
    params: Sequence[str] = op["path_params"]
    names = []
    for p in params:
        s = snake(p)
        if not p.isidentifier() or not s.isidentifier() or keyword.iskeyword(s) or keyword.iskeyword(p):
            raise ValueError(f"{op['id']}: path parameter {p!r} is not usable as a Python argument")
        if s in RESERVED or p in RESERVED:
            raise ValueError(f"{op['id']}: path parameter {p!r} clashes with a reserved argument")
        names.append((p, s))

    sig = ["self,"]
    for p, s in names:
        sig.append(f"{s}: Optional[PathValue] = None,")
    sig.append("*,")
    for p, s in names:
        if p != s:
            sig.append(f"{p}: Optional[PathValue] = None,")
    multipart = op["body"] == "multipart"
    if multipart:
        sig.append("file: Optional[FileInput] = None,")
        sig.append("files: Optional[Sequence[FileInput]] = None,")
    if op["body"] != "none":
        sig.append("body: Any = None,")
    sig.append("query: Optional[Query] = None,")
    sig.append("timeout: Optional[float] = None,")

    doc = [f'"""{doc_text(op["summary"])}.', ""]
    doc.append(f"``{op['method']} {op['path']}`` (operation ``{op['id']}``).")
    doc.append("")
    for p, s in names:
        alias = f" (or ``{p}=``)" if p != s else ""
        doc.append(f":param {s}: the ``{p}`` path parameter, positional or by keyword{alias}.")
    if multipart:
        doc.append(":param file: the file to upload: a path, bytes, ``(filename, bytes[, content_type])`` or a binary file.")
        doc.append(":param files: more files, as a list.")
        doc.append(":param body: the form's other fields, as a dict.")
    elif op["body"] == "json":
        doc.append(":param body: the JSON body.")
    if op["query_params"]:
        known = ", ".join(f"``{q}``" for q in op["query_params"])
        doc.append(f":param query: query parameters ({known}).")
    else:
        doc.append(":param query: query parameters.")
    doc.append(":param timeout: seconds allowed for this request (default: the client's).")
    if op["response"] == "text":
        doc.append(":returns: the response text (``str``).")
    else:
        doc.append(":returns: the parsed JSON response.")
    doc.append(":raises trillet.TrilletError: the subclass matching the error kind.")
    doc.append('"""')

    args = [q(op["id"])]
    if names:
        inner = ", ".join(
            f"{q(p)}: param({q(s)}, {s}, {q(p)}, {p})" if p != s else f"{q(p)}: {s}" for p, s in names
        )
        args.append(f"path={{{inner}}}")
    if multipart:
        args += ["file=file", "files=files"]
    if op["body"] != "none":
        args.append("body=body")
    args += ["query=query", "timeout=timeout"]

    lines = [f"    def {identifier(op['action'])}("]
    lines += [f"        {s}" for s in sig]
    lines.append("    ) -> Any:")
    lines += [f"        {d}" if d else "" for d in doc]
    lines.append("        return self._call(")
    lines += [f"            {a}," for a in args]
    lines.append("        )")
    return lines


def render(catalog: Mapping[str, Any]) -> str:
    """The whole ``_operations.py`` for a catalog."""
    by_resource: Dict[str, List[Mapping[str, Any]]] = {}
    for op in catalog["operations"]:
        by_resource.setdefault(op["resource"], []).append(op)

    out = [
        '"""The resource namespaces of a client, one method per operation of the catalog.',
        "",
        "GENERATED by ``bindings/python/tools/generate.py`` from ``bindings/operations.json``: do not edit.",
        "Regenerate with ``python3 bindings/python/tools/generate.py``; ``tests/test_generated.py`` fails",
        "when this file drifts from the catalog.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Any, Dict, Optional, Sequence, Tuple, Type",
        "",
        "from ._resource import Caller, Resource, param",
        "from ._types import FileInput, PathValue, Query",
        "",
        "#: Every operation id these namespaces cover, in catalog order.",
        "OPERATION_IDS: Tuple[str, ...] = (",
    ]
    out += [f"    {q(op['id'])}," for op in catalog["operations"]]
    out.append(")")
    for resource, ops in by_resource.items():
        out += ["", ""]
        out.append(f"class {class_name(resource)}(Resource):")
        out.append(f'    """``client.{identifier(resource)}``: {len(ops)} operation{"s" if len(ops) != 1 else ""} of the ``{resource}`` resource."""')
        out.append("")
        out.append("    __slots__ = ()")
        out.append(f"    resource = {q(resource)}")
        for op in ops:
            out.append("")
            out += render_method(op)
    out += ["", ""]
    out.append("class Resources:")
    out.append('    """The resource namespaces of a :class:`trillet.Client`, one attribute per resource."""')
    out.append("")
    for resource in by_resource:
        out.append(f"    {identifier(resource)}: {class_name(resource)}")
    out.append("")
    out.append("    def _init_resources(self, client: Caller) -> None:")
    for resource in by_resource:
        out.append(f"        self.{identifier(resource)} = {class_name(resource)}(client)")
    out.append("")
    out.append("")
    out.append("#: The namespace class of each resource.")
    out.append("RESOURCE_CLASSES: Dict[str, Type[Resource]] = {")
    for resource in by_resource:
        out.append(f"    {q(resource)}: {class_name(resource)},")
    out.append("}")
    return "\n".join(out) + "\n"


def outputs(catalog: Mapping[str, Any]) -> Dict[Path, str]:
    """Every generated file and its text: the namespaces and the ``Client`` settings."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from settings_codegen import render_settings

    return {OUTPUT: render(catalog), SETTINGS_OUTPUT: render_settings(catalog)}


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
