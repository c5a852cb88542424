"""Builds the native library with cargo and bundles it inside the ``trillet`` package.

``pip install ./bindings/python`` (from a checkout of the repository) runs
``cargo build --release --lib`` on the crate two directories up (no features: neither the CLI nor
the sandbox), then copies ``libtrillet.so`` (``.dylib`` on macOS) next to ``trillet/__init__.py``
in the wheel. The wheel is tagged ``py3-none-<platform>``: it holds no Python extension, only a
shared library loaded with ctypes, so any CPython 3.9+ on that platform can use it.

Environment:
  CARGO_TARGET_DIR       where cargo builds (default: <repo>/target), as for cargo itself.
  TRILLET_PREBUILT_LIB   bundle this already-built library instead of running cargo.
  CARGO                  the cargo executable (default: `cargo` on PATH).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Tuple

from setuptools import setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent


def library_filename() -> str:
    if sys.platform == "darwin":
        return "libtrillet.dylib"
    if sys.platform == "win32":
        return "trillet.dll"
    return "libtrillet.so"


def cargo_manifest() -> Path:
    manifest = REPO / "Cargo.toml"
    if not manifest.is_file():
        raise SystemExit(
            f"trillet: {manifest} not found. Build the Python package from a checkout of the trillet "
            "repository (pip install ./bindings/python), or set TRILLET_PREBUILT_LIB to an already-built "
            f"{library_filename()}."
        )
    return manifest


def cargo_version() -> str:
    """The crate's version: the package's version is always the library's."""
    text = cargo_manifest().read_text(encoding="utf-8")
    package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    version = re.search(r'^version\s*=\s*"([^"]+)"', package.group(1) if package else "", re.M)
    if version is None:
        raise SystemExit(f"trillet: no [package] version in {cargo_manifest()}")
    return version.group(1)


def build_native_library() -> Path:
    prebuilt = os.environ.get("TRILLET_PREBUILT_LIB")
    if prebuilt:
        path = Path(prebuilt)
        if not path.is_file():
            raise SystemExit(f"trillet: TRILLET_PREBUILT_LIB={prebuilt!r} is not a file")
        return path
    manifest = cargo_manifest()
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo:
        raise SystemExit("trillet: building the package needs Rust's cargo on PATH (https://rustup.rs)")
    target = Path(os.environ.get("CARGO_TARGET_DIR") or REPO / "target")
    if not target.is_absolute():
        target = REPO / target
    command = [cargo, "build", "--release", "--lib", "--manifest-path", str(manifest)]
    print("trillet: " + " ".join(command), flush=True)
    subprocess.run(command, cwd=REPO, check=True, env={**os.environ, "CARGO_TARGET_DIR": str(target)})
    library = target / "release" / library_filename()
    if not library.is_file():
        raise SystemExit(f"trillet: cargo finished but {library} does not exist")
    return library


class BuildPyWithNativeLibrary(build_py):  # type: ignore[misc]
    """``build_py`` plus the native library, copied into the built package."""

    def run(self) -> None:
        super().run()
        library = build_native_library()
        dest = Path(self.build_lib) / "trillet" / library_filename()
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(library, dest)
        print(f"trillet: bundled {library} as {dest}", flush=True)


class PlatformWheel(bdist_wheel):  # type: ignore[misc]
    """A wheel for this platform (it holds a shared library), for any Python 3."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> Tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


kwargs: Any = {"cmdclass": {"build_py": BuildPyWithNativeLibrary, "bdist_wheel": PlatformWheel}}
setup(version=cargo_version(), **kwargs)
