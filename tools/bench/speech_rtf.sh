#!/usr/bin/env bash
# The speech pipeline's real-time factor (issue: audio seconds per CPU second, one engine thread): FeatureStream alone
# and with each backend's StreamingPredictor of the speech example's model (org.lstm4j.bench.SpeechRealTime).
# Writes benchmarks/results/<date>/speech-rtf/results.jsonl: a header line (commit, load average, java), then one
# line per pipeline.
#   tools/bench/speech_rtf.sh [SECONDS_OF_AUDIO [BACKENDS]]      default: 60 s; java,java-fast,onnx,tf,nd4j
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 TF_CPP_MIN_LOG_LEVEL=2
(cd "$root" && mvn -q -B -ntp package -pl lstm-bench -am -DskipTests) >&2
args="$root/lstm-bench/target/bench.args"
printf -- '-cp "%s:%s"\n' "$root/lstm-bench/target/classes" "$(cat "$root/lstm-bench/target/bench-classpath.txt")" > "$args"
dirty="$([ -z "$(git -C "$root" status --porcelain)" ] && echo false || echo true)"
out="$root/benchmarks/results/$(date -u +%Y-%m-%d)/speech-rtf"
mkdir -p "$out"
{
  printf '{"command": "tools/bench/speech_rtf.sh %s", "commit": "%s", "dirty": %s, "loadavg": "%s", "nproc": %s, "java": "%s", "date": "%s"}\n' \
    "$*" "$(git -C "$root" rev-parse HEAD)" "$dirty" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(getconf _NPROCESSORS_ONLN)" "$(java -version 2>&1 | head -1 | tr -d '"')" "$(date -u +%FT%TZ)"
  java --add-modules jdk.incubator.vector @"$args" org.lstm4j.bench.SpeechRealTime "$@" 2>/dev/null
  printf '{"loadavg_after": "%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/results.jsonl"
