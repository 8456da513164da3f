#!/usr/bin/env bash
# Render benchmark: CPU per frame of the composition's default scene at 1280x720, and its ratio to one plain fill of
# the same frame measured in the same run. Usage: bench/render.sh [frames]   (default 2000)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
cd "$ROOT"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# one reactor build: this tree's media-bus and media-ffmpeg, not an older install; the composition's classpath last
build/mvn -B -q -o -pl composition-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "composition-service/target/classes:composition-service/target/test-classes:$(cat "$cp_file")" \
  io.streammanager.composition.scene.RenderBenchmark "$@"
