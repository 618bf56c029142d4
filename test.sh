#!/usr/bin/env bash
# Runs every module's tests, the conformance kit on every backend included (README: "Run the tests").
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp -Dstyle.color=never verify "$@"
