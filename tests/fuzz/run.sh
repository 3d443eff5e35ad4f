#!/usr/bin/env bash
# Runs each libFuzzer target for a while, one at a time, starting from the committed
# seeds (tests/fuzz/corpus/<target>/, never written to) in a scratch corpus, and prints
# one Markdown table row per target: target, seconds, executions, coverage, features,
# crashes. Exits non-zero when any target found a crash (the input that caused it is
# kept in the scratch folder's artifacts/, named on the target's line). Set
# HARMONIC_FUZZ_SCRATCH to keep the scratch folder (and grow its corpus) across runs.
#
# Usage: tests/fuzz/run.sh [seconds per target (30)] [build folder (build-fuzz)] [target...]
# The build folder comes from (see README.md beside this file):
#   cmake -S . -B build-fuzz -DHARMONIC_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_C_COMPILER=clang-14
#   cmake --build build-fuzz --target fuzz-targets
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-30}
build=${2:-$repo/build-fuzz}
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(websocket_frames socketio_packet event_payloads static_path jwt import_json)
fi
scratch=${HARMONIC_FUZZ_SCRATCH:-}
own_scratch=0
if [ -z "$scratch" ]; then
  scratch=$(mktemp -d /tmp/harmonic-fuzz.XXXXXX)
  own_scratch=1
fi

failed=0
echo "| target | seconds | executions | coverage (edges) | features | crashes |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for target in "${targets[@]}"; do
  binary="$build/fuzz/fuzz_$target"
  if [ ! -x "$binary" ]; then
    echo "| $target | - | - | - | - | missing: $binary |"
    failed=1
    continue
  fi
  corpus="$scratch/$target/corpus" artifacts="$scratch/$target/artifacts"
  mkdir -p "$corpus" "$artifacts"
  log="$scratch/$target/log"
  case "$target" in  # token dictionaries: mutations reach field names and escapes sooner
    websocket_frames) dict=() ;;
    static_path) dict=(-dict="$repo/tests/fuzz/url.dict") ;;
    *) dict=(-dict="$repo/tests/fuzz/json.dict") ;;
  esac
  started=$(date +%s)
  # -timeout: one input taking this long is a finding (a hang), not a slow machine.
  "$binary" -max_total_time="$seconds" -timeout=25 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$artifacts/" "$corpus" "$repo/tests/fuzz/corpus/$target" > "$log" 2>&1
  rc=$?
  elapsed=$(( $(date +%s) - started ))
  execs=$(grep -oP 'stat::number_of_executed_units:\s*\K\d+' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(grep -oP 'cov: \K\d+' <<<"$last")
  ft=$(grep -oP 'ft: \K\d+' <<<"$last")
  crashes=$(find "$artifacts" -type f | wc -l)
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    failed=1
    echo "| $target | $elapsed | ${execs:--} | ${cov:--} | ${ft:--} | $crashes (exit $rc; log $log) |"
    grep -m5 -E 'ERROR|invariant broken|runtime error|SUMMARY' "$log" | sed 's/^/    /'
  else
    echo "| $target | $elapsed | ${execs:--} | ${cov:--} | ${ft:--} | 0 |"
  fi
done
# A scratch folder made here goes, unless it holds a crash to look at.
[ "$failed" -eq 0 ] && [ "$own_scratch" -eq 1 ] && rm -rf "$scratch"
exit $failed
