"""Finding the native library: TRILLET_LIB wins, then the bundled copy, then (in a git checkout
only) the repository's target directory; a clear ImportError when there is none. Each case runs in
a fresh interpreter."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Dict, Optional, Tuple

import pytest

import trillet
from trillet import _native

PACKAGE = Path(trillet.__file__).resolve().parent
REPO = Path(__file__).resolve().parent.parent.parent.parent
PROBE = "import trillet, trillet._native as n; print(n.LIB_PATH); print(trillet.__version__)"


def run(pythonpath: Path, env: Dict[str, Optional[str]]) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ)
    for key in ("TRILLET_LIB", "CARGO_TARGET_DIR"):
        full.pop(key, None)
    for key, value in env.items():
        if value is not None:
            full[key] = value
    full["PYTHONPATH"] = str(pythonpath)
    # `python -c` puts the working directory first on sys.path: run from the package's parent.
    return subprocess.run(
        [sys.executable, "-c", PROBE], env=full, cwd=pythonpath, capture_output=True, text=True, timeout=60
    )


def copy_package(dest: Path, with_library: bool) -> Path:
    shutil.copytree(PACKAGE, dest / "trillet", ignore=shutil.ignore_patterns("__pycache__", "libtrillet.*"))
    if with_library:
        shutil.copy2(_native.LIB_PATH, dest / "trillet" / _native.library_filename())
    return dest


def test_trillet_lib_wins(tmp_path: Path) -> None:
    lib = tmp_path / "custom" / _native.library_filename()
    lib.parent.mkdir()
    shutil.copy2(_native.LIB_PATH, lib)
    bundled = copy_package(tmp_path / "pkg", with_library=True)
    done = run(bundled, {"TRILLET_LIB": str(lib)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(lib)


def test_a_wrong_trillet_lib_is_an_import_error_naming_it(tmp_path: Path) -> None:
    bundled = copy_package(tmp_path, with_library=True)
    done = run(bundled, {"TRILLET_LIB": str(tmp_path / "nope.so")})
    assert done.returncode != 0
    assert "LibraryNotFoundError" in done.stderr and "TRILLET_LIB=" in done.stderr and "nope.so" in done.stderr


def test_the_bundled_copy_is_used_outside_the_repository(tmp_path: Path) -> None:
    bundled = copy_package(tmp_path, with_library=True)
    done = run(bundled, {})
    assert done.returncode == 0, done.stderr
    path, version = done.stdout.splitlines()
    assert path == str(tmp_path / "trillet" / _native.library_filename())
    assert version == trillet.__version__


def test_no_library_anywhere_is_a_clear_import_error(tmp_path: Path) -> None:
    bare = copy_package(tmp_path, with_library=False)
    done = run(bare, {})
    assert done.returncode != 0
    assert "LibraryNotFoundError: could not find the trillet native library" in done.stderr
    assert str(tmp_path / "trillet" / _native.library_filename()) in done.stderr
    assert "pip install ./bindings/python" in done.stderr and "TRILLET_LIB" in done.stderr
    assert issubclass(trillet.LibraryNotFoundError, ImportError)


def test_the_repository_build_is_found_in_a_checkout() -> None:
    target = Path(_native.LIB_PATH).parent.parent  # <target>/<profile>/libtrillet.so
    if _native.repository_root() is None:
        pytest.skip("testing an installed package: there is no checkout around it")
    done = run(PACKAGE.parent, {"CARGO_TARGET_DIR": str(target)})
    assert done.returncode == 0, done.stderr
    found = Path(done.stdout.splitlines()[0])
    assert found.parent.parent == target and found.parent.name in ("release", "debug")
    assert found.name == _native.library_filename()


def fake_checkout(tmp_path: Path, with_git: bool) -> Tuple[Path, Path]:
    """``<tmp>/repo/bindings/python/trillet`` (no bundled library) and ``repo/target/debug/libtrillet``."""
    root = tmp_path / "repo"
    python_dir = copy_package(root / "bindings" / "python", with_library=False)
    (root / "Cargo.toml").write_text('[package]\nname = "trillet"\n', encoding="utf-8")
    (root / "src" / "ffi").mkdir(parents=True)
    lib = root / "target" / "debug" / _native.library_filename()
    lib.parent.mkdir(parents=True)
    shutil.copy2(_native.LIB_PATH, lib)
    if with_git:
        (root / ".git").mkdir()
    return python_dir, lib


def test_a_git_checkout_falls_back_to_its_target_directory(tmp_path: Path) -> None:
    python_dir, lib = fake_checkout(tmp_path, with_git=True)
    done = run(python_dir, {})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == str(lib)


def test_the_same_layout_without_git_is_not_a_checkout_and_never_loads_target(tmp_path: Path) -> None:
    python_dir, lib = fake_checkout(tmp_path, with_git=False)
    done = run(python_dir, {})
    assert done.returncode != 0
    assert "LibraryNotFoundError: could not find the trillet native library" in done.stderr
    assert "target" not in done.stderr.replace(str(tmp_path), "")
    assert str(lib) not in done.stderr


def test_an_installed_package_ignores_cargo_target_dir(tmp_path: Path) -> None:
    target = Path(_native.LIB_PATH).parent.parent  # a real <target>/<profile>/libtrillet.so exists
    bare = copy_package(tmp_path / "site-packages", with_library=False)
    done = run(bare, {"CARGO_TARGET_DIR": str(target)})
    assert done.returncode != 0
    assert "LibraryNotFoundError" in done.stderr and str(target) not in done.stderr


def test_the_installed_package_loads_its_bundled_library() -> None:
    if not os.environ.get("TRILLET_TEST_INSTALLED"):
        pytest.skip("testing the checkout's package: scripts/test-install runs this against the installed wheel")
    assert not os.environ.get("TRILLET_LIB"), "the installed package must be tested with its own library"
    assert "site-packages" in PACKAGE.parts, PACKAGE
    assert _native.repository_root() is None
    assert Path(_native.LIB_PATH) == PACKAGE / _native.library_filename()
    assert [label for label, _ in _native.candidate_paths()] == ["bundled with the package"]


def test_version_is_the_library_and_crate_version() -> None:
    assert trillet.__version__ == _native.version()
    cargo = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    match = re.search(r'^\[package\][^\[]*?^version\s*=\s*"([^"]+)"', cargo, re.M | re.S)
    assert match is not None
    assert trillet.__version__ == match.group(1)
