#!/usr/bin/env bash
# The cluster pool beside the local pool on this machine (io.multiprocess.bench.ClusterBench): apply round trip and
# map throughput through Hazelcast, and a CPU-bound map on 1, 2 and 3 members, each member a JVM of its own with one
# worker. Builds the project first, as the other scripts.
#   --short   a smoke run for CI (one round, small inputs; its figures mean little)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$bench_java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.com.hazelcast=error \
  -cp "$bench_classpath" io.multiprocess.bench.ClusterBench "$out" "$@" > /dev/null
cat "$out"
