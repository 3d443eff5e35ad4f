#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL: starts one in a temporary folder on a
# free loopback port, runs the command with HARMONIC_TEST_POSTGRES_URL set to it, then
# stops exactly that server (pg_ctl stop on its own data folder) and removes the folder,
# whether the command passed, failed or was interrupted. Exits with the command's status.
#
#   tests/cluster/postgres.sh build/tests/unit_storage
#
# initdb and pg_ctl refuse to run as root, so as root they run as the `postgres` user
# (Debian's postgresql package creates it); the folder is then owned by that user.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }

bin=${HARMONIC_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
[ -x "$bin/initdb" ] || { echo "postgres.sh: no initdb found (apt-get install postgresql)" >&2; exit 1; }

as_owner=()
if [ "$(id -u)" -eq 0 ]; then as_owner=(runuser -u postgres --); fi

dir=$(mktemp -d /tmp/harmonic-pg.XXXXXX)
[ ${#as_owner[@]} -eq 0 ] || chown postgres "$dir"
started=0
stop() {
  if [ "$started" -eq 1 ]; then
    local t0=$SECONDS
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      echo "postgres.sh: pg_ctl stop failed; see $dir/log" >&2
    echo "postgres.sh: stopped PostgreSQL in $((SECONDS - t0)) s" >&2
  fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A free port: a random one nobody answers on (a race with another process is possible but
# harmless: pg_ctl start then fails, and so does this script).
for _ in 1 2 3 4 5 6 7 8 9 10; do
  port=$((20000 + RANDOM % 40000))
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done

start=$EPOCHREALTIME
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# fsync off: a throwaway server for tests, where losing it to a power cut costs nothing.
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >/dev/null ||
  { cat "$dir/log" >&2; exit 1; }
started=1
awk -v a="$start" -v b="$EPOCHREALTIME" -v p="$port" \
  'BEGIN { printf "postgres.sh: PostgreSQL on 127.0.0.1:%s started in %.1f s\n", p, b - a }' >&2

export HARMONIC_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
set +e
"$@"
status=$?
set -e
exit $status
