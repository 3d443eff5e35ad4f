#!/usr/bin/env bash
# The cluster end-to-end suite (tests/cluster/*.test.mjs): a throwaway PostgreSQL
# (postgres.sh) and Redis (redis.sh) on loopback ports in temporary folders; the test
# starts three harmonic-server nodes on them. Everything started is stopped by its PID
# or data folder, whether the tests pass or not.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
export HARMONIC_BUILD=${HARMONIC_BUILD:-$repo/build} HARMONIC_E2E_REQUIRE_SERVER=1
"$repo/tests/cluster/postgres.sh" "$repo/tests/cluster/redis.sh" node --test --test-reporter=spec "$repo/tests/cluster/failure.test.mjs"  # its own servers: it stops PostgreSQL
"$repo/tests/cluster/postgres.sh" "$repo/tests/cluster/redis.sh" node --test --test-reporter=spec "$repo/tests/cluster/presence.test.mjs"
"$repo/tests/cluster/postgres.sh" "$repo/tests/cluster/redis.sh" node --test --test-reporter=spec "$repo/tests/cluster/revocation.test.mjs"  # its own: it stops Redis
exec "$repo/tests/cluster/postgres.sh" "$repo/tests/cluster/redis.sh" \
  node --test --test-reporter=spec "$repo/tests/cluster/cluster.test.mjs"
