#!/usr/bin/env bash
# Runs every fuzz target of the module for a short while (FUZZTIME, default 5s each): a smoke run that
# catches regressions in CI. Long fuzzing is done by hand: go test ./PKG -run '^$' -fuzz '^FuzzX$'.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-5s}
status=0
for pkg in $(go list ./...); do
  targets=$(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true)
  for t in $targets; do
    echo "fuzz $pkg $t ($fuzztime)"
    if ! go test "$pkg" -run '^$' -fuzz "^${t}\$" -fuzztime "$fuzztime" -parallel 2 > /tmp/vigie-fuzz.$$ 2>&1; then
      cat /tmp/vigie-fuzz.$$
      echo "FAIL: fuzz target $t in $pkg (a crasher, if any, is under testdata/fuzz/$t)"
      status=1
    fi
  done
done
rm -f /tmp/vigie-fuzz.$$
exit $status
