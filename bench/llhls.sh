#!/usr/bin/env bash
# LL-HLS glass-to-glass latency at hls.js (issue 9): runs the gateway's LlHlsBrowserIntegrationTest, in which two FFmpeg
# publishers (640x360 and its rendition 320x180, each frame stamped with its wall-clock making time and the stream's
# capture epoch in its metadata, as our muxer does) are played by hls.js in low-latency mode in Debian's headless
# Chromium. hls.js reports the frame on screen's capture time (hls.playingDate, from our EXT-X-PROGRAM-DATE-TIME);
# latency = page clock - that. Each run prints the median over the second half of its playback, how far hls.js sat
# behind the live edge, and how far the live edge (end of the newest part) was behind capture at the gateway.
# Writes a Markdown summary to target/bench/llhls-<timestamp>.md.
#
# Usage: bench/llhls.sh [runs]        (default 3)
# Environment: BENCH_SECONDS=30 (seconds of playback per run)
# No HTTP-FLV baseline: mpegts.js exposes no clock that maps its currentTime back to the stream's timestamps, so the
# same capture-time measurement is not available there; the pipeline benchmark (bench/pipeline.sh) measures the
# RTMP path with an ffmpeg player.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-30}
OUT_DIR="$ROOT/target/bench"
mkdir -p "$OUT_DIR"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$OUT_DIR/llhls-$STAMP.md"
log() { printf '[llhls] %s\n' "$*" >&2; }

lines=()
for run in $(seq 1 "$RUNS"); do
  LOG="$OUT_DIR/llhls-$STAMP-run$run.log"
  log "run $run of $RUNS ($SECONDS_PER_RUN s of playback), log $LOG"
  if ! (cd "$ROOT" && build/mvn -B -q -pl rtmp-gateway -am verify -Dtest=LlHlsBrowserIntegrationTest \
      -Dsurefire.failIfNoSpecifiedTests=false -Dllhls.seconds="$SECONDS_PER_RUN") >"$LOG" 2>&1; then
    log "run $run failed; see $LOG"
  fi
  line=$(grep -h "LLHLS-LATENCY" "$LOG" "$ROOT"/rtmp-gateway/target/surefire-reports/*LlHlsBrowser*-output.txt 2>/dev/null \
    | tail -1 || true)
  [ -n "$line" ] && lines+=("$run: ${line#*LLHLS-LATENCY }")
done

{
  echo "# LL-HLS glass-to-glass latency at hls.js ($STAMP)"
  echo
  echo "Target: under 2 s median in hls.js low-latency mode. Machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  for l in "${lines[@]}"; do echo "- run $l"; done
  medians=$(printf '%s\n' "${lines[@]}" | sed -n 's/.*median \([0-9]*\) ms, min.*/\1/p' | sort -n)
  if [ -n "$medians" ]; then
    n=$(echo "$medians" | wc -l)
    echo
    echo "Median of the runs' medians (the upper one for an even count): $(echo "$medians" | sed -n "$(( n / 2 + 1 ))p") ms over $n runs."
  fi
} | tee "$REPORT"
log "report: $REPORT"
