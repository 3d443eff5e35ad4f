#!/usr/bin/env bash
# The sanitized stage of scripts/test.sh: harmonic-server and the unit tests built with
# ASan + UBSan (cmake/sanitizers.cmake) into build-sanitize/, then ctest there and the
# protocol and transport end-to-end tests against the sanitized server.
# Any sanitizer report fails the stage: the runtime options stop a process at the first
# report, and at the end the servers' logs are searched for one (a server that reported
# while a test was already tearing it down would otherwise pass unseen).
# Only the server and the unit tests are built (not the desktop or web client), to keep
# the stage's cost within CI's budget (docs/operations.md: sanitized builds).
# Usage: scripts/test-sanitized.sh <log folder>   (writes ctest.log and e2e.log there)
set -uo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
logs=${1:?usage: scripts/test-sanitized.sh <log folder>}
build="$repo/build-sanitize"
jobs=${HARMONIC_JOBS:-2}
status=0

# halt/abort on the first report; leaks are reported when a process exits.
export ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
report_pattern='runtime error|ERROR: AddressSanitizer|ERROR: LeakSanitizer|SUMMARY: UndefinedBehaviorSanitizer'

started=$SECONDS
echo "-- sanitized build (build-sanitize/: harmonic-server and unit tests, ASan+UBSan, -O1)"
# Debug: assertions stay on (nlohmann's included); sanitizers.cmake raises -O0 to -O1.
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DHARMONIC_SANITIZE=address,undefined \
  -DHARMONIC_NATIVE_UI=OFF >/dev/null || exit 1
cmake --build "$build" -j"$jobs" --target harmonic-server unit-tests > "$logs/build.log" 2>&1 || {
  tail -40 "$logs/build.log"
  exit 1
}
echo "sanitized build: $(( SECONDS - started )) s"

started=$SECONDS
echo "-- sanitized unit tests (ctest)"
ctest --test-dir "$build" --output-on-failure -j"$jobs" 2>&1 | tee "$logs/ctest.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
echo "sanitized ctest: $(( SECONDS - started )) s"

started=$SECONDS
echo "-- protocol and transport end-to-end tests against the sanitized server"
marker="$logs/e2e-started"
touch "$marker"
mapfile -t e2e < <(find "$repo/tests/e2e" -maxdepth 1 \( -name 'protocol-*.test.mjs' -o -name 'transport-*.test.mjs' \) | sort)
HARMONIC_BUILD="$build" HARMONIC_E2E_REQUIRE_SERVER=1 \
  node --test --test-concurrency=2 --test-reporter=spec "${e2e[@]}" 2>&1 | tee "$logs/e2e.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || status=1
# tests/e2e/lib/server.mjs writes each server's output to tests/e2e/artifacts/.
mapfile -t reports < <(find "$repo/tests/e2e/artifacts" -name '*.log' -newer "$marker" -print0 2>/dev/null |
  xargs -0 -r grep -l -E "$report_pattern")
if [ ${#reports[@]} -gt 0 ]; then
  status=1
  echo "sanitizer reports in ${#reports[@]} server log(s):"
  for file in "${reports[@]}"; do
    echo "== $file"
    grep -m1 -A30 -E "$report_pattern" "$file"
  done
  echo "ℹ fail ${#reports[@]}" >> "$logs/e2e.log"  # counted by scripts/test.sh
else
  echo "sanitizer reports in server logs: none"
fi
echo "sanitized e2e: $(( SECONDS - started )) s"
exit $status
