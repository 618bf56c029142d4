#!/usr/bin/env bash
# Fuzzes lstm4j's readers with Jazzer: each target for ROUNDS rounds of 5 minutes (the @FuzzTest's
# maxDuration; Jazzer fuzzes one test per JVM). The generated corpus in lstm-reliability/.cifuzz-corpus/
# carries over between rounds and runs. A finding fails the run and is written as a crash file into
# src/test/resources/.../<Test>Inputs/<method>/, where the normal build then replays it (regression mode).
#
#   tools/reliability/fuzz.sh                     # NpyFuzzTest CsvFuzzTest OnnxImportFuzzTest WavFuzzTest, 1 round each
#   ROUNDS=12 tools/reliability/fuzz.sh OnnxImportFuzzTest     # an hour on the importer
#
# Prints each round's libFuzzer summary ("Done N runs in S second(s)"); full logs in target/fuzz-logs/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-1}
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(NpyFuzzTest CsvFuzzTest OnnxImportFuzzTest WavFuzzTest)
fi
mkdir -p target/fuzz-logs
for target in "${TARGETS[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    log="target/fuzz-logs/$target-$round.log"
    echo "== $target, round $round of $ROUNDS (log: $log)"
    if ! JAZZER_FUZZ=1 mvn -pl lstm-reliability -am test-compile surefire:test@fuzz-regression -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false > "$log" 2>&1; then
      grep -a -E "== Java Exception|Caused by|crash-|FAILURE" "$log" | head -20
      echo "FINDING in $target: see $log"
      exit 1
    fi
    grep -a -E "^Done [0-9]+ runs|DONE " "$log" | tail -2
  done
done
