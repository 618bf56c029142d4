#!/usr/bin/env bash
# Reproduces a JVM crash in ONNX Runtime's Java binding (com.microsoft.onnxruntime:onnxruntime 1.29.0):
# OrtEnvironment.getEnvironment() kills the JVM with SIGSEGV (exit 139, no hs_err file) when the java
# command line is longer than about 4 KB. Found by lstm-reliability's long runs, whose class path is
# 5 KB. 1.23.2 does not crash; passing the same class path in an @argfile (or a manifest Class-Path, as
# Maven Surefire does) avoids it, so the length of the command line, not of java.class.path, is what matters.
#
#   tools/reliability/ort_long_command_line.sh [onnxruntime version, default 1.29.0]
# Prints the exit status with a short and with a long command line; needs the jar in ~/.m2.
set -uo pipefail
V=${1:-1.29.0}
JAR=~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/$V/onnxruntime-$V.jar
[ -f "$JAR" ] || { echo "missing $JAR (mvn dependency:get -Dartifact=com.microsoft.onnxruntime:onnxruntime:$V)"; exit 2; }
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
cat > "$DIR/LoadOrt.java" <<'JAVA'
public class LoadOrt {
    public static void main(String[] args) throws Exception {
        System.out.println("ONNX Runtime " + ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion() + " loaded");
    }
}
JAVA
javac -cp "$JAR" -d "$DIR" "$DIR/LoadOrt.java"
# Class path entries that do not exist change nothing but the command line's length.
PAD=$(for i in $(seq 1 200); do printf ':/nonexistent/padding-entry-%03d.jar' "$i"; done)
java -cp "$JAR:$DIR" LoadOrt; echo "short command line (${#JAR} chars of class path): exit $?"
java -cp "$JAR:$DIR$PAD" LoadOrt; echo "long command line ($(( ${#JAR} + ${#PAD} )) chars of class path): exit $? (139 = SIGSEGV)"
echo "-cp $JAR:$DIR$PAD" > "$DIR/args"
java @"$DIR/args" LoadOrt; echo "same long class path in an @argfile: exit $?"
