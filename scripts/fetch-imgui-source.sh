#!/usr/bin/env bash
# Fetches Dear ImGui's sources from Debian's own archive (the same version as the host
# libimgui-dev) and unpacks imgui*.cpp, imgui*.h, imstb*.h and backends/ into DEST_DIR.
# The WebAssembly build compiles them (Debian ships only a host libimgui.a).
#
#   scripts/fetch-imgui-source.sh DEST_DIR
#
# Idempotent: does nothing when DEST_DIR/imgui.cpp already exists. Adds a deb-src entry
# for Debian bookworm main (same URI and Signed-By as debian.sources) only if apt has none.
set -euo pipefail

dest=${1:?usage: fetch-imgui-source.sh DEST_DIR}
if [ -f "$dest/imgui.cpp" ] && [ -f "$dest/imconfig.h" ] && [ -d "$dest/backends" ]; then
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

has_deb_src() {
  grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null
}

if ! has_deb_src; then
  uri="http://deb.debian.org/debian"
  signed_by="/usr/share/keyrings/debian-archive-keyring.gpg"
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    # The first stanza's URI and key: the main archive.
    u=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    s=$(awk '/^Signed-By:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
    [ -n "$u" ] && uri=$u
    [ -n "$s" ] && signed_by=$s
  fi
  echo "fetch-imgui-source: adding deb-src for bookworm main ($uri)"
  $SUDO tee /etc/apt/sources.list.d/harmonic-debian-src.sources >/dev/null <<EOF
Types: deb-src
URIs: $uri
Suites: bookworm
Components: main
Signed-By: $signed_by
EOF
  $SUDO apt-get update -qq
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(
  cd "$work"
  # apt-get source wants to write as an unprivileged user when run as root; that is fine.
  apt-get source --download-only imgui >/dev/null 2>&1 || {
    $SUDO apt-get update -qq
    apt-get source --download-only imgui
  }
)
orig=$(ls "$work"/imgui_*.orig.tar.* 2>/dev/null | head -n1)
if [ -z "$orig" ]; then
  echo "fetch-imgui-source: no imgui orig tarball was downloaded" >&2
  exit 1
fi

mkdir -p "$work/unpacked"
tar -xf "$orig" -C "$work/unpacked"
top=$(find "$work/unpacked" -maxdepth 2 -name imgui.cpp -printf '%h\n' | head -n1)
if [ -z "$top" ]; then
  echo "fetch-imgui-source: imgui.cpp not found in $orig" >&2
  exit 1
fi

mkdir -p "$dest"
cp "$top"/imgui*.cpp "$top"/imgui*.h "$top"/imconfig.h "$dest"/
cp "$top"/imstb*.h "$dest"/ 2>/dev/null || true
rm -rf "$dest/backends"
cp -r "$top/backends" "$dest/backends"
cp "$top"/LICENSE* "$dest"/ 2>/dev/null || true
echo "fetch-imgui-source: $(basename "$orig") unpacked into $dest"
