#!/usr/bin/env bash
# The contract tests: bindings/openapi.json against the API spec and against the sandbox.
#
#   bindings/openapi/run-tests.sh            everything
#   bindings/openapi/run-tests.sh -k example extra arguments go to pytest
#
# 1. installs the pinned tools of requirements.txt with pip when they are missing (schemathesis,
#    openapi-spec-validator, jsonschema, pytest);
# 2. builds the trillet CLI (cargo build -p trillet-cli) and checks that `trillet openapi` writes
#    the committed document byte for byte;
# 3. pytest tests/: the document is valid OpenAPI 3.1, every response_example of the spec validates
#    against its operation's response schema, every documented body field is in its request schema;
# 4. starts `trillet sandbox --port 0`, creates one document of each kind in it (fixtures.py: their
#    ids become the path parameters, see schemathesis.toml) and runs `schemathesis run` over every operation with the
#    sandbox's key and workspace headers (schemathesis.toml: fixed seed, bounded examples, the
#    checks, and the per-operation exclusions with their reasons). Target: 0 failures.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
case "$CARGO_TARGET_DIR" in /*) ;; *) CARGO_TARGET_DIR="$root/$CARGO_TARGET_DIR" ;; esac
python="${PYTHON:-python3}"

echo "== contract test tools (pinned in requirements.txt)"
if ! "$python" - "$here/requirements.txt" <<'PY'
import sys
from importlib import metadata
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if not line:
        continue
    name, version = line.split("==")
    try:
        if metadata.version(name) != version:
            sys.exit(1)
    except metadata.PackageNotFoundError:
        sys.exit(1)
PY
then
  pip_install=("$python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt")
  # A distribution's own Python may refuse (PEP 668 "externally managed"); these are test tools only.
  PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" ||
    PIP_ROOT_USER_ACTION=ignore "${pip_install[@]}" --break-system-packages
fi
schemathesis=("$python" -m schemathesis.cli)
"${schemathesis[@]}" --version

echo "== building the trillet CLI"
(cd "$root" && cargo build --quiet -p trillet-cli)
bin="$CARGO_TARGET_DIR/debug/trillet"

echo "== trillet openapi writes bindings/openapi.json byte for byte"
"$bin" openapi | cmp -s - "$root/bindings/openapi.json" ||
  { echo "bindings/openapi.json is out of date: run scripts/check-contract --write" >&2; exit 1; }

echo "== pytest: the document against the spec"
(cd "$here" && "$python" -m pytest -p no:cacheprovider -q tests "$@")

echo "== schemathesis: the sandbox against the document"
key="sk_test_contract_$$"
workspace="64c0ffee0c0ffee0c0ffee01"
log="$(mktemp -d)"
"$bin" sandbox --port 0 --api-key "$key" --workspace-id "$workspace" >"$log/url" 2>"$log/stderr" &
sandbox_pid=$!
trap 'kill "$sandbox_pid" 2>/dev/null || true; wait "$sandbox_pid" 2>/dev/null || true; rm -rf "$log"' EXIT
for _ in $(seq 100); do
  [ -s "$log/url" ] && break
  sleep 0.1
done
url="$(head -n 1 "$log/url")"
case "$url" in http://127.0.0.1:*) ;; *) echo "the sandbox did not print its URL" >&2; cat "$log/stderr" >&2; exit 1 ;; esac
echo "sandbox at $url"
echo "== fixtures: one document of each kind, for the operations that take an id"
while IFS='=' read -r name value; do
  export "TRILLET_FIXTURE_$name=$value"
  echo "  $name=$value"
done < <("$python" "$here/fixtures.py" "$url" "$key" "$workspace")
[ -n "${TRILLET_FIXTURE_AGENT:-}" ] || { echo "fixtures.py created nothing" >&2; exit 1; }
cd "$here"
"${schemathesis[@]}" --config-file "$here/schemathesis.toml" run "$root/bindings/openapi.json" \
  --url "$url" -H "x-api-key: $key" -H "x-workspace-id: $workspace" \
  --no-shrink --output-truncate false --report junit --report-dir "$CARGO_TARGET_DIR/schemathesis"
