#!/usr/bin/env bash
# What PDFs of print layouts need from the system (WeasyPrint itself is a Python dependency):
# Pango and the Noto CJK fonts (Chinese text). Installs what is missing with apt-get as root;
# does nothing when everything is there. Used by `make run` and `make test`.
set -euo pipefail

missing=()
for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0; do
  ldconfig -p 2>/dev/null | grep -q "$lib" || missing+=("${lib%%.so.0}")
done
packages=()
for lib in "${missing[@]}"; do
  case "$lib" in
    libpango-1.0) packages+=(libpango-1.0-0) ;;
    libpangoft2-1.0) packages+=(libpangoft2-1.0-0) ;;
  esac
done
fc-list 2>/dev/null | grep -qi "noto sans cjk" || packages+=(fonts-noto-cjk)
[ ${#packages[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "PDF printing needs: ${packages[*]} (run as root: apt-get install ${packages[*]}); the print view works without them." >&2
  exit 0
fi
echo "installing ${packages[*]} (PDF printing)..."
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${packages[@]}" >/dev/null; }
