#!/usr/bin/env bash
# Builds the project, runs io.multiprocess.bench.ManagerBench (ours) and bench/python/manager_bench.py
# (Python's multiprocessing.Manager().dict()) one after the other, and prints one Markdown table of both.
# Arguments go to both: --short (CI smoke run), --warmup N, --calls N.
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set, else the java on PATH; $PYTHON, else python3 on PATH.
set -euo pipefail

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  sed -n '2,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
side_by_side io.multiprocess.bench.ManagerBench bench/python/manager_bench.py bench/python/merge_manager.py "$@"
