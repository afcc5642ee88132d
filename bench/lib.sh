# Sourced by the bench/run*.sh scripts, not run: builds the project, sets the variables they need, and defines
# side_by_side, which runs one of our benches and its Python peer.
#   bench_root       the project root (the caller's cwd does not matter)
#   bench_java       $JAVA_HOME/bin/java when JAVA_HOME is set (Maven honours it too), else the java on PATH
#   bench_classpath  the bench jar plus its runtime dependencies (jars only), relative to bench_root
# The caller must have set -euo pipefail; this file changes the working directory to bench_root.

bench_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$bench_root"

mvn -q -B install -DskipTests
bench_classpath_file="$bench_root/bench/target/runtime-classpath.txt"
mvn -q -B -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$bench_classpath_file"
# The bench jar rather than bench/target/classes: with jars only, child JVMs start from a startup archive, as they
# do in a deployed application.
bench_classpath="$(ls bench/target/multiprocess-bench-*.jar):$(cat "$bench_classpath_file")"

bench_java="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  bench_java="$JAVA_HOME/bin/java"
fi

# python_library_importable NAME: whether $PYTHON (else python3) can import NAME.
python_library_importable() {
  "${PYTHON:-python3}" -c "import $1" >/dev/null 2>&1
}

# against_library_too LIBRARY PYTHON_SCRIPT MERGE_SCRIPT [ARGS...]
# Runs PYTHON_SCRIPT again with BENCH_PYTHON_LIBRARY=LIBRARY (see bench/python/peer.py) and prints MERGE_SCRIPT's
# table of it beside our figures from the last side_by_side, without measuring ours a second time.
against_library_too() {
  local library="$1" python_script="$2" merge_script="$3"
  shift 3
  local python="${PYTHON:-python3}"
  local peer_json
  peer_json="$(mktemp)"
  BENCH_PYTHON_LIBRARY="$library" python_peer "$peer_json" "$python_script" "$@"
  echo
  "$python" "$merge_script" "$bench_root/bench/target/last-ours.json" "$peer_json"
  rm -f "$peer_json"
}

# java_report MAIN_CLASS [ARGS...]
# Runs one of our bench mains that writes its Markdown report into the file given as its first argument (its stdout
# is progress only), with quiet logging (Hazelcast's at ERROR), and prints the report.
java_report() {
  local main_class="$1" report
  shift
  report="$(mktemp)"
  "$bench_java" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.com.hazelcast=error \
    -cp "$bench_classpath" "$main_class" "$report" "$@" > /dev/null
  cat "$report"
  rm -f "$report"
}

# python_peer OUT_JSON PYTHON_SCRIPT [ARGS...]
# Runs a Python peer with --json into OUT_JSON, under a deadline ($BENCH_PYTHON_DEADLINE seconds, default 2000):
# CPython's own pools can hang (a forkserver Pool's worker-handler thread once spun for 30 minutes with its workers
# idle). A peer that hangs or fails leaves a JSON with no results, which the merge scripts show as "–", and says so.
python_peer() {
  local out_json="$1" python_script="$2"
  shift 2
  local deadline="${BENCH_PYTHON_DEADLINE:-2000}" status=0
  timeout -k 10 "$deadline" "${PYTHON:-python3}" "$python_script" --json "$@" >"$out_json" || status=$?
  if [[ $status -ne 0 ]]; then
    local why="failed with status $status"
    if [[ $status -eq 124 || $status -eq 137 ]]; then
      why="hung: no result after $deadline s (killed)"
      # timeout kills the script's process group, not the sessions of its own (pool_bench.py runs each start
      # method in one) nor a forkserver they started: left running, they would fail every later suite's check.
      pkill -KILL -f -- "$bench_root/bench/python/" || true
    fi
    echo "$python_script $why; its column is empty" >&2
    printf '{"runtime": "%s: %s", "library": "python", "processes": 0, "results": {}}\n' "$python_script" "$why" \
      >"$out_json"
  fi
}

# side_by_side MAIN_CLASS PYTHON_SCRIPT MERGE_SCRIPT [ARGS...]
# Runs our bench class and its Python peer with --json and ARGS, one after the other (never together: on a small
# machine they would compete for the same CPUs), prints the table MERGE_SCRIPT makes of both, and fails if a worker
# process of either side is still running afterwards.
side_by_side() {
  local main_class="$1" python_script="$2" merge_script="$3"
  shift 3
  local python="${PYTHON:-python3}"
  local out
  out="$(mktemp -d)"
  # shellcheck disable=SC2064
  trap "rm -rf '$out'" EXIT

  "$bench_java" -cp "$bench_classpath" "$main_class" --json "$@" >"$out/ours.json"
  cp "$out/ours.json" "$bench_root/bench/target/last-ours.json"
  python_peer "$out/python.json" "$python_script" "$@"
  echo
  "$python" "$merge_script" "$out/ours.json" "$out/python.json"

  # Our child JVMs run with this bench's classpath and Python's forkserver with bench/python on its path; both
  # exit shortly after their parent, so give them a moment before calling one left over.
  local leftover=""
  for _ in $(seq 50); do
    leftover="$(pgrep -af -- "$bench_root/bench/(target/multiprocess-bench|python)" | grep -v "^$$ " || true)"
    [[ -z "$leftover" ]] && break
    sleep 0.1
  done
  if [[ -n "$leftover" ]]; then
    echo "worker processes left running:" >&2
    echo "$leftover" >&2
    return 1
  fi
  rm -rf "$out"
  echo
  echo "worker processes left running: none"
}
