#!/usr/bin/env bash
# Runs every test: installs what is missing, builds native and web, then the Catch2
# unit tests (ctest) and the end-to-end tests (node:test: protocol against a real
# server, browser tests in headless Chromium, native/WebAssembly agreement), and the
# benchmark's quick smoke run. Ends with one line: "tests: N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
"$repo/scripts/install-deps.sh" || exit 1
"$repo/scripts/build.sh" all || exit 1

logs=$(mktemp -d)
status=0

echo "== unit tests (ctest)"
ctest --test-dir "$repo/build" --output-on-failure -j2 2>&1 | tee "$logs/ctest.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== storage tests and one e2e file on PostgreSQL (tests/cluster/postgres.sh)"
# The storage suite again with PostgreSQL added to every store-generic case, the
# PostgreSQL-only cases ([postgres]), and protocol-parameters.test.mjs against a server
# started with --postgres; then a check that its servers really stored there.
pg_started=$SECONDS
"$repo/tests/cluster/postgres.sh" bash -c '
  set -e
  "$0/build/tests/unit_storage"
  "$0/build/tests/unit_storage" "[postgres]"
  HARMONIC_BUILD="$0/build" HARMONIC_E2E_REQUIRE_SERVER=1 node --test --test-reporter=spec "$0/tests/e2e/protocol-parameters.test.mjs"
  test "$(psql "$HARMONIC_TEST_POSTGRES_URL" -Atc "SELECT count(*) FROM pg_database WHERE datname LIKE '"'"'harmonic_e2e_%'"'"'")" -gt 0
' "$repo" 2>&1 | tee "$logs/postgres.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
echo "postgres stage: $((SECONDS - pg_started)) s"

echo "== end-to-end tests (node --test)"
# A missing binary must fail the run, never quietly skip the tests that need it.
export HARMONIC_BUILD="$repo/build" HARMONIC_WEB_BUILD="$repo/build-web" HARMONIC_E2E_REQUIRE_SERVER=1
# The hostile soak measures ack latency under attack against a baseline: it runs alone,
# after the others, so that no other test's load moves either number.
soak="$repo/tests/e2e/hostile-soak.test.mjs"
mapfile -t e2e < <(find "$repo/tests/e2e" -name '*.test.mjs' -not -path '*/node_modules/*' -not -path "$soak" | sort)
node --test --test-concurrency=2 --test-reporter=spec "${e2e[@]}" 2>&1 | tee "$logs/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

echo "== hostile soak (alone)"
node --test --test-reporter=spec "$soak" 2>&1 | tee "$logs/soak.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1

if [ -x "$repo/bench/run" ]; then
  echo "== benchmark smoke run (bench/run --quick; timings are not judged)"
  HARMONIC_SERVER="$repo/build/server/harmonic-server" "$repo/bench/run" --quick --out "$logs/bench-quick.md" > "$logs/bench.log" 2>&1 && echo "bench smoke: ok" || { echo "bench smoke: FAILED"; tail -30 "$logs/bench.log"; status=1; }
fi

# ctest ends with "100% tests passed, 0 tests failed out of 57"
unit_failed=$(grep -oP 'tests passed, \K\d+(?= tests failed out of)' "$logs/ctest.log" | tail -1)
unit_total=$(grep -oP 'tests failed out of \K\d+' "$logs/ctest.log" | tail -1)
unit_failed=${unit_failed:-0}
unit_total=${unit_total:-0}
count() { local n; n=$(grep -oP "^ℹ $1 \\K\\d+" "$2" 2>/dev/null | tail -1); echo "${n:-0}"; }
e2e_passed=$(( $(count pass "$logs/e2e.log") + $(count pass "$logs/soak.log") ))
e2e_failed=$(( $(count fail "$logs/e2e.log") + $(count fail "$logs/soak.log") ))
passed=$(( unit_total - unit_failed + e2e_passed ))
failed=$(( unit_failed + e2e_failed ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
exit $status
