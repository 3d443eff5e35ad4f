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
stop() {
  # postmaster.pid exists exactly while the server started on this data folder runs.
  if [ -f "$dir/data/postmaster.pid" ]; then
    local t0=$SECONDS
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 ||
      echo "postgres.sh: pg_ctl stop failed; see $dir/log" >&2
    echo "postgres.sh: stopped PostgreSQL in $((SECONDS - t0)) s" >&2
  fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

start=$EPOCHREALTIME
"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
# A free port below the kernel's ephemeral range (32768 and up, where outgoing connections
# take theirs), one nobody answers on; if another process takes it first, pg_ctl start
# fails and the next try takes another. fsync off: a throwaway server for tests, where
# losing it to a power cut costs nothing.
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 12000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  if "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50" start >/dev/null; then
    break
  fi
  grep -q "Address already in use" "$dir/log" && [ "$attempt" -lt 5 ] || { cat "$dir/log" >&2; exit 1; }
done
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" status >/dev/null || { echo "postgres.sh: found no free port" >&2; exit 1; }
awk -v a="$start" -v b="$EPOCHREALTIME" -v p="$port" \
  'BEGIN { printf "postgres.sh: PostgreSQL on 127.0.0.1:%s started in %.1f s\n", p, b - a }' >&2

export HARMONIC_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
set +e
"$@"
status=$?
set -e
exit $status
