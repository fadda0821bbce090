#!/usr/bin/env bash
# Runs npm scripts at the same time, each with its own log, and prints each log whole when all are
# done, so a CI log stays readable. Exits non-zero when any of them failed.
#   bash scripts/parallel.sh test:server test:postgres
set -uo pipefail

logs=$(mktemp -d)
declare -A pids
for script in "$@"; do
  npm run --silent "$script" >"$logs/$script.log" 2>&1 &
  pids[$script]=$!
done

failed=()
for script in "$@"; do
  if ! wait "${pids[$script]}"; then failed+=("$script"); fi
done

for script in "$@"; do
  echo
  echo "=================== npm run $script ==================="
  cat "$logs/$script.log"
done
rm -rf "$logs"

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
