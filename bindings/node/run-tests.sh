#!/usr/bin/env bash
# Runs the Node binding's checks: the generated files' drift check, then `node --test` against a
# local sandbox (each test file starts `trillet sandbox --port 0` itself and stops it), including
# `tsc --strict --noEmit` on user code.
#
#   bindings/node/run-tests.sh                      everything
#   bindings/node/run-tests.sh test/cancel.test.mjs  some test files only
#
# 1. builds the trillet CLI (for `trillet sandbox`) and then the plain library, under
#    $CARGO_TARGET_DIR (default: <repo>/target);
# 2. installs the package's npm dependencies (koffi; typescript, @types/node and standardwebhooks
#    for the tests) with `npm ci` from package-lock.json;
# 3. runs the tests with TRILLET_LIB pointing at the freshly built debug library.
# The test runner's closing summary ("# pass N", "# fail N") ends the output; the exit status is
# non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac

echo "== building the trillet CLI and the Rust library"
# The CLI's build command (the sandbox binary, $CARGO_TARGET_DIR/debug/trillet): one line.
build_cli=(cargo build --quiet -p trillet-cli)
# The CLI first, the plain library last: target/debug/libtrillet.so is then the library a user gets.
(cd "$root" && "${build_cli[@]}" && cargo build --quiet --lib)

echo "== npm dependencies (npm ci)"
node --version
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)

export TRILLET_LIB="$CARGO_TARGET_DIR/debug/libtrillet.so"
export TRILLET_SANDBOX_BIN="$CARGO_TARGET_DIR/debug/trillet"
unset TRILLET_API_KEY TRILLET_WORKSPACE_ID TRILLET_BASE_URL TRILLET_LOG TRILLET_TEST_PACKAGE

cd "$here"
echo "== generated files are up to date"
node tools/generate.mjs --check

echo "== node --test (library: $TRILLET_LIB)"
if [ $# -eq 0 ]; then set -- test/*.test.mjs; fi
# One file at a time: the timing tests (liveness, concurrency) must not share the 2 cores with others.
exec node --test --test-concurrency=1 --test-reporter=spec "$@"
