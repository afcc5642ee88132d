#!/usr/bin/env bash
# Builds the project and runs the start-latency benchmark; arguments go to StartLatency (try --help, --short).
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set (Maven honours it too), else the java on PATH.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

exec "$bench_java" -cp "$bench_classpath" io.multiprocess.bench.StartLatency "$@"
