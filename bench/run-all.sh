#!/usr/bin/env bash
# Builds once, then runs every benchmark, ours and Python's multiprocessing side by side, one after the other, and
# prints one Markdown report: the machine, the date, the command, then each suite's table.
#   --short   a smoke run for CI (seconds per suite, one unmeasured run as warm-up; its figures mean little)
#   --write   also put the report into docs/benchmarks.md, between the "latest full run" markers
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set, else the java on PATH; $PYTHON, else python3 on PATH. When that
# Python can import uqfoundation's multiprocess, the start and pool suites measure it too.
set -euo pipefail

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi
short=()
write=false
for argument in "$@"; do
  case "$argument" in
    --short) short=(--short); export BENCH_WARM_UP_SECONDS=0 ;;
    --write) write=true ;;
    *) echo "unknown argument '$argument'; try --help" >&2; exit 2 ;;
  esac
done

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
python="${PYTHON:-python3}"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT

{
  echo "### Latest full run"
  echo
  echo "\`bench/run-all.sh ${short[*]}\` on $(date -u +%Y-%m-%d): $(nproc) CPUs," \
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)," \
    "$("$bench_java" -version 2>&1 | head -n 1 | tr -d '"'), $("$python" --version 2>&1)."
  echo
  echo "#### Process start"
  "$bench_java" -cp "$bench_classpath" io.multiprocess.bench.StartLatency "${short[@]}"
  echo
  echo "Python's multiprocessing, the same measures (bench/python/start_bench.py):"
  echo
  "$python" bench/python/start_bench.py "${short[@]}"
  if python_library_importable multiprocess; then
    echo
    echo "uqfoundation's multiprocess (dill), the same measures:"
    echo
    BENCH_PYTHON_LIBRARY=multiprocess "$python" bench/python/start_bench.py "${short[@]}"
  fi
  echo
  echo "#### Pool"
  side_by_side io.multiprocess.bench.PoolBench bench/python/pool_bench.py bench/python/merge_pool.py "${short[@]}"
  if python_library_importable multiprocess; then
    echo
    echo "#### Pool, against uqfoundation's multiprocess (dill)"
    echo
    echo "Our figures above, beside multiprocess measured with the same script:"
    against_library_too multiprocess bench/python/pool_bench.py bench/python/merge_pool.py "${short[@]}"
  fi
  echo
  echo "#### Queues and pipes"
  side_by_side io.multiprocess.bench.IpcBench bench/python/ipc_bench.py bench/python/merge.py "${short[@]}"
  echo
  echo "#### Connections (Listener/Client)"
  side_by_side io.multiprocess.bench.ConnectionBench bench/python/connection_bench.py \
    bench/python/merge_connection.py "${short[@]}"
  echo
  echo "#### Locks and shared values"
  side_by_side io.multiprocess.bench.LockBench bench/python/lock_bench.py bench/python/merge_sync.py "${short[@]}"
  echo
  echo "#### Managers"
  side_by_side io.multiprocess.bench.ManagerBench bench/python/manager_bench.py bench/python/merge_manager.py \
    "${short[@]}"
  if [[ ${#short[@]} -eq 0 ]]; then
    echo
    echo "#### Lean workers (bench/run-footprint.sh: an idle pool worker beside a bare JVM, archives relocated, G1)"
    echo
    java_report io.multiprocess.bench.WorkerFootprint 5 default \
      "-XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=1" "-XX:+UseG1GC"
  fi
  # The cluster suite is left out of the smoke run: CI's 12 minutes have no room for its member JVMs, and
  # multiprocess-hazelcast's tests run the same members and paths.
  if [[ ${#short[@]} -eq 0 ]]; then
    echo
    echo "#### Cluster pool (members on this machine; see docs/scale-out.md)"
    echo
    java_report io.multiprocess.bench.ClusterBench
  fi
} | tee "$report"

if $write; then
  "$python" - "$report" docs/benchmarks.md <<'PYTHON'
import sys
report, target = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
text = open(target, encoding="utf-8").read()
begin, end = "<!-- latest full run: begin -->", "<!-- latest full run: end -->"
if begin in text and end in text:
    text = text[:text.index(begin) + len(begin)] + "\n" + report + "\n" + text[text.index(end):]
else:
    text = text.rstrip() + "\n\n" + begin + "\n" + report + "\n" + end + "\n"
open(target, "w", encoding="utf-8").write(text)
PYTHON
  echo "written to docs/benchmarks.md"
fi
