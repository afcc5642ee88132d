#!/usr/bin/env bash
# What an idle pool worker costs beside a bare sleeping JVM, for sets of worker JVM flags: private memory and PSS
# (/proc/PID/smaps_rollup), RSS, threads and CPU time: io.multiprocess.bench.WorkerFootprint. Builds the project
# first, as the other scripts. Arguments: [rounds] [flag set...] (default 5 rounds; the library's defaults beside
# the JDK's own archive relocation, and beside the JVM's own choice of collector, G1 on most machines).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds="${1:-5}"
[[ $# -gt 0 ]] && shift
sets=("$@")
[[ ${#sets[@]} -eq 0 ]] && sets=(default "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=1" "-XX:+UseG1GC")
java_report io.multiprocess.bench.WorkerFootprint "$rounds" "${sets[@]}"
