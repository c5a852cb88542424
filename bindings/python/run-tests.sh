#!/usr/bin/env bash
# Runs the Python binding's checks: mypy --strict, then the pytest suite against a local sandbox.
#
#   bindings/python/run-tests.sh               everything
#   bindings/python/run-tests.sh -k webhooks   extra arguments go to pytest
#
# 1. builds the trillet CLI (cargo build -p trillet-cli, for `trillet sandbox`) and then the plain
#    library (cargo build --lib), under $CARGO_TARGET_DIR (default: <repo>/target);
# 2. installs pytest and mypy with pip when they are missing, and uvloop (the AsyncClient's tests
#    run on it too; they are skipped, saying so, when it cannot be installed), standardwebhooks (the
#    webhook cross-check: required) and flask (the Flask receiver example: skipped when it does not install);
# 3. runs mypy (strict; settings in pyproject.toml) on the package, tools/ and bench.py;
# 4. runs pytest with TRILLET_LIB pointing at the freshly built debug library. The tests start
#    the sandbox themselves (a session fixture runs `trillet sandbox --port 0`) and stop it.
# pytest's closing line ("N passed in ...") is the last line; the exit status is non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac
python="${PYTHON:-python3}"

case "$(uname -s)" in
  Darwin) libname=libtrillet.dylib ;;
  *) libname=libtrillet.so ;;
esac

echo "== building the trillet CLI and the Rust library"
# The CLI first, the plain library last: target/debug/libtrillet.so is then the library a user gets
# (no sandbox, no CLI code in it).
(cd "$root" && cargo build --quiet -p trillet-cli && cargo build --quiet --lib)

echo "== Python test tools"
"$python" --version
missing=()
"$python" -c "import pytest" 2>/dev/null || missing+=(pytest)
"$python" -c "import mypy" 2>/dev/null || missing+=(mypy)
# The official Standard Webhooks library: tests/test_webhooks_standard.py cross-checks against it.
"$python" -c "import standardwebhooks" 2>/dev/null || missing+=("standardwebhooks>=1.1,<2")
pip_install=("$python" -m pip install --quiet --disable-pip-version-check)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} with pip"
  # A distribution's own Python may refuse (PEP 668 "externally managed"); these are test tools only.
  PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" "${missing[@]}" ||
    PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" --break-system-packages "${missing[@]}"
fi
if ! "$python" -c "import uvloop" 2>/dev/null; then
  echo "installing uvloop with pip"
  { PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" uvloop ||
    PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" --break-system-packages uvloop; } ||
    echo "uvloop did not install: tests/test_async.py::test_works_under_uvloop will be skipped"
fi
if ! "$python" -c "import flask" 2>/dev/null; then
  echo "installing flask with pip"
  { PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" flask ||
    PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" --break-system-packages flask; } ||
    echo "flask did not install: tests/test_webhooks_receiver.py::test_a_flask_receiver will be skipped"
fi
# Installed above: a missing cross-check library fails the run instead of skipping it.
export TRILLET_REQUIRE_STANDARDWEBHOOKS=1

export TRILLET_LIB="$CARGO_TARGET_DIR/debug/$libname"
export TRILLET_SANDBOX_BIN="$CARGO_TARGET_DIR/debug/trillet"
unset TRILLET_SANDBOX_URL TRILLET_API_KEY TRILLET_WORKSPACE_ID TRILLET_BASE_URL TRILLET_LOG

cd "$here"
echo "== mypy --strict"
"$python" -m mypy --cache-dir "$CARGO_TARGET_DIR/mypy-cache"

echo "== pytest (library: $TRILLET_LIB)"
exec "$python" -m pytest -p no:cacheprovider "$@"
