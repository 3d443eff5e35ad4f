#!/usr/bin/env bash
# Simulation and synthesiser benchmarks (not tests): steps per second for 1k, 10k
# and 100k particles, natively and in WebAssembly under node, and the synthesiser's
# real-time factor. Writes bench/results/sim-<YYYY-MM-DD>.md.
#
#   bench/sim/run.sh                      # uses build/ and build-web/
#   HARMONIC_BUILD=build-sim HARMONIC_WEB_BUILD=build-sim-web bench/sim/run.sh
#
# Targets (issue 3): 10,000 particles at 60 steps/s in the browser build on one
# core; 100,000 at 60 steps/s natively; synthesis at least 50x real time.
# Each run is single-threaded; numbers are wall-clock, so a busy machine reads
# slower (the load average is recorded with the results).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
native_build="${HARMONIC_BUILD:-$repo/build}"
web_build="${HARMONIC_WEB_BUILD:-$repo/build-web}"
native_sim="$native_build/tools/harmonic-sim/harmonic-sim"
wasm_sim="$web_build/tools/harmonic-sim/harmonic-sim.js"
counts=(1000 10000 100000)
out="$repo/bench/results/sim-$(date +%F).md"

for binary in "$native_sim" "$wasm_sim"; do
  [[ -e "$binary" ]] || { echo "missing $binary: build harmonic-sim first" >&2; exit 1; }
done

# value <key> <bench output>: the number after "key " in harmonic-sim --bench output.
value() { awk -v key="$1" '$1 == key { print $2 }' <<<"$2"; }

# Two moments of a universe: fresh (1 s in, particles still falling) and settled
# (30 s in, a pile has formed on the floor: the densest, slowest case).
fresh_warmup=60
settled_warmup=1800

declare -A sps sub
native_rtf="" wasm_rtf=""
for n in "${counts[@]}"; do
  for warmup in "$fresh_warmup" "$settled_warmup"; do
    echo "benchmarking $n particles after $warmup steps (native)..." >&2
    result="$("$native_sim" --seed 1 --particles "$n" --warmup "$warmup" --bench)"
    sps[native,$n,$warmup]="$(value steps_per_second "$result")"
    sub[$n,$warmup]="$(value mean_substeps "$result")"
    native_rtf="$(value audio_realtime_factor "$result")"
    echo "benchmarking $n particles after $warmup steps (wasm)..." >&2
    result="$(node --no-experimental-fetch "$wasm_sim" --seed 1 --particles "$n" --warmup "$warmup" --bench)"
    sps[wasm,$n,$warmup]="$(value steps_per_second "$result")"
    wasm_rtf="$(value audio_realtime_factor "$result")"
  done
done

emscripten_version="$(em++ --version 2>/dev/null || true)"
emscripten_version="$(grep -o -m1 '[0-9]\+\.[0-9]\+\.[0-9]\+' <<<"$emscripten_version" | head -1 || true)"
cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
{
  echo "# Simulation and synthesiser benchmark, $(date +%F)"
  echo
  echo "Produced by \`bench/sim/run.sh\` (harmonic-sim --bench, default physics, seed 1)."
  echo
  echo "## Machine"
  echo "- CPU: ${cpu_model:-unknown}, nproc $(nproc)"
  echo "- Load average when finished: $(cut -d' ' -f1-3 /proc/loadavg) (other work shares the machine)"
  echo "- Kernel: $(uname -sr); native: $(c++ --version | head -1); wasm: emscripten ${emscripten_version:-?}, node $(node --version)"
  echo "- Build dirs: \`${native_build#$repo/}\`, \`${web_build#$repo/}\` (Release)"
  echo
  echo "## Simulation steps per second (one core)"
  echo "Timed for at least 2 s of wall time after untimed warm-up steps: *fresh* after"
  echo "$fresh_warmup steps (1 s of universe, particles still falling), *settled* after"
  echo "$settled_warmup steps (30 s: the particles have piled up on the floor, the densest case)."
  echo "One step = 1/60 s of universe time at time_scale 1."
  echo
  echo "| particles | native fresh | native settled | WebAssembly fresh | WebAssembly settled | sub-steps (fresh / settled) |"
  echo "|---:|---:|---:|---:|---:|---:|"
  for n in "${counts[@]}"; do
    echo "| $n | ${sps[native,$n,$fresh_warmup]} | ${sps[native,$n,$settled_warmup]} | ${sps[wasm,$n,$fresh_warmup]} | ${sps[wasm,$n,$settled_warmup]} | ${sub[$n,$fresh_warmup]} / ${sub[$n,$settled_warmup]} |"
  done
  echo
  echo "## Synthesiser real-time factor"
  echo "30 s of a three-note chord every 1/8 s (up to 16 voices), default audio settings."
  echo
  echo "| native | WebAssembly |"
  echo "|---:|---:|"
  echo "| ${native_rtf}x | ${wasm_rtf}x |"
  echo
  echo "## Targets"
  echo "- 10,000 particles at 60 steps/s in WebAssembly: ${sps[wasm,10000,$fresh_warmup]} fresh, ${sps[wasm,10000,$settled_warmup]} settled"
  echo "- 100,000 particles at 60 steps/s natively: ${sps[native,100000,$fresh_warmup]} fresh, ${sps[native,100000,$settled_warmup]} settled"
  echo "- Synthesis at least 50x real time: ${native_rtf}x native, ${wasm_rtf}x WebAssembly"
} >"$out"
echo "wrote $out" >&2
cat "$out"
