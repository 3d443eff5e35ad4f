#!/usr/bin/env bash
# Installs what is missing, builds, and starts harmonic-server on http://127.0.0.1:8080
# with its data in ./data and the web client from build-web/site.
# Extra arguments go to harmonic-server (e.g. --port 9000, --log-level debug).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/scripts/install-deps.sh"
"$repo/scripts/build.sh" all
cd "$repo"
exec "$repo/build/server/harmonic-server" --host 127.0.0.1 --port 8080 --data-dir ./data \
  --web-root "$repo/build-web/site" "$@"
