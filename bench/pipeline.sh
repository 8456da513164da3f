#!/usr/bin/env bash
# Pipeline benchmark: CPU per second of video for one 720p30 stream across the four services, beside Debian's ffmpeg
# encoding the same frames, and end-to-end latency. Usage: bench/pipeline.sh [warmupSeconds] [windowSeconds]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
command -v /usr/bin/ffmpeg >/dev/null || { echo "bench: Debian's ffmpeg is the baseline: apt-get install ffmpeg" >&2; exit 1; }
cd "$ROOT"
build/mvn -B -q install -DskipTests
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
build/mvn -B -q -pl system-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dstream-manager.root="$ROOT" \
  -cp "system-tests/target/test-classes:$(cat "$cp_file")" io.streammanager.system.PipelineBench "$@"
