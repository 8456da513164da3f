#!/usr/bin/env bash
# Composition benchmark, as ratios measured in one run on the same input:
#   CPU per video second to compose one 1280x720 30 fps H.264 source, a PNG logo and a text into a 1280x720 canvas
#   (the composition's real source decoder, scene and frame clock) versus Debian's ffmpeg doing the same decode +
#   overlay + drawtext filter graph into raw frames;
#   and the latency the composition adds: a decoded frame's age when the clock takes it, plus the render time,
#   against one frame interval (33.3 ms) plus the decode time.
# Each round runs both sides back to back (the machine is shared: load moves both alike); the ratio reported is the
# median of the rounds' ratios. The composition runs in one JVM warmed up once (COMPOSE_WARMUP_S, default 20 s of
# composing with the clock at 300 fps and the source decoded unpaced): a service composes for hours, and its
# per-frame code, called 30 times a second, is only compiled by C2 after thousands of calls; measuring the
# interpreter and C1 would measure the first minutes of a stream, not the stream.
# Usage: bench/compose.sh [seconds] [rounds]   (default 20 s, 3 rounds)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
SECONDS_OF_VIDEO=${1:-20}
ROUNDS=${2:-3}
WARMUP_S=${COMPOSE_WARMUP_S:-20}
cd "$ROOT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sm-compose-bench.XXXXXX")
cp_file="$WORK/classpath"
trap 'rm -rf "$WORK"' EXIT

# The input: a moving test pattern, 1280x720 at 30 fps, H.264 (as OBS would publish it), and a logo with alpha.
ffmpeg -hide_banner -loglevel error -f lavfi -i "testsrc2=size=1280x720:rate=30" -t "$SECONDS_OF_VIDEO" \
  -c:v libx264 -preset veryfast -g 60 -pix_fmt yuv420p -y "$WORK/input.mp4"
ffmpeg -hide_banner -loglevel error -f lavfi -i "color=c=red@0.8:s=160x160,format=rgba" -frames:v 1 -y "$WORK/logo.png"

# one reactor build, so the classpath holds this tree's media-bus and media-ffmpeg (their target/classes), never
# whatever an older install left in the local repository; the last module written is the composition's
build/mvn -B -q -o -pl composition-service -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$cp_file"

# One JVM: warmed up once, as a composition service that has run for a while, then each round composes the file and
# runs the ffmpeg baseline right after it (ComposeBenchmark starts it under /usr/bin/time).
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
  -cp "composition-service/target/classes:composition-service/target/test-classes:media-bus/target/classes:$(cat "$cp_file")" \
  io.streammanager.composition.sources.ComposeBenchmark "$WORK/input.mp4" "$WORK/logo.png" "$SECONDS_OF_VIDEO" \
  "$WARMUP_S" "$ROUNDS" \
  ffmpeg -hide_banner -loglevel error -i "$WORK/input.mp4" -i "$WORK/logo.png" \
  -filter_complex "[0:v][1:v]overlay=1080:40,drawtext=text='Stream Manager %{localtime}':fontsize=40:fontcolor=white:x=40:y=620,format=yuv420p" \
  -f rawvideo -y /dev/null 2>&1 | grep -v -e '^Input #' -e '^  ' -e 'rejected some options' -e 'LogManager' \
  | tee "$WORK/compose.out"

ratios=()
while read -r ratio; do ratios+=("$ratio"); done < <(sed -n 's/^cpu_ratio_composition_to_ffmpeg=\([0-9.]*\) .*/\1/p' "$WORK/compose.out")
paste -d' ' <(sed -n 's/^frame_age_ms mean=\([0-9.]*\).*/\1/p' "$WORK/compose.out") \
  <(sed -n 's/^render_ms mean=\([0-9.]*\).*/\1/p' "$WORK/compose.out") \
  <(sed -n 's/^decode_ms mean=\([0-9.]*\).*/\1/p' "$WORK/compose.out") | while read -r age render decode; do
  awk -v a="$age" -v r="$render" -v d="$decode" 'BEGIN {
    printf "added_latency_ms=%.2f (frame age %.2f + render %.2f); budget_ms=%.2f (one frame 33.33 + decode %.2f); ratio=%.2f\n",
      a + r, a, r, 33.33 + d, d, (a + r) / (33.33 + d) }'
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "cpu_ratio_rounds=${ratios[*]}"
echo "cpu_ratio_composition_to_ffmpeg_median=$median (target <= 1.0)"
