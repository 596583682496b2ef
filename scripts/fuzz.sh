#!/usr/bin/env bash
# Runs every fuzz target in the module for FUZZTIME (default 5s) each.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-5s}
found=0
while IFS=: read -r file name; do
  found=$((found + 1))
  dir=$(dirname "$file")
  echo "== $name ($dir)"
  "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "./$dir"
done < <(grep -rHoE --include='*_test.go' '^func (Fuzz[A-Za-z0-9_]+)' . | sed -E 's/^\.\///; s/:func /:/')
echo "fuzzed $found targets for $FUZZTIME each"
