#!/usr/bin/env bash
# The Debian packages (cmake/packaging.cmake), end to end: builds them with
# scripts/package.sh, checks their contents and maintainer scripts, unpacks them with
# dpkg-deb -x into a temporary root, runs the packaged harmonic-server with the packaged
# config adapted to temporary paths and a free loopback port, checks /healthz and that the
# packaged web client is served, checks the systemd unit with systemd-analyze verify
# and runs lintian on both packages (any error fails).
# Usage: tests/package/run.sh      Exit 0 when every check passed.
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT
. "$repo/tests/lib/checks.sh"

echo "== building the packages (scripts/package.sh)"
if ! "$repo/scripts/package.sh" > "$work/package.log" 2>&1; then
  tail -40 "$work/package.log"; echo "FAIL: scripts/package.sh"; exit 1
fi
server_deb=$(ls "$repo"/build/packages/harmonic-universe-server_*.deb)
desktop_deb=$(ls "$repo"/build/packages/harmonic-universe-desktop_*.deb)
[ -f "$server_deb" ] && [ -f "$desktop_deb" ] || { echo "FAIL: two .deb files expected in build/packages"; exit 1; }

echo "== contents"
root="$work/root"
dpkg-deb -x "$server_deb" "$root" && dpkg-deb -x "$desktop_deb" "$root" || { echo "FAIL: dpkg-deb -x"; exit 1; }
unit=lib/systemd/system/harmonic-universe-server.service
config=etc/harmonic-universe/harmonic-server.conf
for f in usr/bin/harmonic-server usr/bin/harmonic-desktop; do check "$f is an executable" test -x "$root/$f"; done
for f in "$unit" "$config" usr/share/harmonic-universe/site/index.html usr/share/harmonic-universe/site/harmonic-web.wasm \
         usr/share/applications/harmonic-universe-desktop.desktop usr/share/icons/hicolor/scalable/apps/harmonic-universe.svg \
         usr/share/doc/harmonic-universe-server/copyright usr/share/doc/harmonic-universe-desktop/copyright; do
  check "$f is packaged" test -s "$root/$f"
done
desktop_entry="$root/usr/share/applications/harmonic-universe-desktop.desktop"
check "the desktop entry starts harmonic-desktop" grep -qx 'Exec=harmonic-desktop' "$desktop_entry"
check "the desktop entry names the packaged icon" grep -qx 'Icon=harmonic-universe' "$desktop_entry"
for directive in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes StateDirectory=harmonic-universe \
                 ReadWritePaths=/var/lib/harmonic-universe Restart=on-failure User=harmonic-universe \
                 "ExecStart=/usr/bin/harmonic-server --config /$config"; do
  check "unit: $directive" grep -qxF "$directive" "$root/$unit"
done
check "unit: ReadWritePaths names the data dir only" test "$(grep -c '^ReadWritePaths=' "$root/$unit")" -eq 1
control="$work/control"
dpkg-deb -e "$server_deb" "$control"
check "conffiles lists the config" grep -qxF "/$config" "$control/conffiles"
check "postinst creates the system user" grep -q 'adduser --system' "$control/postinst"
check "postinst makes the data dir" grep -q 'install -d -m 0700 -o "$user"' "$control/postinst"
for script in postinst prerm postrm; do check "$script is valid sh" sh -n "$control/$script"; done
check "the server package depends on adduser" sh -c "dpkg-deb -f '$server_deb' Depends | grep -q adduser"
check "the config sets the packaged data dir" grep -qx 'data-dir = "/var/lib/harmonic-universe"' "$root/$config"
# Every option of the packaged binary, as --help lists it, is documented in the config.
options=$("$root/usr/bin/harmonic-server" --help | grep -oE '^ +--[a-z0-9-]+' | sed 's/^ *--//' | grep -vxE 'help|config')
missing=""
for option in $options; do grep -qE "^#?$option =" "$root/$config" || missing="$missing $option"; done
check "the config documents every option (${missing:-none missing})" test -z "$missing"
check "--help lists options at all" test "$(echo "$options" | wc -w)" -ge 30

echo "== the packaged server with the packaged config, on temporary paths"
data="$work/data"
sed -e "s|^data-dir = .*|data-dir = \"$data\"|" -e 's|^#port = .*|port = 0|' "$root/$config" > "$work/server.conf"
# From an empty folder, so the site can only come from the package (server/app/web_root.cpp).
mkdir -p "$work/cwd"
(cd "$work/cwd" && exec "$root/usr/bin/harmonic-server" --config "$work/server.conf") > "$work/server.log" 2>&1 &
server_pid=$!
port=""
for _ in $(seq 1 150); do
  port=$(grep -oP 'listening on http://127\.0\.0\.1:\K[0-9]+' "$work/server.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$port" ]; then
  cat "$work/server.log"; fail "the packaged server did not start"
else
  base="http://127.0.0.1:$port"
  check "/healthz answers 200" curl -fsS -o /dev/null "$base/healthz"
  check "/ serves the packaged index.html" sh -c "curl -fsS '$base/' | cmp -s - '$root/usr/share/harmonic-universe/site/index.html'"
  check "the packaged WebAssembly client is served" sh -c "curl -fsS '$base/harmonic-web.wasm' | cmp -s - '$root/usr/share/harmonic-universe/site/harmonic-web.wasm'"
  check "the data dir of the config holds the database" test -f "$data/harmonic.sqlite3"
fi
echo "== a bad config is refused, naming the key"
printf 'port = 0\nno-such-option = 1\n' > "$work/bad.conf"
"$root/usr/bin/harmonic-server" --config "$work/bad.conf" > "$work/bad.log" 2>&1
bad_status=$?
check "an unknown key exits non-zero" test "$bad_status" -ne 0
check "the error names the key" grep -q 'no-such-option' "$work/bad.log"

echo "== systemd-analyze verify"
verify_unit "$root/$unit" "$root/usr/bin/harmonic-server" harmonic-universe-server.service

echo "== lintian"
if lintian --fail-on error "$server_deb" "$desktop_deb" > "$work/lintian.log" 2>&1; then
  pass "lintian: no errors ($(grep -c '^W:' "$work/lintian.log") warnings)"
else
  fail "lintian"
fi
cat "$work/lintian.log"

finish_checks "package tests"
