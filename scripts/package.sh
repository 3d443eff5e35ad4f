#!/usr/bin/env bash
# Builds the Debian packages harmonic-universe-server and harmonic-universe-desktop into
# build/packages/ (cmake/packaging.cmake), from a clean checkout or reusing build/ and
# build-web/ from scripts/build.sh. Prints the paths of the two .deb files.
# Usage: [HARMONIC_WEB_SITE=DIR] scripts/package.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HARMONIC_JOBS:-2}

# Build what is missing (a clean checkout); what exists is reused as it is configured,
# so a CI build keeps its flags (e.g. HARMONIC_WERROR) and nothing recompiles.
# The desktop client needs Dear ImGui's sources (as scripts/install-deps.sh fetches them).
"$repo/scripts/fetch-imgui-source.sh" "$repo/build-deps/imgui"
[ -f "$repo/build/CMakeCache.txt" ] || "$repo/scripts/build.sh" native
# HARMONIC_WEB_SITE: a web client staged elsewhere (a build-web/site) instead of ours.
site=${HARMONIC_WEB_SITE:-$repo/build-web/site}
if [ -n "${HARMONIC_WEB_SITE:-}" ]; then
  [ -f "$site/harmonic-web.wasm" ] || { echo "package: no web client in HARMONIC_WEB_SITE=$site" >&2; exit 1; }
elif [ -f "$repo/build-web/CMakeCache.txt" ]; then
  NODE_PATH=/usr/share/nodejs cmake --build "$repo/build-web" -j"$jobs"   # build.sh: emscripten's acorn
else
  "$repo/scripts/build.sh" web
fi

# Packages install under /usr (the systemd unit's ExecStart says so): only install paths
# change, nothing recompiles.
cmake -S "$repo" -B "$repo/build" -DCMAKE_INSTALL_PREFIX=/usr -DHARMONIC_WEB_SITE_DIR="$site" >/dev/null
cmake --build "$repo/build" -j"$jobs" --target package-contents
rm -f "$repo/build/packages/"*.deb
(cd "$repo/build" && cpack -G DEB >/dev/null)
for package in harmonic-universe-server harmonic-universe-desktop; do
  ls "$repo/build/packages/${package}_"*.deb 2>/dev/null || { echo "package: no $package package was built" >&2; exit 1; }
done
