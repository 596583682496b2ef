#!/usr/bin/env bash
# Runs every fuzz target of the module built for this platform, FUZZTIME each
# (default 2000x: a count of executions; a duration such as 5s works too, but Go
# 1.26 can end a short one with a bare "context deadline exceeded"). It keeps going
# past a failing target and lists every failure at the end. The engine minimises every
# new interesting input for FUZZMINIMIZETIME (default 100x): with Go's default of 60 s
# a target whose inputs take a millisecond (the QR decoder) spent its whole run
# minimising and ran a handful of inputs.
set -uo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
FUZZTIME=${FUZZTIME:-2000x}
FUZZMINIMIZETIME=${FUZZMINIMIZETIME:-100x}
module=$("$GO" list -m)

# targets prints "package-dir target" for each fuzz target in the test files that
# build here (an osclock_windows_test.go target is not one on Linux).
targets() {
  "$GO" list -f '{{.Dir}}{{range .TestGoFiles}} {{.}}{{end}}{{range .XTestGoFiles}} {{.}}{{end}}' ./... |
    while read -r dir files; do
      for f in $files; do
        grep -oE '^func Fuzz[A-Za-z0-9_]+' "$dir/$f" | sed -E "s|^func |$dir |"
      done
    done
}

ran=0
failed=()
while read -r dir name; do
  ran=$((ran + 1))
  pkg=".${dir#"$PWD"}"
  echo "== $name ($pkg)"
  if ! "$GO" test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZETIME" "$pkg"; then
    failed+=("$name ($pkg)")
  fi
done < <(targets)

echo "fuzzed $ran targets of $module for $FUZZTIME each"
if [ ${#failed[@]} -gt 0 ]; then
  echo "${#failed[@]} failed:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
