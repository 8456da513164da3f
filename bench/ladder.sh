#!/usr/bin/env bash
# Ladder benchmark: CPU per second of video of a 720p/480p/360p H.264 ladder encoded from one 720p30 frame ring (the
# encoder service's LadderEncoder, frames read in place), beside Debian's ffmpeg doing split + scale + 3 encodes of the
# same frames in one process, as a ratio in one run. Target: ours/ffmpeg <= 1.15.
# Usage: bench/ladder.sh [frames] [rounds]   (default 600 frames = 20 s of video, 3 rounds)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
command -v /usr/bin/ffmpeg >/dev/null || { echo "bench: Debian's ffmpeg is the baseline: apt-get install ffmpeg" >&2; exit 1; }
cd "$ROOT"
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
# one reactor build, so the encoder runs against this tree's media-bus; the last module written is the encoder's
build/mvn -B -q -pl encoder-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED \
  -cp "encoder-service/target/classes:encoder-service/target/test-classes:$(cat "$cp_file")" \
  io.streammanager.encoder.bench.LadderBenchmark "$@"
