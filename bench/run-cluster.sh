#!/usr/bin/env bash
# The cluster pool beside the local pool on this machine (io.multiprocess.bench.ClusterBench): apply round trip and
# map throughput through Hazelcast, and a CPU-bound map on 1, 2 and 3 members, each member a JVM of its own with one
# worker. Builds the project first, as the other scripts.
#   --short   a smoke run for CI (one round, small inputs; its figures mean little)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
java_report io.multiprocess.bench.ClusterBench "$@"
