#!/usr/bin/env bash
# Memory under stream churn (issue 9): starts the whole stack with deploy/local/run.sh, then creates a stream with a
# 3-rendition ladder (720p/480p/360p H.264: three encoders) and deletes it again, once every PERIOD seconds for
# DURATION seconds. After each delete (stack idle again) it samples every service's memory: VmRSS, RssAnon and
# RssShmem from /proc/<pid>/status, and the JVM's own view from Native Memory Tracking (committed total, heap
# committed). Prints one table row per cycle and a verdict per service: RSS at start and end, and the slope of RSS
# over the second half of the run in MB per cycle. Results also go to target/bench/soak-<UTC timestamp>.md.
#
# Usage: bench/soak.sh [--period S] [--duration S]      (default 120 s and 2100 s = 35 min, as the issue measured)
#        PERIOD=20 DURATION=600 bench/soak.sh          (a quick check: 30 cycles in 10 minutes)
# Environment: PERIOD, DURATION (seconds); SOAK_IDLE=8 (seconds from delete to the next create, inside PERIOD; the
#              sample is taken 2 s after the delete);
#              SOAK_SKIP_BUILD=1 (run.sh uses the packaged services as they are);
#              SOAK_BOUNDS=1 (0: the encoder and muxer without their native-memory bounds, i.e. run.sh with
#              SM_NATIVE_MEMORY_BOUNDS=0 and encoder.trim-native-heap-on-stop=false: the "before" figures);
#              SOAK_ENV="NAME=value ..." (extra environment for run.sh and the services, e.g. MALLOC_ARENA_MAX=4);
#              SOAK_JVM_OPTS="..." (extra JVM options for every service, e.g. -XX:+AlwaysPreTouch, so heap pages
#              touched for the first time do not read as growth).
# Every process is started by run.sh and stopped through it by PID (its EXIT trap); its log directory and ring
# directory are this run's own and removed at the end, so nothing is left in /dev/shm or /tmp.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../build/lib.sh
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
PERIOD=${PERIOD:-120}
DURATION=${DURATION:-2100}
IDLE=${SOAK_IDLE:-8}
BOUNDS=${SOAK_BOUNDS:-1}
while [ $# -gt 0 ]; do
  case "$1" in
    --period) PERIOD=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    *) echo "usage: bench/soak.sh [--period S] [--duration S]" >&2; exit 2 ;;
  esac
done
CYCLES=$((DURATION / PERIOD))
[ "$CYCLES" -ge 4 ] || { echo "soak: DURATION/PERIOD must give at least 4 cycles (got $CYCLES)" >&2; exit 2; }
[ "$PERIOD" -gt $((IDLE + 10)) ] || { echo "soak: PERIOD must exceed SOAK_IDLE + 10 s" >&2; exit 2; }
for tool in curl python3; do command -v "$tool" >/dev/null || { echo "soak: missing $tool" >&2; exit 1; }; done

log() { printf '[soak] %s\n' "$*" >&2; }

