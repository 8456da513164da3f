#!/usr/bin/env bash
# Frame handoff benchmark: 1920x1080 BGRA frames from one process to another through the shared-memory frame ring
# and over loopback TCP, printing frames/s for both and the ratio. Not a test: numbers depend on the machine.
#   bench/ring-handoff.sh [frames]      (default 600)
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck source=../build/lib.sh
. build/lib.sh
JDK=$(find_jdk25) || exit 1

# offline first; only if something is missing from the local repository, let Maven fetch it
build/mvn -B -q -o -pl media-bus test-compile || build/mvn -B -q -pl media-bus test-compile
classpath_file=$(mktemp)
trap 'rm -f "$classpath_file"' EXIT
build/mvn -B -q -o dependency:build-classpath -pl media-bus -Dmdep.outputFile="$classpath_file" \
  || build/mvn -B -q dependency:build-classpath -pl media-bus -Dmdep.outputFile="$classpath_file"

exec "$JDK/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "media-bus/target/classes:media-bus/target/test-classes:$(cat "$classpath_file")" \
  io.streammanager.bus.bench.FrameHandoffBenchmark "$@"
