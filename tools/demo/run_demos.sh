#!/usr/bin/env bash
# The forecast demos' printed tables and the statsmodels checks, as one raw file for the README's figures:
#   tools/demo/run_demos.sh      writes benchmarks/results/<date>/forecast-demos.txt
# It records the git commit, the load average and the wall time of each demo (CPU time too, the machine being shared).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
out="benchmarks/results/$(date -u +%F)/forecast-demos.txt"
mkdir -p "$(dirname "$out")"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
{
  echo "# tools/demo/run_demos.sh on $(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!benchmarks' ':!*.md' || echo ' (with uncommitted changes)')"
  echo "# $(date -u +%FT%TZ); $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  ./lstm backends > /dev/null  # builds the tool first, so that no build is timed
  for demo in co2 sunspots; do
    echo
    echo "\$ ./lstm forecast --demo $demo"
    /usr/bin/time -f "# wall %e s, user %U s, system %S s" ./lstm forecast --demo "$demo" --output "$tmp/$demo.csv" \
      --chart "$tmp/$demo.png" 2>&1 | grep -v '^wrote '
  done
  echo
  echo "\$ mvn -pl lstm-forecast test -Dtest=StatsmodelsAgreementTest   (our fit's SSE against statsmodels 0.15.0's)"
  mvn -q -B -ntp -pl lstm-forecast test -Dtest=StatsmodelsAgreementTest -Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
    | sed 's/\x1b\[[0-9;]*m//g' | grep -E ': SSE ' | sed 's/; alpha=.*//'
  echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out"
cat "$out"
