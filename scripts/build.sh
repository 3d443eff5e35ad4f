#!/usr/bin/env bash
# Builds everything: the native programs and tests into build/, the WebAssembly client
# and harmonic-sim.js into build-web/ (the site the server serves is build-web/site).
# Usage: scripts/build.sh [native|web|all]   (default all)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
what=${1:-all}
jobs=${HARMONIC_JOBS:-2}   # Beast files take ~0.8 GB each to compile; 2 cores here
# Release: -O2 without debug info links much faster (the desktop binary is 170 MB with -g).
build_type=${HARMONIC_BUILD_TYPE:-Release}
# Warnings as errors (cmake/warnings.cmake): scripts/test.sh, and so CI, turns it on.
werror=${HARMONIC_WERROR:-OFF}

if [ "$what" = all ] || [ "$what" = native ]; then
  cmake -S "$repo" -B "$repo/build" -DCMAKE_BUILD_TYPE="$build_type" -DHARMONIC_WERROR="$werror" >/dev/null
  cmake --build "$repo/build" -j"$jobs"
fi
if [ "$what" = all ] || [ "$what" = web ]; then
  export NODE_PATH=/usr/share/nodejs   # Debian's emscripten finds acorn only there
  emcmake cmake -S "$repo" -B "$repo/build-web" -DCMAKE_BUILD_TYPE=Release -DHARMONIC_WERROR="$werror" >/dev/null
  cmake --build "$repo/build-web" -j"$jobs"
fi
