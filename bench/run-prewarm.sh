#!/usr/bin/env bash
# How fast a new pool is ready once its context prepared JVMs ahead (BaseContext.prewarm), beside a bare JVM's
# start and a pool with no spare ready: io.multiprocess.bench.PrewarmedPoolStart, alternating rounds in one JVM.
# Builds the project first, as the other scripts. Argument: [rounds] (default 10).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
java_report io.multiprocess.bench.PrewarmedPoolStart "$@"
