#!/usr/bin/env bash
# Builds the Rust library and the trillet CLI, then vets and tests the Go binding against a
# local sandbox (started by the tests' TestMain) and runs the benchmark against net/http.
#
#   bindings/go/run-tests.sh                   release static library (what users link)
#   PROFILE=debug bindings/go/run-tests.sh     the debug static library instead
#   bindings/go/run-tests.sh Retries           only the tests whose name matches "Retries"
#   BENCH=0 bindings/go/run-tests.sh           skip the benchmark
#
# 1. cargo build -p trillet-cli (the sandbox), then cargo build --lib [--release]
#    (libtrillet.a). CARGO_TARGET_DIR is honoured. The package links through pkg-config
#    (`#cgo pkg-config: --static trillet`), so this script writes trillet.pc files pointing at
#    that build (<target>/<profile>/pkgconfig/{static,shared}/) and sets PKG_CONFIG_PATH to the
#    static one: what `make -C bindings/c install` would give a user, without installing;
# 2. gofmt -l must list nothing; go vet ./... must pass;
# 3. go generate must leave operations_gen.go, config_gen.go and models_gen.go unchanged (also
#    checked by tests);
# 4. go test -race -count=1 ./... (TestMain starts `trillet sandbox --port 0`);
# 5. a smoke test linking the shared library instead (PKG_CONFIG_PATH=.../pkgconfig/shared);
# 6. go test -bench: the same GET through trillet and net/http, with the ratio.
# No network beyond loopback; the module has no dependencies outside the standard library.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
profile="${PROFILE:-release}"
filter="${1:-}"

# Go: the one on PATH, else /usr/local/go/bin; never download a toolchain.
if ! command -v go >/dev/null 2>&1; then
  export PATH="/usr/local/go/bin:$PATH"
fi
command -v go >/dev/null 2>&1 || { echo "go is missing (looked on PATH and in /usr/local/go/bin)" >&2; exit 1; }
export GOTOOLCHAIN=local
export CGO_ENABLED=1

case "$profile" in
  release) cargo_profile=(--release) ;;
  debug) cargo_profile=() ;;
  *) echo "PROFILE must be release or debug" >&2; exit 2 ;;
esac

echo "== building the trillet CLI (sandbox) and the Rust library ($profile)"
(cd "$root" && cargo build --quiet -p trillet-cli && cargo build --quiet --lib "${cargo_profile[@]}")

libdir="$CARGO_TARGET_DIR/$profile"
[ -f "$libdir/libtrillet.a" ] || { echo "missing $libdir/libtrillet.a" >&2; exit 1; }
. "$here/build-tree-pc.sh" "$root" "$libdir"
echo "linking $libdir/libtrillet.a (PKG_CONFIG_PATH=$PKG_CONFIG_PATH)"
export TRILLET_SANDBOX_BIN="$CARGO_TARGET_DIR/debug/trillet"
unset TRILLET_SANDBOX_URL

cd "$here"
echo "== $(go version)"
echo "== gofmt"
unformatted="$(gofmt -l .)"
if [ -n "$unformatted" ]; then
  echo "gofmt would change:" >&2
  echo "$unformatted" >&2
  exit 1
fi
echo "== go vet"
go vet ./...

echo "== go generate leaves operations_gen.go, config_gen.go and models_gen.go unchanged"
before="$(mktemp -d)"
trap 'rm -rf "$before"' EXIT
cp operations_gen.go config_gen.go models_gen.go "$before/"
go generate ./...
for generated in operations_gen.go config_gen.go models_gen.go; do
  if ! cmp -s "$before/$generated" "$generated"; then
    diff -u "$before/$generated" "$generated" >&2 || true
    echo "$generated was out of date with bindings/operations.json or bindings/openapi.json: regenerated; commit it" >&2
    exit 1
  fi
done

echo "== go test -race"
run_args=()
[ -n "$filter" ] && run_args=(-run "$filter")
out="$(mktemp)"
shared_test="$(mktemp)"
trap 'rm -rf "$before"; rm -f "$out" "$shared_test"' EXIT
rc=0
go test -race -count=1 -timeout 5m -v "${run_args[@]}" ./... >"$out" 2>&1 || rc=$?
grep -E '^(=== RUN|\s*--- (PASS|FAIL|SKIP)|ok|FAIL|PASS|panic)' "$out" | grep -v '=== RUN' || true
passed="$(grep -cE '^\s*--- PASS' "$out" || true)"
failed="$(grep -cE '^\s*--- FAIL' "$out" || true)"
if [ "$rc" -ne 0 ]; then
  echo "go test failed (exit $rc):" >&2
  grep -vE '^(=== RUN|\s*--- PASS)' "$out" | tail -n 80 >&2
  echo "$passed passed, $((failed > 0 ? failed : 1)) failed"
  exit 1
fi

if [ -z "$filter" ]; then
  echo "== the shared library (PKG_CONFIG_PATH=$pcdir/shared): a smoke test"
  # Built first, so the test binary's dynamic section can show that it loads libtrillet.so.0.
  if PKG_CONFIG_PATH="$pcdir/shared" CGO_CPPFLAGS="$cppflags_base -DTRILLET_PC_SHARED_$(stamp "$libdir/libtrillet.so")" \
    go test -c -o "$shared_test" . >"$out" 2>&1 &&
    readelf -d "$shared_test" | grep -q 'Shared library: \[libtrillet\.so\.0\]' &&
    "$shared_test" -test.count=1 \
      -test.run '^(TestVersion|TestAgentsCRUDThroughTheTypedNamespace|TestVerifyWebhook)$' >>"$out" 2>&1; then
    passed=$((passed + 1))
    echo "--- PASS: shared library links and serves calls"
  else
    failed=$((failed + 1))
    echo "--- FAIL: shared library ($pcdir/shared/trillet.pc)"
    cat "$out" >&2
  fi
fi

if [ "${BENCH:-1}" = "1" ] && [ -z "$filter" ]; then
  echo "== go test -bench (the same GET through trillet and net/http)"
  go test -count=1 -run '^$' -bench . -benchtime 1000x .
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
