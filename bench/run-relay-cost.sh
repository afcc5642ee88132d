#!/usr/bin/env bash
# What relaying the workers' output costs (ChildOutput.LOG against inherited output): io.multiprocess.bench.
# OutputRelayCost, both pools in one JVM, alternating rounds. Builds the project first, as the other scripts.
# Arguments: [rounds] [applies] [items] (defaults 10, 2000, 200000).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bench_java" -Dorg.slf4j.simpleLogger.logFile=/dev/null -cp "$bench_classpath" io.multiprocess.bench.OutputRelayCost \
  "$out" "$@" > /dev/null
cat "$out"
