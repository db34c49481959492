#!/usr/bin/env bash
# Make sure PostgreSQL is installed and running on 127.0.0.1:5432 with trust auth and a
# database `test` (what the test suite and benchmarks use). Safe to run repeatedly.
set -euo pipefail

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing PostgreSQL..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql >/dev/null
fi

if ! pg_ready; then
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
fi

if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  # Fresh install: allow trust auth on loopback and create the test database.
  version=$(ls /etc/postgresql | sort -n | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q "engine-test" "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust # engine-test\nhost all all ::1/128 trust # engine-test\nlocal all all trust # engine-test' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  su postgres -c "psql -c 'CREATE DATABASE test'" >/dev/null 2>&1 || true
fi
pg_ready && echo "PostgreSQL ready on 127.0.0.1:5432"
# search indexes (trigram) need pg_trgm; the engine installs it itself when it may
psql -h 127.0.0.1 -U postgres -d test -qc "CREATE EXTENSION IF NOT EXISTS pg_trgm" >/dev/null 2>&1 || true

# The several-hosts test and benchmark (tests/hosts, bench/hosts.py) put nginx in front of two
# servers: it runs as their child with its own config and ports; the system's nginx is not used.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  echo "installing nginx..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq nginx >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
fi

# Browser tests drive Debian's Chromium through Playwright (no browser downloads).
if [ ! -x /usr/bin/chromium ]; then
  echo "installing chromium..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
# Screenshots of Chinese pages need a CJK font, even where Chromium was installed without one.
if ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then
  echo "installing CJK fonts..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq fonts-noto-cjk >/dev/null || { apt-get update -qq && apt-get install -y -qq fonts-noto-cjk >/dev/null; }
fi
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
