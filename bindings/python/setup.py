"""Builds the wheel with setuptools-rust: the crate's cdylib, bundled inside the ``trillet`` package.

``pip wheel ./bindings/python`` (or ``python -m build``) runs setuptools-rust, which builds the
crate with ``cargo rustc --lib --release --features strip-log`` (the shipped build; neither the
CLI nor the sandbox) and copies the library into the package as ``trillet/libtrillet.so`` (``.dylib`` on macOS), where ``trillet._native`` loads it with ctypes.
``Binding.NoBinding`` is setuptools-rust's mode for exactly that: a plain shared library, no
Python extension module. So the wheel is tagged ``py3-none-<platform>``: any CPython 3.9+ on that
platform can use it. On Linux, ``auditwheel repair`` turns ``linux_x86_64`` into ``manylinux_*``.

Where the crate is: in a checkout, two directories up (``../../Cargo.toml``); in an sdist, under
``rust/`` (the sdist command unpacks the ``.crate`` that ``cargo package`` makes there), so an sdist
builds from source anywhere with cargo.

Environment: ``CARGO_TARGET_DIR`` (where cargo builds) and ``CARGO`` (the cargo executable) are
honoured as by setuptools-rust and cargo, and so is setuptools-rust's ``CARGO_BUILD_TARGET``.

The wheel for older Linux (manylinux2014: glibc 2.17, CentOS 7 and newer) is built the same way,
with cargo-zigbuild as setuptools-rust's cargo and cargo-zigbuild's glibc-versioned target::

    pip install cargo-zigbuild ziglang      # into the environment that runs the build (not the isolated one)
    CARGO=/that/env/bin/cargo-zigbuild CARGO_BUILD_TARGET=x86_64-unknown-linux-gnu.2.17 python -m build --wheel

setuptools-rust then runs ``cargo-zigbuild rustc --lib --release --target
x86_64-unknown-linux-gnu.2.17`` (the same release profile; zig is the C compiler and the linker,
linking against glibc 2.17's symbol versions) and takes the library from cargo's own report of
what it built, so the wheel never bundles a stale file; ``auditwheel repair --plat
manylinux2014_x86_64`` then accepts it. cargo-zigbuild runs zig as ``python -m ziglang``: unless
``CARGO_ZIGBUILD_PYTHON_PATH`` or ``CARGO_ZIGBUILD_ZIG_PATH`` says otherwise, this script points it
at the Python beside ``CARGO`` (pip installs both packages there), since the isolated build
environment's Python on ``PATH`` has no ziglang. ``scripts/build-manylinux-lib`` makes the same
library for the Node package.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any, List, Tuple

from setuptools import setup
from setuptools.command.sdist import sdist
from setuptools_rust import Binding, RustExtension
from setuptools_rust.build import build_rust

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
SDIST_CRATE = HERE / "rust"  # the crate's sources inside an sdist
CHECKOUT_CRATE = HERE.parent.parent  # the repository root, in a checkout


def library_filename() -> str:
    if sys.platform == "darwin":
        return "libtrillet.dylib"
    if sys.platform == "win32":
        return "trillet.dll"
    return "libtrillet.so"


def crate_dir() -> Path:
    for candidate in (SDIST_CRATE, CHECKOUT_CRATE):
        if (candidate / "Cargo.toml").is_file() and (candidate / "src" / "ffi").is_dir():
            return candidate
    raise SystemExit(
        f"trillet: the Rust crate was not found ({SDIST_CRATE} in an sdist, {CHECKOUT_CRATE} in a checkout). "
        "Build the package from a checkout of the trillet repository or from its sdist."
    )


def cargo_version() -> str:
    """The crate's version: the package's version is always the library's."""
    manifest = crate_dir() / "Cargo.toml"
    text = manifest.read_text(encoding="utf-8")
    package = re.search(r"^\[package\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    version = re.search(r'^version\s*=\s*"([^"]+)"', package.group(1) if package else "", re.M)
    if version is None:
        raise SystemExit(f"trillet: no [package] version in {manifest}")
    return version.group(1)


class BuildRustAsPlainLibrary(build_rust):  # type: ignore[misc]
    """setuptools-rust's ``build_rust``, naming the library ``libtrillet.so`` (not ``*.cpython-*.so``).

    It is not a Python extension module: ctypes loads it by that name, from any Python 3.
    """

    def get_dylib_ext_path(self, ext: RustExtension, target_fname: str) -> str:
        path: str = super().get_dylib_ext_path(ext, target_fname)
        return os.path.join(os.path.dirname(path), library_filename())


class PlatformWheel(bdist_wheel):  # type: ignore[misc]
    """A wheel for this platform (it holds a shared library), for any Python 3."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> Tuple[str, str, str]:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


class SdistWithCrate(sdist):  # type: ignore[misc]
    """``sdist`` plus the crate under ``rust/``: the contents of the ``.crate`` ``cargo package`` makes.

    That is exactly what a crate registry would get: the files Cargo.toml's ``include`` names and a
    normalized Cargo.toml (targets whose files are not shipped, such as the benchmarks, left out).
    """

    def make_release_tree(self, base_dir: str, files: List[str]) -> None:
        super().make_release_tree(base_dir, files)
        dest = Path(base_dir) / "rust"
        crate = crate_dir()
        if crate == SDIST_CRATE:  # an sdist made from an sdist: copy the crate as it is
            shutil.copytree(crate, dest, ignore=shutil.ignore_patterns("target"))
            return
        cargo = os.environ.get("CARGO") or shutil.which("cargo") or "cargo"
        manifest = str(crate / "Cargo.toml")
        subprocess.run([cargo, "package", "--allow-dirty", "--no-verify", "--quiet", "--manifest-path", manifest], check=True)
        metadata = subprocess.run(
            [cargo, "metadata", "--format-version", "1", "--no-deps", "--manifest-path", manifest],
            check=True,
            capture_output=True,
            text=True,
        )
        target = Path(json.loads(metadata.stdout)["target_directory"])
        name = f"trillet-{cargo_version()}"
        with tarfile.open(target / "package" / f"{name}.crate") as archive:
            for member in archive.getmembers():
                if not member.isfile() or not member.name.startswith(name + "/"):
                    continue
                path = dest / member.name[len(name) + 1 :]
                path.parent.mkdir(parents=True, exist_ok=True)
                source = archive.extractfile(member)
                assert source is not None
                path.write_bytes(source.read())


# A cargo-zigbuild target: a Linux GNU triple with the glibc version to link against, e.g.
# x86_64-unknown-linux-gnu.2.17. Plain cargo does not know it.
ZIGBUILD_TARGET = re.compile(r"[a-z0-9_]+-[a-z0-9_]+-linux-gnu[a-z0-9_]*\.[0-9]+\.[0-9]+")


def prepare_zigbuild() -> None:
    """Checks and completes the environment of a cargo-zigbuild build (see the module's documentation).

    Nothing happens unless ``CARGO_BUILD_TARGET`` names a glibc-versioned target.
    """
    target = os.environ.get("CARGO_BUILD_TARGET", "")
    if not ZIGBUILD_TARGET.fullmatch(target):
        return
    cargo = os.environ.get("CARGO", "")
    resolved = shutil.which(cargo) if cargo else None
    if resolved is None or "zigbuild" not in os.path.basename(resolved):
        raise SystemExit(
            f"trillet: CARGO_BUILD_TARGET={target} is a cargo-zigbuild target (a glibc version after the triple): "
            "set CARGO to the cargo-zigbuild executable (pip install cargo-zigbuild ziglang), "
            f"not {cargo or 'cargo'}"
        )
    if not (os.environ.get("CARGO_ZIGBUILD_PYTHON_PATH") or os.environ.get("CARGO_ZIGBUILD_ZIG_PATH")):
        beside = Path(resolved).parent / ("python.exe" if sys.platform == "win32" else "python")
        if beside.is_file():
            os.environ["CARGO_ZIGBUILD_PYTHON_PATH"] = str(beside)


def crate_types() -> str:
    """The ``[lib] crate-type`` list of Cargo.toml, comma-separated (it must hold ``cdylib``).

    Passed to setuptools-rust's ``cargo rustc --crate-type`` so that its build is the very unit
    ``cargo build --lib --release`` builds: asking for ``cdylib`` alone would be another unit, and
    the two would keep rebuilding each other's ``target/release/libtrillet.so``.
    """
    text = (crate_dir() / "Cargo.toml").read_text(encoding="utf-8")
    found = re.search(r"^\[lib\][^\[]*?^crate-type\s*=\s*\[([^\]]*)\]", text, re.M | re.S)
    types = re.findall(r'"([^"]+)"', found.group(1)) if found else []
    if "cdylib" not in types:
        raise SystemExit(f"trillet: Cargo.toml's [lib] crate-type has no cdylib: {types}")
    return ",".join(types)


def manifest_path() -> str:
    # setuptools-rust wants it relative to the working directory, which pip makes this directory.
    return os.path.relpath(crate_dir() / "Cargo.toml", os.getcwd())


kwargs: Any = {
    "cmdclass": {"build_rust": BuildRustAsPlainLibrary, "bdist_wheel": PlatformWheel, "sdist": SdistWithCrate},
    "rust_extensions": [
        RustExtension(
            "trillet.libtrillet",
            path=manifest_path(),
            binding=Binding.NoBinding,
            py_limited_api=False,
            args=["--crate-type", crate_types()],
            # The shipped build: every Rust `log` record compiled out (Cargo.toml, strip-log).
            features=["strip-log"],
            # The library is the product: always optimised, whatever setuptools' --debug says.
            debug=False,
        )
    ],
    "zip_safe": False,
}
prepare_zigbuild()
setup(version=cargo_version(), **kwargs)
