#!/usr/bin/env bash
# Builds the project and runs the start-latency benchmark; arguments go to StartLatency (try --help, --short).
# Uses $JAVA_HOME/bin/java when JAVA_HOME is set (Maven honours it too), else the java on PATH.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn -q -B install -DskipTests
classpath_file="$root/bench/target/runtime-classpath.txt"
mvn -q -B -f bench/pom.xml dependency:build-classpath -Dmdep.outputFile="$classpath_file"

java="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME/bin/java"
fi

exec "$java" -cp "bench/target/classes:$(cat "$classpath_file")" io.multiprocess.bench.StartLatency "$@"
