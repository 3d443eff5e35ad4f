#!/usr/bin/env bash
# Runs a command against a throwaway Redis: starts redis-server (Debian's redis-server
# package) in a temporary folder on a free loopback port, with nothing saved to disk, runs
# the command with HARMONIC_TEST_REDIS_URL set to it, then stops exactly that server (by
# the PID it started) and removes the folder. Exits with the command's status.
#
#   tests/cluster/postgres.sh tests/cluster/redis.sh node --test tests/cluster/cluster.test.mjs
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "redis.sh: no redis-server (apt-get install redis-server)" >&2; exit 1; }

dir=$(mktemp -d /tmp/harmonic-redis.XXXXXX)
pid=
stop() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A free port below the ephemeral range, as tests/cluster/postgres.sh picks one.
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 12000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no \
    --logfile "$dir/log" --daemonize no &
  pid=$!
  for _ in $(seq 50); do
    if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then break 2; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
  [ "$attempt" -lt 5 ] || { cat "$dir/log" >&2; exit 1; }
done
echo "redis.sh: Redis on 127.0.0.1:$port (pid $pid)" >&2

export HARMONIC_TEST_REDIS_URL="redis://127.0.0.1:$port"
set +e
"$@"
status=$?
set -e
exit $status
