#!/usr/bin/env bash
# Soak runs: for every backend on lstm-reliability's class path (or those named as arguments),
# 10^6 streaming steps through one predictor and 10^4 predictor open/close cycles, with resident
# memory (VmRSS) and JavaCPP native bytes sampled after warm-up and at the end. Appends a Markdown
# table to reliability/results/<UTC date>.md and exits 1 if any phase grew more than 5 %.
#
#   tools/reliability/long_runs.sh                 # every available backend, full length
#   STEPS=10000 CYCLES=200 tools/reliability/long_runs.sh java
#   STEPS=100000 CYCLES=1000 SKIP_BUILD=1 tools/reliability/long_runs.sh tf
#
# The heap is fixed (-Xms = -Xmx, pre-touched) so that RSS changes are native, metaspace or thread
# growth rather than the collector sizing its heap; heap use after GC is reported beside it.
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${STEPS:-1000000}
CYCLES=${CYCLES:-10000}
HEAP=${HEAP:-256m}

# SKIP_BUILD=1 reuses the last build (to run backends side by side with different lengths).
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -pl lstm-reliability -am -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
fi
# The class path goes in an @argfile: ONNX Runtime 1.29.0's native library crashes the JVM (SIGSEGV, no
# hs_err file) when the java command line is longer than about 4 KB, and this class path is longer.
# See tools/reliability/ort_long_command_line.sh.
ARGS=lstm-reliability/target/longrun.args
echo "-cp lstm-reliability/target/classes:$(cat lstm-reliability/target/classpath.txt)" > "$ARGS"

mkdir -p reliability/results
OUT="reliability/results/$(date -u +%F).md"
{
  echo
  echo "## Long runs $(date -u +%FT%TZ): $STEPS steps, $CYCLES cycles"
  echo
  echo "Commit $(git rev-parse --short HEAD); $(nproc) CPUs; $(java -version 2>&1 | head -1); -Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch."
  echo
} >> "$OUT"
set +e
# --add-modules: java-fast soaks on its Vector API kernels, as users run it.
java --add-modules jdk.incubator.vector -Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch @"$ARGS" org.lstm4j.reliability.LongRun \
    --steps "$STEPS" --cycles "$CYCLES" "$@" | tee -a "$OUT"
status=${PIPESTATUS[0]}
echo "Results appended to $OUT"
exit "$status"
