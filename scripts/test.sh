#!/usr/bin/env bash
# Runs every test: installs what is missing, builds native and web, then the Catch2
# unit tests (ctest) and the end-to-end tests (node:test: protocol against a real
# server, browser tests in headless Chromium, native/WebAssembly agreement), the
# benchmark's quick smoke run, then the same unit tests and the protocol end-to-end tests
# against an ASan+UBSan build (scripts/test-sanitized.sh), and each fuzz target for 30 s
# (tests/fuzz/). Prints each stage's time. Ends with one line: "tests: N passed, M failed".
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
"$repo/scripts/install-deps.sh" || exit 1
stage_started=$SECONDS
stage_done() { echo "stage time: $1: $(( SECONDS - stage_started )) s"; stage_started=$SECONDS; }
HARMONIC_WERROR=ON "$repo/scripts/build.sh" all || exit 1  # a new warning fails CI
stage_done "build (native and web)"

logs=$(mktemp -d)
status=0

echo "== unit tests (ctest)"
ctest --test-dir "$repo/build" --output-on-failure -j2 2>&1 | tee "$logs/ctest.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
stage_done "unit tests"

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

echo "== cluster: three nodes on PostgreSQL and Redis (tests/cluster/run.sh)"
cluster_started=$SECONDS
"$repo/tests/cluster/run.sh" 2>&1 | tee "$logs/cluster.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
echo "cluster stage: $((SECONDS - cluster_started)) s"
"$repo/tests/deploy/run.sh" || status=1   # deploy/: systemd units and haproxy.cfg (seconds)

echo "== end-to-end tests (node --test)"
# A missing binary must fail the run, never quietly skip the tests that need it.
export HARMONIC_BUILD="$repo/build" HARMONIC_WEB_BUILD="$repo/build-web" HARMONIC_E2E_REQUIRE_SERVER=1
# The hostile soak measures ack latency under attack against a baseline: it runs alone,
# after the others, so that no other test's load moves either number.
soak="$repo/tests/e2e/hostile-soak.test.mjs"
mapfile -t e2e < <(find "$repo/tests/e2e" -name '*.test.mjs' -not -path '*/node_modules/*' -not -path "$soak" | sort)
node --test --test-concurrency=2 --test-reporter=spec "${e2e[@]}" 2>&1 | tee "$logs/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
stage_done "end-to-end tests"

echo "== hostile soak (alone)"
node --test --test-reporter=spec "$soak" 2>&1 | tee "$logs/soak.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
stage_done "hostile soak"

if [ -x "$repo/bench/run" ]; then
  echo "== benchmark smoke run (bench/run --quick; timings are not judged)"
  HARMONIC_SERVER="$repo/build/server/harmonic-server" "$repo/bench/run" --quick --out "$logs/bench-quick.md" > "$logs/bench.log" 2>&1 && echo "bench smoke: ok" || { echo "bench smoke: FAILED"; tail -30 "$logs/bench.log"; status=1; }
fi
stage_done "benchmark smoke run"

echo "== Debian packages (tests/package/run.sh: build, unpack, run, systemd-analyze, lintian)"
"$repo/tests/package/run.sh" 2>&1 | tee "$logs/package.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
stage_done "Debian packages"

echo "== sanitized (ASan+UBSan) unit and protocol end-to-end tests"
mkdir -p "$logs/sanitized"
"$repo/scripts/test-sanitized.sh" "$logs/sanitized" || status=1
stage_done "sanitized build and tests"

echo "== fuzz targets (libFuzzer, clang-14), 30 s each"
fuzz_build="$repo/build-fuzz"
if cmake -S "$repo" -B "$fuzz_build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang-14 \
     -DCMAKE_CXX_COMPILER=clang++-14 -DHARMONIC_FUZZ=ON -DHARMONIC_NATIVE_UI=OFF >/dev/null &&
   cmake --build "$fuzz_build" -j"${HARMONIC_JOBS:-2}" --target fuzz-targets > "$logs/fuzz-build.log" 2>&1; then
  "$repo/tests/fuzz/run.sh" 30 "$fuzz_build" | tee "$logs/fuzz.log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
else
  tail -40 "$logs/fuzz-build.log"
  echo "| fuzz build | - | - | - | - | failed |" > "$logs/fuzz.log"
  status=1
fi
stage_done "fuzz targets"

# ctest ends with "100% tests passed, 0 tests failed out of 57"; node --test with
# "ℹ pass 12" / "ℹ fail 0"; run.sh prints a table row per fuzz target.
passed=0
failed=0
count_ctest() {
  local f t
  f=$(grep -oP 'tests passed, \K\d+(?= tests failed out of)' "$1" | tail -1)
  t=$(grep -oP 'tests failed out of \K\d+' "$1" | tail -1)
  passed=$(( passed + ${t:-0} - ${f:-0} ))
  failed=$(( failed + ${f:-0} ))
}
count_e2e() {
  local p f
  p=$(grep -oP '^ℹ pass \K\d+' "$1" | tail -1)
  f=$(grep -oP '^ℹ fail \K\d+' "$1" | awk '{s += $1} END {print s + 0}')
  passed=$(( passed + ${p:-0} ))
  failed=$(( failed + f ))
}
count_ctest "$logs/ctest.log"
count_e2e "$logs/e2e.log"
count_e2e "$logs/soak.log"
[ -f "$logs/cluster.log" ] && count_e2e "$logs/cluster.log"
[ -f "$logs/sanitized/ctest.log" ] && count_ctest "$logs/sanitized/ctest.log"
[ -f "$logs/sanitized/e2e.log" ] && count_e2e "$logs/sanitized/e2e.log"
if [ -f "$logs/package.log" ]; then  # tests/package/run.sh prints "ok: ..." or "FAIL: ..." per check
  passed=$(( passed + $(grep -c '^ok: ' "$logs/package.log") ))
  failed=$(( failed + $(grep -c '^FAIL: ' "$logs/package.log") ))
fi
if [ -f "$logs/fuzz.log" ]; then  # one test per fuzz target: passed when it found nothing
  passed=$(( passed + $(grep -cE '^\| [a-z_]+ \| [0-9]+ \|.* \| 0 \|$' "$logs/fuzz.log") ))
  failed=$(( failed + $(grep -E '^\| [a-z_ ]+ \|' "$logs/fuzz.log" | grep -vcE ' \| 0 \|$|^\| target ') ))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed"
exit $status
