#!/usr/bin/env bash
# Runs the whole server test suite against a real PostgreSQL server on 127.0.0.1.
# Uses CARE_TEST_POSTGRES_URL when set; otherwise starts Debian's local cluster (as root) and
# creates a `care` role. Skips, saying why, only when no PostgreSQL server can be started here.
set -euo pipefail

url="${CARE_TEST_POSTGRES_URL:-}"
if [ -z "$url" ]; then
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    echo "PostgreSQL run SKIPPED: no PostgreSQL server here (apt-get install -y postgresql, or set CARE_TEST_POSTGRES_URL)."
    exit 0
  fi
  if [ "$(id -u)" != "0" ]; then
    echo "PostgreSQL run SKIPPED: starting the local cluster needs root; set CARE_TEST_POSTGRES_URL to a server you can use."
    exit 0
  fi
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    echo "PostgreSQL run SKIPPED: the postgresql package is installed but has no cluster."
    exit 0
  fi
  # Leave the machine as we found it: a cluster this script starts is stopped when the run ends.
  if ! pg_lsclusters --no-header | awk 'NR==1 {print $4}' | grep -q online; then
    pg_ctlcluster $cluster start
    trap "pg_ctlcluster $cluster stop || true" EXIT
  fi
  port=$(pg_lsclusters --no-header | awk 'NR==1 {print $3}')
  for _ in $(seq 1 50); do
    su postgres -c "psql -p $port -qAtc 'select 1'" >/dev/null 2>&1 && break
    sleep 0.2
  done
  su postgres -c "psql -p $port -qAtc \"select 1 from pg_roles where rolname = 'care'\"" | grep -q 1 ||
    su postgres -c "psql -p $port -qc \"create role care login createdb password 'care'\""
  url="postgres://care:care@127.0.0.1:$port/postgres"
fi

echo "Server suite on PostgreSQL ($(echo "$url" | sed -E 's#//[^@]*@#//***@#'))"
CARE_TEST_POSTGRES_URL="$url" node --experimental-websocket --import tsx --test --test-concurrency=1 test/server/*.test.ts
