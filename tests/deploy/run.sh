#!/usr/bin/env bash
# Checks the deployment files of deploy/ (deploy/README.md) against the program and the
# package they go with; a few seconds, no service started:
#   - systemd-analyze verify on the node template deploy/systemd/harmonic-server@.service,
#     as instance n1 and with ExecStart pointing at the built binary (verify checks that
#     it is executable); verify exits 0 on unknown keys and bad values, only printing
#     them, so any output fails;
#   - every --option its ExecStart passes is one `harmonic-server --help` lists;
#   - its [Service] section holds every line of the packaged unit's
#     (packaging/harmonic-universe-server.service.in: user, paths, hardening), but for the
#     command line and restart delay it sets itself;
#   - `haproxy -c` accepts deploy/haproxy.cfg with the example environment file.
# Usage: tests/deploy/run.sh      (HARMONIC_BUILD: the build folder, default build/)
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
binary=${HARMONIC_BUILD:-$repo/build}/server/harmonic-server
template=$repo/deploy/systemd/harmonic-server@.service
packaged=$repo/packaging/harmonic-universe-server.service.in
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$repo/tests/lib/checks.sh"

[ -x "$binary" ] || { echo "tests/deploy: no harmonic-server at $binary (scripts/build.sh native)" >&2; exit 1; }

# The [Service] lines of a unit file, without comments and blank lines.
service_lines() { awk '/^\[/{s = ($0 == "[Service]")} s && !/^\[/ && !/^#/ && NF' "$1"; }

echo "== systemd-analyze verify"
verify_unit "$template" "$binary" harmonic-server@n1.service

echo "== the command line"
"$binary" --help > "$work/help.txt" 2>&1 || { cat "$work/help.txt"; fail "harmonic-server --help"; }
exec_start=$(sed -n 's/^ExecStart=//p' "$template")
[ -n "$exec_start" ] || fail "no ExecStart in $template"
for flag in $(grep -o -- '--[a-z][a-z-]*' <<<"$exec_start"); do
  if grep -q -- "  $flag[ ,=]" "$work/help.txt" || grep -q -- ",$flag[ =]" "$work/help.txt"; then
    pass "harmonic-server --help lists $flag"
  else
    fail "ExecStart passes $flag, which harmonic-server --help does not list"
  fi
done

echo "== the packaged unit's settings"
layout=$repo/cmake/install_layout.cmake
package=$(sed -n 's/^set(HARMONIC_PACKAGE_NAME \(.*\))$/\1/p' "$layout")
user=$(sed -n 's/^set(HARMONIC_SERVICE_USER \(.*\))$/\1/p' "$layout")
[ -n "$package" ] && [ -n "$user" ] || fail "cannot read the package name and user from $layout"
service_lines "$packaged" |
  sed -e "s|@HARMONIC_SERVICE_USER@|$user|g" -e "s|@HARMONIC_STATE_DIRECTORY@|$package|g" \
      -e "s|@HARMONIC_DATA_DIR@|/var/lib/$package|g" -e "s|@HARMONIC_SERVER_BINARY@|/usr/bin/harmonic-server|g" \
      -e "s|@HARMONIC_CONFIG_FILE@|/etc/$package/harmonic-server.conf|g" > "$work/packaged.lines"
grep -q @ "$work/packaged.lines" && fail "a placeholder of the packaged unit is not known here: $(grep @ "$work/packaged.lines")"
service_lines "$template" > "$work/template.lines"
while IFS= read -r line; do
  case "$line" in
    ExecStart=*)
      # The template starts the same program with the same config file, then adds its own.
      [[ $(sed -n 's/^ExecStart=//p' "$work/template.lines") == "${line#ExecStart=} "* ]] &&
        pass "ExecStart starts with the packaged one" || fail "ExecStart does not start with the packaged '${line#ExecStart=}'" ;;
    RestartSec=*) ;;  # a node waits longer for its database
    *) grep -qxF -- "$line" "$work/template.lines" && pass "$line" || fail "the template lacks the packaged unit's '$line'" ;;
  esac
done < "$work/packaged.lines"

echo "== haproxy -c"
if (set -a; . "$repo/deploy/systemd/haproxy.env.example"; haproxy -c -q -f "$repo/deploy/haproxy.cfg") > "$work/haproxy.log" 2>&1; then
  pass "haproxy -c deploy/haproxy.cfg with deploy/systemd/haproxy.env.example"
else
  cat "$work/haproxy.log"; fail "haproxy -c deploy/haproxy.cfg"
fi

finish_checks tests/deploy
