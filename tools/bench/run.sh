#!/usr/bin/env bash
# The one benchmark command: builds lstm-bench's jar (no tests), then runs tools/bench/side_by_side.py, which times
# PyTorch, ONNX Runtime (Python), Keras/TensorFlow and every lstm4j backend on the same shapes, weights and thread
# count, and writes benchmarks/results/<date>/ (results.md, chart.png, results.json). See benchmarks/README.md.
#   tools/bench/run.sh                 full run (about 10 minutes on 2 cores)
#   tools/bench/run.sh --quick         shorter sampling
#   BENCH_THREADS=2 tools/bench/run.sh every engine on 2 threads
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
threads="${BENCH_THREADS:-1}"
# One thread for every engine, including anything that reads these (MKL in PyTorch, OpenMP in ND4J, TensorFlow).
export OMP_NUM_THREADS="$threads" MKL_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" \
       TF_NUM_INTRAOP_THREADS="$threads" TF_NUM_INTEROP_THREADS=1 TF_CPP_MIN_LOG_LEVEL=2 BENCH_THREADS="$threads"
export BENCH_COMMAND="tools/bench/run.sh $*"
echo "run.sh: building lstm-bench and the backends (mvn package -pl lstm-bench -am -DskipTests)" >&2
(cd "$root" && mvn -q -B -ntp package -pl lstm-bench -am -DskipTests) >&2
# The class path in an @argfile: a long java command line crashes ONNX Runtime 1.29.0's native start.
args="$root/lstm-bench/target/bench.args"
printf -- '-cp "%s:%s"\n' "$root/lstm-bench/target/classes" "$(cat "$root/lstm-bench/target/bench-classpath.txt")" > "$args"
# Cold start of the pure-Java backends is also measured as an application using only them would start: lstm-api,
# lstm-backend-java and SLF4J on the class path, without the native engines' jars.
java_only="$root/lstm-bench/target/bench-java-only.args"
printf -- '-cp "%s:%s:%s:%s"\n' "$root/lstm-bench/target/classes" "$root/lstm-api/target/lstm-api-0.1.0-SNAPSHOT.jar" \
  "$root/lstm-backend-java/target/lstm-backend-java-0.1.0-SNAPSHOT.jar" \
  "$(tr ':' '\n' < "$root/lstm-bench/target/bench-classpath.txt" | grep -E '/slf4j-(api|nop)-' | paste -sd:)" > "$java_only"
torch_py="$("$root/tools/python/venv.sh" torch)/bin/python"
keras_py="$("$root/tools/python/venv.sh" keras)/bin/python"
exec "$torch_py" "$root/tools/bench/side_by_side.py" --keras-python "$keras_py" --threads "$threads" --java-args "$args" --java-only-args "$java_only" "$@"