mkdir -p "$ROOT/target/bench"
WORK=$(mktemp -d "$ROOT/target/bench/soak.XXXXXX")
SHM_DIR=$(mktemp -u /dev/shm/stream-manager-soak.XXXXXX) # run.sh creates it, so run.sh removes it
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
MARKDOWN="$ROOT/target/bench/soak-$STAMP.md"
SAMPLES="$WORK/samples.tsv"
RUN_PID=

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cleanup() {
  trap - EXIT INT TERM
  if [ -n "$RUN_PID" ]; then
    # run.sh's own trap stops every service and Redis by PID and removes the ring directory
    kill -TERM "$RUN_PID" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$RUN_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$RUN_PID" 2>/dev/null; then
      log "run.sh did not stop in 30 s: stopping its processes by PID"
      while IFS='=' read -r _ pid; do kill -KILL "$pid" 2>/dev/null || true; done < "$WORK/logs/pids"
      kill -KILL "$RUN_PID" 2>/dev/null || true
    fi
    wait "$RUN_PID" 2>/dev/null || true
  fi
  rm -rf "$SHM_DIR"
  if [ "${SOAK_KEEP_LOGS:-0}" = 1 ]; then log "logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the stack ----------------------------------------------------------------------------------------------------
HOST=127.0.0.1
COMPOSITION_PORT=$(free_port)
GATEWAY_API_PORT=$(free_port)
# an admin API token for this run only, handed over by environment and curl's stdin, never a command line
TOKEN="smt_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
api_curl() { printf 'header = "Authorization: Bearer %s"\n' "$TOKEN" | curl -K - "$@"; }
mkdir -p "$WORK/logs" "$WORK/tmp"
log "work dir $WORK; period ${PERIOD} s, duration ${DURATION} s: $CYCLES cycles"
# NMT summary costs little and shows what the JVM itself holds; the JVMs' temporary files stay in the work dir
# shellcheck disable=SC2086
UNBOUNDED_OPTS=
[ "$BOUNDS" = 1 ] || UNBOUNDED_OPTS=-Dencoder.trim-native-heap-on-stop=false
env ${SOAK_ENV:-} SM_NATIVE_MEMORY_BOUNDS="$BOUNDS" SM_ADMIN_TOKEN="$TOKEN" SM_DEMO=0 SM_HOST=$HOST SM_LOG_DIR="$WORK/logs" SM_SHM_DIR="$SHM_DIR" \
  SM_REDIS_PORT="$(free_port)" SM_RTMP_PORT="$(free_port)" SM_GATEWAY_PLAYBACK_PORT="$(free_port)" \
  SM_GATEWAY_API_PORT="$GATEWAY_API_PORT" SM_COMPOSITION_PORT="$COMPOSITION_PORT" SM_ENCODER_PORT="$(free_port)" \
  SM_MUXER_PORT="$(free_port)" SM_MAX_RESTARTS=0 SM_SKIP_BUILD="${SOAK_SKIP_BUILD:-0}" \
  JAVA_TOOL_OPTIONS="-XX:NativeMemoryTracking=summary -Djava.io.tmpdir=$WORK/tmp $UNBOUNDED_OPTS ${SOAK_JVM_OPTS:-}" \
  "$ROOT/deploy/local/run.sh" > "$WORK/run.out" 2> "$WORK/run.err" &
RUN_PID=$!
deadline=$((SECONDS + 1200)) # a first run builds the services
until grep -q '^READY' "$WORK/run.out" 2>/dev/null; do
  kill -0 "$RUN_PID" 2>/dev/null || { log "run.sh ended:"; tail -30 "$WORK/run.err" >&2; exit 1; }
  [ $SECONDS -lt $deadline ] || { log "stack not ready in 1200 s"; tail -30 "$WORK/run.err" >&2; exit 1; }
  sleep 0.5
done
declare -A PID_OF=()
read_pids() { while IFS='=' read -r name pid; do PID_OF[$name]=$pid; done < "$WORK/logs/pids"; }
read_pids
SERVICES=(gateway composition encoder muxer)
declare -A FIRST_PID=()
for s in "${SERVICES[@]}"; do FIRST_PID[$s]=${PID_OF[$s]}; done
log "stack ready: gateway ${PID_OF[gateway]}, composition ${PID_OF[composition]}, encoder ${PID_OF[encoder]}, muxer ${PID_OF[muxer]}"

# --- sampling -----------------------------------------------------------------------------------------------------
# One line per service: RSS, anonymous and shared-memory RSS (/proc/<pid>/status), the RSS of the Java heap's own
# mapping (the anonymous mapping of NMT's reserved heap size in /proc/<pid>/smaps: heap pages touched for the first
# time are not a leak), and NMT's committed total and heap. jcmd gets 20 s; a JVM that does not answer gives zeros.
probe() { # cycle seconds service pid
  { timeout 20 "$JAVA_HOME/bin/jcmd" "$4" VM.native_memory summary 2>/dev/null || true; } | python3 -c '
import re, sys
cycle, seconds, service, pid = sys.argv[1:5]
text = sys.stdin.read()
total = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", text)
heap = re.search(r"Java Heap \(reserved=(\d+)KB, committed=(\d+)KB\)", text)
status = {}
for line in open(f"/proc/{pid}/status"):
    key, _, value = line.partition(":")
    status[key] = value.split()[0] if value.split() else "0"
heap_rss, size = 0, None
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ (\d+)\s*(\S*)", line)
    if m:
        size = (int(m.group(2), 16) - int(m.group(1), 16)) // 1024 if m.group(3) == "0" and not m.group(4) else None
    elif line.startswith("Rss:") and size is not None and heap and size == int(heap.group(1)):
        heap_rss = int(line.split()[1])
print("\t".join(str(v) for v in (cycle, seconds, service, status.get("VmRSS", 0), status.get("RssAnon", 0),
      status.get("RssShmem", 0), heap_rss, total.group(1) if total else 0, heap.group(2) if heap else 0)))' \
    "$1" "$2" "$3" "$4"
}
printf 'cycle\tseconds\tservice\trss_kb\tanon_kb\tshmem_kb\theap_rss_kb\tnmt_committed_kb\theap_committed_kb\n' > "$SAMPLES"
START=$SECONDS
sample() { # cycle
  read_pids
  local s at=$((SECONDS - START))
  for s in "${SERVICES[@]}"; do probe "$1" "$at" "$s" "${PID_OF[$s]}" >> "$SAMPLES"; done
  tail -4 "$SAMPLES" | awk -F'\t' -v c="$1" '{ row = row sprintf(" %s %.0f MB (outside heap %.0f)", $3, $4/1024, ($4-$7)/1024) }
    END { printf "[soak] cycle %s:%s\n", c, row > "/dev/stderr" }'
}

# --- churn: create, live, delete, idle, sample ---------------------------------------------------------------------
stream_body() { # name
  sed "s/__NAME__/$1/" "$ROOT/deploy/local/demo-stream.json" | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec["encoder"]["renditions"] = [
    {"id": "hd", "width": 1280, "height": 720, "bitrateKbps": 2500},
    {"id": "sd", "width": 854, "height": 480, "bitrateKbps": 1200},
    {"id": "ld", "width": 640, "height": 360, "bitrateKbps": 600}]
spec["encoder"].pop("bitrateKbps", None)
print(json.dumps(spec))'
}
is_live() { # name: the muxer publishes the stream's main rendition on the gateway
  api_curl -fsS "http://$HOST:$GATEWAY_API_PORT/api/v1/sessions" 2>/dev/null \
    | grep -q "\"stream\":\"$1\",\"role\":\"publisher\""
}
sample 0
FAILED=0
for cycle in $(seq 1 "$CYCLES"); do
  # each cycle's clock is its own: a slow sample shifts the next cycle, never shortens a stream's life
  cycle_end=$((SECONDS + PERIOD))
  name="soak$cycle"
  if ! answer=$(api_curl -fsS -X POST -H 'Content-Type: application/json' -d "$(stream_body "$name")" \
      "http://$HOST:$COMPOSITION_PORT/api/v1/streams"); then
    log "cycle $cycle: could not create the stream"; FAILED=$((FAILED + 1)); break
  fi
  id=$(printf '%s' "$answer" | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
  live_deadline=$((SECONDS + 30))
  until is_live "$name"; do
    [ $SECONDS -lt $live_deadline ] || { log "cycle $cycle: $name not live within 30 s"; FAILED=$((FAILED + 1)); break; }
    sleep 0.2
  done
  while [ $SECONDS -lt $((cycle_end - IDLE)) ]; do sleep 0.5; done
  api_curl -fsS -o /dev/null -X DELETE "http://$HOST:$COMPOSITION_PORT/api/v1/streams/$id" \
    || { log "cycle $cycle: delete failed"; FAILED=$((FAILED + 1)); }
  settle=$((SECONDS + 2)) # a stopped stream's encoder ends within a second
  while [ $SECONDS -lt "$settle" ]; do sleep 0.5; done
  sample "$cycle"
  while [ $SECONDS -lt "$cycle_end" ]; do sleep 0.5; done
done
read_pids
RESTARTED=
for s in "${SERVICES[@]}"; do [ "${PID_OF[$s]}" = "${FIRST_PID[$s]}" ] || RESTARTED="$RESTARTED $s"; done

# --- report -------------------------------------------------------------------------------------------------------
python3 - "$SAMPLES" "$MARKDOWN" "$PERIOD" "$DURATION" "$FAILED" "$RESTARTED" "bounds=$BOUNDS ${SOAK_ENV:-} ${SOAK_JVM_OPTS:-}" <<'EOF'
import csv, sys
samples, markdown, period, duration, failed, restarted, extra_env = sys.argv[1:8]
rows = list(csv.DictReader(open(samples), delimiter="\t"))
services = ["gateway", "composition", "encoder", "muxer"]
by = {s: [r for r in rows if r["service"] == s] for s in services}
mb = lambda kb: int(kb) / 1024
def slope(points):  # least squares, MB per cycle
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    return sum((x - mx) * (y - my) for x, y in points) / sxx if sxx else 0.0
out = [f"# bench/soak.sh: period {period} s, duration {duration} s, 3-rendition ladder per stream"
       + f", `{extra_env.strip()}`", "",
       "RSS 2 s after each delete, MB. Heap: RSS of the Java heap's mapping (first touches of the heap, bounded by",
       "-Xmx); outside: RSS minus that (FFmpeg, malloc, the JVM's own); JVM non-heap: NMT committed minus heap.", "",
       "| cycle | s | gateway | composition | encoder | enc heap | enc outside heap | enc JVM non-heap "
       "| muxer | mux outside heap |",
       "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
outside = lambda r: mb(r["rss_kb"]) - mb(r["heap_rss_kb"])
nonheap = lambda r: mb(r["nmt_committed_kb"]) - mb(r["heap_committed_kb"])
for i, e in enumerate(by["encoder"]):
    g, c, m = by["gateway"][i], by["composition"][i], by["muxer"][i]
    out.append(f"| {e['cycle']} | {e['seconds']} | {mb(g['rss_kb']):.0f} | {mb(c['rss_kb']):.0f} | {mb(e['rss_kb']):.0f} "
               f"| {mb(e['heap_rss_kb']):.0f} | {outside(e):.0f} | {nonheap(e):.0f} | {mb(m['rss_kb']):.0f} "
               f"| {outside(m):.0f} |")
out += ["", "| service | RSS start MB | after cycle 1 | end | RSS slope, 2nd half, MB/cycle "
        "| outside-heap slope | JVM non-heap slope |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
verdict = {}
for s in services:
    series = by[s]
    half = [r for r in series if int(r["cycle"]) >= (len(series) - 1) / 2]
    rss = slope([(int(r["cycle"]), mb(r["rss_kb"])) for r in half])
    out_slope = slope([(int(r["cycle"]), outside(r)) for r in half])
    jvm = slope([(int(r["cycle"]), nonheap(r)) for r in half])
    verdict[s] = rss
    if s == "encoder":
        encoder_outside = out_slope
    out.append(f"| {s} | {mb(series[0]['rss_kb']):.0f} | {mb(series[1]['rss_kb']):.0f} | {mb(series[-1]['rss_kb']):.0f} "
               f"| {rss:+.2f} | {out_slope:+.2f} | {jvm:+.2f} |")
cycles = len(by["encoder"]) - 1
half_cycles = cycles - (cycles + 1) // 2
out += ["", f"Verdict: encoder RSS slope over the second half {verdict['encoder']:+.2f} MB per cycle "
        f"({verdict['encoder'] * half_cycles:+.1f} MB over its {half_cycles} cycles), "
        f"{mb(by['encoder'][0]['rss_kb']):.0f} MB at start, {mb(by['encoder'][-1]['rss_kb']):.0f} MB at the end, "
        f"outside the Java heap {encoder_outside:+.2f} MB per cycle (the heap's pages are bounded by -Xmx): "
        + ("FLAT (under 1 MB per cycle)" if abs(verdict["encoder"]) < 1.0 else "GROWING")
        + (f"; {failed} cycle(s) failed" if failed != "0" else "")
        + (f"; restarted during the run:{restarted} (their figures are not comparable)" if restarted else "")]
text = "\n".join(out) + "\n"
open(markdown, "w").write(text)
print(text)
EOF
log "written to $MARKDOWN"
[ "$FAILED" = 0 ] && [ -z "$RESTARTED" ]
