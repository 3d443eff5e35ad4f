#!/usr/bin/env bash
# Installs every Debian and npm package the project needs, on a fresh Debian 12.
# Idempotent: packages already present are skipped by apt, npm uses the lockfile.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

build_packages=(
  cmake g++ make pkg-config git ca-certificates xz-utils
  libboost-dev libssl-dev nlohmann-json3-dev catch2
  libsqlite3-dev libsodium-dev libcpp-jwt-dev libspdlog-dev libcli11-dev
  libglfw3-dev libimgui-dev libgl-dev fonts-dejavu-core libasound2-dev libpng-dev
  # The UI's font for CJK (kana, Hangul, ideographs), which DejaVu lacks: read by the
  # desktop, staged into the web site (cmake/dependencies.cmake, HARMONIC_FALLBACK_FONT).
  fonts-wqy-microhei
  emscripten node-acorn
  dpkg-dev   # dpkg-shlibdeps: the Depends of the .deb packages (scripts/package.sh)
  # The PostgreSQL store (--postgres): libpq, the C client library, rather than libpqxx,
  # for its stable ABI, its SQLSTATEs as they are and its asynchronous API
  # (server/storage/postgres_connection.hpp).
  libpq-dev
  # Cluster mode's fan-out between nodes (--redis; docs/cluster.md): hiredis's async API on
  # the event loop (server/cluster/redis_asio.hpp).
  libhiredis-dev
)
test_packages=(
  chromium xvfb imagemagick mesa-utils libgl1-mesa-dri x11-apps
  clang-14 libclang-rt-14-dev   # libFuzzer and the clang sanitizer runtimes (tests/fuzz)
  lintian curl                  # the Debian packages' checks (tests/package)
  sqlite3 util-linux   # the backup tests read copies with the sqlite3 shell and hold locks with flock(1)
  openssl                       # test certificates (tests/e2e/transport-tls.test.mjs)
  # initdb, pg_ctl and psql for the throwaway server of tests/cluster/postgres.sh
  postgresql
  redis-server   # the throwaway Redis of tests/cluster/redis.sh
  haproxy        # in front of the nodes of tests/cluster/cluster.test.mjs (deploy/haproxy.cfg)
  systemd        # systemd-analyze verify on the units (tests/deploy, tests/package); no running systemd needed
)

missing=()
for p in "${build_packages[@]}" "${test_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from Debian or from NodeSource (which bundles npm): only ask apt
# for it when there is no node at all, so the two never conflict.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Dear ImGui sources for the WebAssembly build (Debian ships only a host libimgui.a).
imgui_src="$here/build-deps/imgui"
if [ ! -f "$imgui_src/imgui.cpp" ]; then
  "$here/scripts/fetch-imgui-source.sh" "$imgui_src"
fi

# npm packages for end-to-end tests (pinned by package-lock.json).
if [ -f "$here/tests/e2e/package-lock.json" ]; then
  (cd "$here/tests/e2e" && npm ci --no-audit --no-fund --loglevel=error)
fi
