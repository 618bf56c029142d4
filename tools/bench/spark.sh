#!/usr/bin/env bash
# LstmTransformer on Spark local[1] and local[2] against one JVM calling predict with the same batch size, for the
# benchmark shapes (b) and (c) (benchmarks/README.md, "Spark"). Writes benchmarks/results/<date>/spark/.
#   tools/bench/spark.sh                                   the full run
#   tools/bench/spark.sh --rows b=2000,c=640 --runs 1      a smoke run
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
echo "spark.sh: building lstm-bench (mvn package -pl lstm-bench -am -DskipTests)" >&2
mvn -q -B -ntp package -pl lstm-bench -am -DskipTests >&2
out="benchmarks/results/$(date +%Y-%m-%d)/spark"
mkdir -p "$out"
# The class path in an @argfile (a long java command line crashes ONNX Runtime 1.29.0's native start); Spark's
# Java 17 options as its launcher gives them (the root pom's spark.java.options).
args="lstm-bench/target/spark-bench.args"
printf -- '-cp "%s:%s:%s"\n' lstm-bench/target/classes "$(cat lstm-bench/target/bench-classpath.txt)" \
  "$(cat lstm-bench/target/spark-classpath.txt)" > "$args"
spark_options="$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' pom.xml)"
export BENCH_COMMIT="$(git rev-parse HEAD)$(git diff --quiet HEAD -- . ':!benchmarks' || echo '+uncommitted')"
export BENCH_COMMAND="tools/bench/spark.sh $*"
# shellcheck disable=SC2086
java -Xmx3g $spark_options @"$args" org.lstm4j.bench.SparkThroughput "$out" "$@" \
  2> >(grep -v --line-buffered '^WARNING: Using incubator modules' >&2)
echo "spark.sh: wrote $out/results.md and $out/results.json" >&2
