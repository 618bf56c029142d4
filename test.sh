#!/usr/bin/env bash
# Runs every module's tests, the conformance kit on every backend included (README: "Run the tests"), installs
# lstm4j into the local Maven repository, then builds and runs the README's quick start (examples/quickstart) as a
# user's own project against what was just installed.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -ntp -Dstyle.color=never install "$@"

offline=()
for a in "$@"; do
  [[ "$a" == "-o" || "$a" == "--offline" ]] && offline=(-o)
done
echo "test.sh: building examples/quickstart against the installed lstm4j"
mvn -B -ntp -q -Dstyle.color=never ${offline[@]+"${offline[@]}"} -f examples/quickstart/pom.xml package
fixture=lstm-conformance/src/main/resources/org/lstm4j/conformance/fixtures/keras/seed_lstm50_dense10
out="$(java --add-modules jdk.incubator.vector -jar examples/quickstart/target/quickstart-1.0.jar \
  "$fixture/model.onnx" "$fixture/inputs/x.npy" 2>&1 | grep -v '^WARNING: Using incubator modules')"
echo "$out"
# The quick start must have run on java-fast with its Vector API kernels, and said which backend it chose.
grep -q "^java-fast: FloatTensor\[2, 10\]" <<<"$out"
grep -q "Using lstm4j backend 'java-fast' from org.lstm4j:lstm-backend-java" <<<"$out"
! grep -q "scalar kernels" <<<"$out"
echo "test.sh: examples/quickstart built and ran"
