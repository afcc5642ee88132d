# Sourced by bench/run.sh and bench/run-pool.sh, not run: builds the project and sets the variables both need.
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
