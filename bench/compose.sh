#!/usr/bin/env bash
# Composition benchmark, as ratios measured in one run on the same input:
#   CPU per video second to compose one 1280x720 30 fps H.264 source, a PNG logo and a text into a 1280x720 canvas
#   (the composition's real source decoder, scene and frame clock) versus Debian's ffmpeg doing the same decode +
#   overlay + drawtext filter graph into raw frames;
#   and the latency the composition adds: a decoded frame's age when the clock takes it, plus the render time,
#   against one frame interval (33.3 ms) plus the decode time.
# Each round runs both sides back to back (the machine is shared: load moves both alike); the ratio reported is the
# median of the rounds' ratios.
# Usage: bench/compose.sh [seconds] [rounds]   (default 20 s, 3 rounds; COMPOSE_WARMUP_S: the JVM's warm-up pass
# before the measured one, default 5 s)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
SECONDS_OF_VIDEO=${1:-20}
ROUNDS=${2:-3}
WARMUP_S=${COMPOSE_WARMUP_S:-5}
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

ratios=()
for round in $(seq "$ROUNDS"); do
  echo "== round $round/$ROUNDS: composition (decoder + scene + frame clock), $SECONDS_OF_VIDEO s of video"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx512m \
    -cp "composition-service/target/classes:composition-service/target/test-classes:media-bus/target/classes:$(cat "$cp_file")" \
    io.streammanager.composition.sources.ComposeBenchmark "$WORK/input.mp4" "$WORK/logo.png" "$SECONDS_OF_VIDEO" "$WARMUP_S" \
    | tee "$WORK/compose.out"

  echo "== round $round/$ROUNDS: Debian ffmpeg: decode + overlay + drawtext -> raw 1280x720 I420"
  /usr/bin/time -f "%U %S" -o "$WORK/ffmpeg.time" ffmpeg -hide_banner -loglevel error -i "$WORK/input.mp4" -i "$WORK/logo.png" \
    -filter_complex "[0:v][1:v]overlay=1080:40,drawtext=text='Stream Manager %{localtime}':fontsize=40:fontcolor=white:x=40:y=620,format=yuv420p" \
    -f rawvideo -y /dev/null
  read -r ff_user ff_sys < "$WORK/ffmpeg.time"

  compose_cpu=$(sed -n 's/^compose_cpu_per_video_second=//p' "$WORK/compose.out")
  ffmpeg_cpu=$(awk -v u="$ff_user" -v s="$ff_sys" -v d="$SECONDS_OF_VIDEO" 'BEGIN { printf "%.4f", (u + s) / d }')
  age=$(sed -n 's/^frame_age_ms mean=\([0-9.]*\).*/\1/p' "$WORK/compose.out")
  render=$(sed -n 's/^render_ms mean=\([0-9.]*\).*/\1/p' "$WORK/compose.out")
  decode=$(sed -n 's/^decode_ms mean=\([0-9.]*\).*/\1/p' "$WORK/compose.out")
  echo "ffmpeg_cpu_per_video_second=$ffmpeg_cpu"
  ratio=$(awk -v c="$compose_cpu" -v f="$ffmpeg_cpu" 'BEGIN { printf "%.2f", c / f }')
  ratios+=("$ratio")
  echo "cpu_ratio_composition_to_ffmpeg=$ratio (round $round)"
  awk -v a="$age" -v r="$render" -v d="$decode" 'BEGIN {
    printf "added_latency_ms=%.2f (frame age %.2f + render %.2f); budget_ms=%.2f (one frame 33.33 + decode %.2f); ratio=%.2f\n",
      a + r, a, r, 33.33 + d, d, (a + r) / (33.33 + d) }'
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "cpu_ratio_rounds=${ratios[*]}"
echo "cpu_ratio_composition_to_ffmpeg_median=$median (target <= 1.0)"
