#!/usr/bin/env bash
# Builds the project, runs io.multiprocess.bench.LockBench (ours) and bench/python/lock_bench.py (Python's
# multiprocessing) one after the other, and prints one Markdown table of both: uncontended acquire()+release() of
# a Lock, an RLock and a Semaphore in a child process; get/set of a shared int (Value, RawValue) in a child; and
# increments of one Value under its lock by 4 processes at once (increments/s).
# Arguments go to both: --short (CI smoke run), --warmup N, --reps N, --pairs N, --increments N.
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set, else the java on PATH; $PYTHON, else python3 on PATH.
set -euo pipefail

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
side_by_side io.multiprocess.bench.LockBench bench/python/lock_bench.py bench/python/merge_sync.py "$@"
