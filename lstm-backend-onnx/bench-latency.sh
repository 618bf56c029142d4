#!/usr/bin/env bash
# Per-call latency of the seed model on the onnx backend: 1 thread vs ONNX Runtime's default threads.
# Usage (from anywhere): lstm-backend-onnx/bench-latency.sh [warmup-calls] [timed-calls]
set -euo pipefail
cd "$(dirname "$0")/.."
# One reactor build, so lstm-api, lstm-onnx and the reference engine come from this checkout's target/ folders.
mvn -q -o -pl lstm-backend-onnx -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile=target/latency.classpath -Dmdep.includeScope=test
# The class path goes in an argument file: ONNX Runtime 1.29.0 crashes the JVM at start under a command line
# longer than about 3,980 bytes (see OnnxRuntimeBackendProvider).
ARGS=lstm-backend-onnx/target/latency.args
echo "-cp lstm-backend-onnx/target/test-classes:lstm-backend-onnx/target/classes:$(cat lstm-backend-onnx/target/latency.classpath)" > "$ARGS"
exec java -Xmx512m @"$ARGS" org.lstm4j.backend.onnx.bench.LatencyMain "$@"
