#!/usr/bin/env bash
# Builds the project, runs io.multiprocess.bench.IpcBench (ours) and bench/python/ipc_bench.py (Python's
# multiprocessing queues and pipes) one after the other, and prints one Markdown table of both.
# Arguments go to both: --short (CI smoke run), --count N, --reps N, --warmup N, --mib N.
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set, else the java on PATH; $PYTHON, else python3 on PATH.
set -euo pipefail

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
  sed -n '2,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
  exit 0
fi

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
python="${PYTHON:-python3}"

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# One after the other, never together: on a small machine they would compete for the same CPUs.
"$bench_java" -cp "$bench_classpath" io.multiprocess.bench.IpcBench --json "$@" >"$out/ours.json"
"$python" bench/python/ipc_bench.py --json "$@" >"$out/python.json"

echo
"$python" bench/python/merge.py "$out/ours.json" "$out/python.json"

# Our worker JVMs run with this bench's classpath and Python's forkserver with bench/python on its path; both
# exit shortly after their parent, so give them a moment before calling one left over.
leftover=""
for _ in $(seq 50); do
  leftover="$(pgrep -af -- "$bench_root/bench/(target/multiprocess-bench|python)" | grep -v "^$$ " || true)"
  [[ -z "$leftover" ]] && break
  sleep 0.1
done
if [[ -n "$leftover" ]]; then
  echo "worker processes left running:" >&2
  echo "$leftover" >&2
  exit 1
fi
echo
echo "worker processes left running: none"
