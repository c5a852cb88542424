#!/usr/bin/env bash
# Runs the C example and the C test suite against a local sandbox, under valgrind.
#
#   bindings/c/run-tests.sh                 link the static library (default)
#   LINK=shared bindings/c/run-tests.sh     link the shared library
#   bindings/c/run-tests.sh retries         only the test cases whose name contains "retries"
#
# 1. builds the trillet CLI (cargo build -p trillet-cli) and the Rust library (cargo build --lib);
# 2. builds the example and the tests with bindings/c/Makefile, and checks trillet.pc links;
# 3. starts `trillet sandbox --port 0` and reads its base URL from its first stdout line;
# 4. runs the quickstart (static and shared) and the tests under
#    valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1:
#    any memory error or any byte definitely lost fails the run;
# 5. stops the sandbox (trap) and prints the summary `N passed, N failed` as its last line.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
link="${LINK:-static}"
case "$link" in
  static) other=shared ;;
  shared) other=static ;;
  *) echo "LINK must be static or shared" >&2; exit 2 ;;
esac
filter="${1:-}"
VALGRIND=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1)
command -v valgrind >/dev/null 2>&1 || { echo "valgrind is missing: run scripts/install-deps" >&2; exit 1; }

echo "== building the trillet CLI and the Rust library"
# The CLI first, the plain library last: target/debug/libtrillet.{a,so} are then the library a
# C user gets (no sandbox, no CLI code in it).
(cd "$root" && cargo build --quiet -p trillet-cli && cargo build --quiet --lib)
echo "== building the C example and tests"
make -C "$here" --no-print-directory --quiet NO_CARGO=1 LINK="$link" all
make -C "$here" --no-print-directory --quiet NO_CARGO=1 LINK="$other" "build/$other/quickstart"

work="$(mktemp -d)"
sandbox_pid=""
cleanup() {
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== starting the sandbox"
"$CARGO_TARGET_DIR/debug/trillet" sandbox --port 0 >"$work/sandbox.out" 2>"$work/sandbox.err" &
sandbox_pid=$!
url=""
for _ in $(seq 1 300); do
  if [ "$(wc -l <"$work/sandbox.out")" -ge 1 ]; then
    url="$(head -n 1 "$work/sandbox.out")"
    break
  fi
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.1
done
if ! [[ "$url" =~ ^http://127\.0\.0\.1:[0-9]+$ ]]; then
  echo "the sandbox did not print its URL (got '${url}'); its stderr:" >&2
  cat "$work/sandbox.err" >&2
  exit 1
fi
echo "sandbox at $url"
export TRILLET_SANDBOX_URL="$url"

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok     $1"; }
fail() { failed=$((failed + 1)); echo "FAILED $1"; }

# Reports valgrind's verdict from its log: errors and bytes definitely lost.
memcheck() {
  local name="$1" log="$2" rc="$3"
  local errors lost
  errors="$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -n 1 | tr -d ,)"
  lost="$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1 | tr -d ,)"
  echo "   valgrind ($name): ${errors:-?} errors, ${lost:-0} bytes definitely lost"
  if [ "$rc" -ne 1 ] && [ "${errors:-1}" = "0" ] && [ "${lost:-0}" = "0" ]; then
    pass "valgrind: $name has no memory errors and no definite leaks"
  else
    fail "valgrind: $name has memory errors or definite leaks"
    grep -E '^==[0-9]+==' "$log" | head -n 60 >&2 || true
  fi
}

if [ -z "$filter" ]; then
  echo "== quickstart ($link and $other) under valgrind"
  for kind in "$link" "$other"; do
    rc=0
    TRILLET_API_KEY=sk_test_trillet_sandbox TRILLET_WORKSPACE_ID=64a1b2c3d4e5f6a7b8c9d0e1 TRILLET_BASE_URL="$url" \
      "${VALGRIND[@]}" --log-file="$work/vg-quickstart-$kind.log" "$here/build/$kind/quickstart" \
      >"$work/quickstart-$kind.out" 2>&1 || rc=$?
    if [ "$rc" -eq 0 ] && grep -q '^created: .*"Quickstart agent"' "$work/quickstart-$kind.out" &&
      grep -q '^agents: \[' "$work/quickstart-$kind.out" &&
      grep -q '^missing: not_found (404)$' "$work/quickstart-$kind.out"; then
      pass "quickstart ($kind library) creates and lists an agent, tells a 404 by its status"
    else
      fail "quickstart ($kind library) exited $rc"
      cat "$work/quickstart-$kind.out" >&2
    fi
    memcheck "quickstart ($kind)" "$work/vg-quickstart-$kind.log" "$rc"
  done

  if make -C "$here" --no-print-directory --quiet NO_CARGO=1 pkgconfig-check >"$work/pc.out" 2>&1; then
    pass "pkg-config: the example compiles and links with trillet.pc's flags"
  else
    fail "pkg-config: the example does not build with trillet.pc's flags"
    cat "$work/pc.out" >&2
  fi
fi

echo "== C tests ($link library) under valgrind"
rc=0
"${VALGRIND[@]}" --log-file="$work/vg-tests.log" "$here/build/$link/test_trillet" $filter | tee "$work/tests.out" || rc=$?
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$work/tests.out" | tail -n 1 || true)"
if [ -n "$summary" ]; then
  passed=$((passed + $(echo "$summary" | cut -d' ' -f1)))
  failed=$((failed + $(echo "$summary" | cut -d' ' -f3)))
else
  fail "C tests did not finish (exit status $rc)"
fi
memcheck "C tests" "$work/vg-tests.log" "$rc"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
