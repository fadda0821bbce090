#!/usr/bin/env bash
# Runs a command with CARE_TEST_POSTGRES_URL set to a real PostgreSQL server on 127.0.0.1:
#   bash scripts/with-postgres.sh <command…>             tests: without a server, skip saying why
#   bash scripts/with-postgres.sh --optional <command…>  bench: without one, run the command anyway
# Uses CARE_TEST_POSTGRES_URL when set; otherwise starts Debian's local cluster (as root), creates a
# `care` role, and stops the cluster again when the command ends if this script started it.
set -euo pipefail

optional=no
if [ "${1:-}" = "--optional" ]; then
  optional=yes
  shift
fi

without_postgres() {
  echo "PostgreSQL run SKIPPED: $1"
  if [ "$optional" = yes ]; then
    shift
    "$@"
  fi
  exit $?
}

url="${CARE_TEST_POSTGRES_URL:-}"
if [ -z "$url" ]; then
  if ! command -v pg_lsclusters >/dev/null 2>&1; then
    without_postgres "no PostgreSQL server here (apt-get install -y postgresql, or set CARE_TEST_POSTGRES_URL)." "$@"
  fi
  if [ "$(id -u)" != "0" ]; then
    without_postgres "starting the local cluster needs root; set CARE_TEST_POSTGRES_URL to a server you can use." "$@"
  fi
  cluster=$(pg_lsclusters --no-header | awk 'NR==1 {print $1" "$2}')
  if [ -z "$cluster" ]; then
    without_postgres "the postgresql package is installed but has no cluster." "$@"
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

echo "PostgreSQL for this run: $(echo "$url" | sed -E 's#//[^@]*@#//***@#')" >&2
CARE_TEST_POSTGRES_URL="$url" "$@"
