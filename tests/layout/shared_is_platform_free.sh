#!/usr/bin/env bash
# shared/ is the same on every platform and does no I/O (docs/client.md): no platform
# #if, no platform header, no file access. What a platform gives comes through the
# interfaces in shared/frontend/ and shared/client/transport.hpp.
#
#   tests/layout/shared_is_platform_free.sh DIR    (exit 1 and the offending lines)
set -euo pipefail
dir=${1:?usage: shared_is_platform_free.sh DIR}
# Code only: comments may name these things (this is how the rule is explained).
pattern='__EMSCRIPTEN__|_WIN32|__APPLE__|__linux__|<emscripten|<GLFW/|<GL/|<GLES|<alsa/|<boost/asio|<fstream>|<filesystem>|\bfopen\b|\bfreopen\b|std::[io]?fstream'
hits=""
while IFS= read -r -d '' file; do
  found=$(sed -E 's#//.*$##' "$file" | grep -nE "$pattern" || true)
  [ -n "$found" ] && hits+="$(sed "s#^#$file:#" <<<"$found")"$'\n'
done < <(find "$dir" -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' \) -print0)
if [ -n "$hits" ]; then
  echo "platform code or file I/O in $dir (it belongs in web/ or native/):"
  echo "$hits"
  exit 1
fi
echo "ok: $dir is platform-free"
