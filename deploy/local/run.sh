#!/usr/bin/env bash
# Builds (if needed) and runs the whole Stream Manager stack on this machine, then puts a live demo stream on the
# gateway. Runs in the foreground; Ctrl-C or SIGTERM stops every process it started and removes its shared memory.
#
# Settings (environment):
#   SM_HOST=127.0.0.1            address every service binds and publishes
#   SM_RTMP_PORT=1935            gateway RTMP        SM_GATEWAY_PLAYBACK_PORT=8080  gateway public playback (HTTP-FLV, WS-FLV)
#   SM_GATEWAY_API_PORT=8084     gateway private HTTP (keys, sessions, play tokens, health, metrics, OpenAPI)
#   SM_COMPOSITION_PORT=8081     composition REST    SM_ENCODER_PORT=8082       SM_MUXER_PORT=8083
#   SM_ADMIN_TOKEN               admin API token every service accepts; when unset one is generated and written to
#                                $LOG_DIR/admin-token (mode 0600). Never printed.
#   SM_REDIS_PORT=6379           Redis (started here; the system's redis-server, else embedded-redis's binary)
#   SM_SHM_DIR=/dev/shm/stream-manager   ring files     SM_DEMO=1   create the demo stream (0: stack only)
#   SM_DEMO_NAME=demo            SM_SKIP_BUILD=0     1: never build, use what is in */target
#   SM_MAX_RESTARTS=5            a service that dies is started again (1 s, 2 s, 4 s ... 30 s later), this often at
#                                most; then the run stops. A dead Redis stops the run at once.
#   SM_NATIVE_MEMORY_BOUNDS=1    the encoder and muxer run with glibc's malloc arenas capped (MALLOC_ARENA_MAX=2) and
#                                the JVM trimming the native heap every 10 s (-XX:TrimNativeHeapInterval), so FFmpeg's
#                                memory stays flat under stream churn (bench/soak.sh); 0: glibc's and the JDK's defaults
#   SM_LOG_DIR                   service logs (default: a new directory under ${TMPDIR:-/tmp}); run.sh also writes
#                                there: endpoints (name=url per endpoint started), pids (process=pid per process)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../build/lib.sh
. "$ROOT/build/lib.sh"

HOST=${SM_HOST:-127.0.0.1}
RTMP_PORT=${SM_RTMP_PORT:-1935}
# SM_GATEWAY_HTTP_PORT: the old name of the playback port, from when the gateway's APIs shared it
PLAYBACK_PORT=${SM_GATEWAY_PLAYBACK_PORT:-${SM_GATEWAY_HTTP_PORT:-8080}}
GATEWAY_API_PORT=${SM_GATEWAY_API_PORT:-8084}
COMPOSITION_PORT=${SM_COMPOSITION_PORT:-8081}
ENCODER_PORT=${SM_ENCODER_PORT:-8082}
MUXER_PORT=${SM_MUXER_PORT:-8083}
REDIS_PORT=${SM_REDIS_PORT:-6379}
SHM_DIR=${SM_SHM_DIR:-/dev/shm/stream-manager}
DEMO=${SM_DEMO:-1}
DEMO_NAME=${SM_DEMO_NAME:-demo}
LOG_DIR=${SM_LOG_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/stream-manager-run.XXXXXX")}
SERVICES=(rtmp-gateway composition-service encoder-service muxer-service)

log() { printf '[run] %s\n' "$*" >&2; }

JAVA_HOME=$(find_jdk25)
JAVA="$JAVA_HOME/bin/java"
mkdir -p "$LOG_DIR"
: > "$LOG_DIR/pids"
: > "$LOG_DIR/endpoints"

# --- the admin API token: passed through, or generated into a file only its owner can read -------------------------
if [ -n "${SM_ADMIN_TOKEN:-}" ]; then
  ADMIN_TOKEN=$SM_ADMIN_TOKEN
  TOKEN_HINT='$SM_ADMIN_TOKEN'
else
  ADMIN_TOKEN="smt_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  (umask 077 && printf '%s\n' "$ADMIN_TOKEN" > "$LOG_DIR/admin-token")
  chmod 600 "$LOG_DIR/admin-token"
  TOKEN_HINT="\$(cat $LOG_DIR/admin-token)"
fi
# curl with the token in a config read from stdin: printf is a shell builtin, so the token is in no command line
api_curl() { printf 'header = "Authorization: Bearer %s"\n' "$ADMIN_TOKEN" | curl -K - "$@"; }
declare -A PID_OF=()
PID_ORDER=()
record_pid() { # name pid: remembers the process and rewrites $LOG_DIR/pids (one name=pid line each)
  [ -n "${PID_OF[$1]:-}" ] || PID_ORDER+=("$1")
  PID_OF[$1]=$2
  local name
  : > "$LOG_DIR/pids.tmp"
  for name in "${PID_ORDER[@]}"; do echo "$name=${PID_OF[$name]}" >> "$LOG_DIR/pids.tmp"; done
  mv "$LOG_DIR/pids.tmp" "$LOG_DIR/pids"
}
record_endpoint() { echo "$1=$2" >> "$LOG_DIR/endpoints"; }

# --- build if needed --------------------------------------------------------------------------------------------
needs_build() {
  local service jar
  for service in "${SERVICES[@]}"; do
    jar="$ROOT/$service/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
    # any source or pom newer than the packaged app means a rebuild
    if [ -n "$(find "$ROOT/$service/src/main" "$ROOT/$service/pom.xml" "$ROOT/media-bus/src/main" "$ROOT/media-ffmpeg/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  done
  return 1
}
if [ "${SM_SKIP_BUILD:-0}" != 1 ] && needs_build; then
  log "building (build/mvn package -DskipTests), log: $LOG_DIR/build.log"
  if ! "$ROOT/build/mvn" -B -q -f "$ROOT/pom.xml" package -DskipTests -pl media-bus,media-ffmpeg,rtmp-gateway,composition-service,encoder-service,muxer-service > "$LOG_DIR/build.log" 2>&1; then
    tail -40 "$LOG_DIR/build.log" >&2
    log "build failed"; exit 1
  fi
fi

# --- process bookkeeping: everything started here is stopped here, by PID -----------------------------------------
SHM_CREATED=0
[ -d "$SHM_DIR" ] || SHM_CREATED=1
stop_pids() { # pids...: SIGTERM all, wait up to 10 s each, then SIGKILL what is left
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}
cleanup() {
  trap - EXIT INT TERM
  # services first, so they can say goodbye through Redis (events, session ends); Redis (the first PID) last.
  # PID_OF holds the current PID of each process, so a service the supervisor restarted is stopped too.
  local name services=()
  for name in "${PID_ORDER[@]}"; do [ "$name" = redis ] || services+=("${PID_OF[$name]}"); done
  if [ ${#services[@]} -gt 0 ]; then stop_pids "${services[@]}"; fi
  if [ -n "${PID_OF[redis]:-}" ]; then stop_pids "${PID_OF[redis]}"; fi
  if [ "$SHM_CREATED" = 1 ]; then rm -rf "$SHM_DIR"; fi
  log "stopped; logs are in $LOG_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_for() { # name url seconds pid
  local deadline=$((SECONDS + $3))
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if ! kill -0 "$4" 2>/dev/null; then log "$1 exited; last lines of its log:"; tail -30 "$LOG_DIR/$1.log" >&2; exit 1; fi
    if [ $SECONDS -ge $deadline ]; then log "$1 not ready after $3 s ($2)"; tail -30 "$LOG_DIR/$1.log" >&2; exit 1; fi
    sleep 0.2
  done
}

# --- Redis ------------------------------------------------------------------------------------------------------
redis_binary() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return; fi
  local cache="${STREAM_MANAGER_CACHE:-$HOME/.cache/stream-manager}/redis-embedded"
  local bin="$cache/redis-server-6.2.6-v5-linux-amd64"
  if [ ! -x "$bin" ]; then
    mkdir -p "$cache"
    "$ROOT/build/mvn" -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact=com.github.codemonstur:embedded-redis:1.4.4 -DoutputDirectory="$cache" >&2
    (cd "$cache" && unzip -o -q embedded-redis-1.4.4.jar redis-server-6.2.6-v5-linux-amd64 && chmod +x redis-server-6.2.6-v5-linux-amd64)
  fi
  echo "$bin"
}
REDIS_DIR="$LOG_DIR/redis"
mkdir -p "$REDIS_DIR"
"$(redis_binary)" --port "$REDIS_PORT" --bind "$HOST" --save "" --appendonly no --dir "$REDIS_DIR" \
  --daemonize no > "$LOG_DIR/redis.log" 2>&1 &
REDIS_PID=$!
record_pid redis "$REDIS_PID"
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/$HOST/$REDIS_PORT") 2>/dev/null && break
  kill -0 "$REDIS_PID" 2>/dev/null || { log "redis-server exited"; cat "$LOG_DIR/redis.log" >&2; exit 1; }
  sleep 0.1
done
log "redis on $HOST:$REDIS_PORT"
record_endpoint redis "redis://$HOST:$REDIS_PORT"

# --- the four services --------------------------------------------------------------------------------------------
JVM_OPTS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=4 -Xss512k)
COMMON=(-Dquarkus.http.host="$HOST" -Dquarkus.redis.hosts="redis://$HOST:$REDIS_PORT" -Dquarkus.devservices.enabled=false)
# FFmpeg's threads (one set per stream and rendition) spread their mallocs over glibc arenas, which keep what is
# freed: few arenas and a periodic trim bound that memory (encoder-service/README.md, "Memory").
NATIVE_ENV=()
NATIVE_JVM_OPTS=()
if [ "${SM_NATIVE_MEMORY_BOUNDS:-1}" = 1 ]; then
  NATIVE_ENV=(MALLOC_ARENA_MAX=2)
  NATIVE_JVM_OPTS=(-XX:TrimNativeHeapInterval=10000)
fi
STARTED_PID=
declare -A START_ARGS=()
start_service() { # service short-name http-port heap extra-props... ; sets STARTED_PID
  START_ARGS[$2]=$(printf '%q ' "$@")
  local service=$1 name=$2 port=$3 heap=$4 native_env=() native_opts=(); shift 4
  case "$name" in encoder|muxer) native_env=("${NATIVE_ENV[@]}"); native_opts=("${NATIVE_JVM_OPTS[@]}") ;; esac
  # the token goes to the service through its environment (SM_ADMIN_TOKEN), never its command line
  env "${native_env[@]}" SM_ADMIN_TOKEN="$ADMIN_TOKEN" "$JAVA" "${JVM_OPTS[@]}" "${native_opts[@]}" "-Xmx$heap" \
    "${COMMON[@]}" -Dquarkus.http.port="$port" "$@" \
    -jar "$ROOT/$service/target/quarkus-app/quarkus-run.jar" >> "$LOG_DIR/$service.log" 2>&1 &
  STARTED_PID=$!
  record_pid "$name" "$STARTED_PID"
}
start_service rtmp-gateway gateway "$GATEWAY_API_PORT" 256m -Dgateway.rtmp.host="$HOST" -Dgateway.rtmp.port="$RTMP_PORT" \
  -Dgateway.playback.host="$HOST" -Dgateway.playback.port="$PLAYBACK_PORT"
GATEWAY_PID=$STARTED_PID
start_service composition-service composition "$COMPOSITION_PORT" 256m -Dcomposition.shm-dir="$SHM_DIR" \
  -Dcomposition.gateway.playback-base-url="rtmp://$HOST:$RTMP_PORT/live" -Dcomposition.sources.allowed-hosts="$HOST"
COMPOSITION_PID=$STARTED_PID
start_service encoder-service encoder "$ENCODER_PORT" 256m -Dencoder.shm-dir="$SHM_DIR"
ENCODER_PID=$STARTED_PID
start_service muxer-service muxer "$MUXER_PORT" 256m -Dmuxer.shm-dir="$SHM_DIR" \
  -Dmuxer.gateway.publish-base-url="rtmp://$HOST:$RTMP_PORT/live"
MUXER_PID=$STARTED_PID
wait_for rtmp-gateway "http://$HOST:$GATEWAY_API_PORT/q/health/ready" 60 "$GATEWAY_PID"
wait_for composition-service "http://$HOST:$COMPOSITION_PORT/q/health/ready" 60 "$COMPOSITION_PID"
wait_for encoder-service "http://$HOST:$ENCODER_PORT/q/health/ready" 60 "$ENCODER_PID"
wait_for muxer-service "http://$HOST:$MUXER_PORT/q/health/ready" 60 "$MUXER_PID"
record_endpoint gateway.rtmp "rtmp://$HOST:$RTMP_PORT"
record_endpoint gateway.playback "http://$HOST:$PLAYBACK_PORT"
for entry in "gateway $GATEWAY_API_PORT" "composition $COMPOSITION_PORT" "encoder $ENCODER_PORT" "muxer $MUXER_PORT"; do
  set -- $entry
  record_endpoint "$1.api" "http://$HOST:$2"
  record_endpoint "$1.metrics" "http://$HOST:$2/q/metrics"
  record_endpoint "$1.openapi" "http://$HOST:$2/q/openapi"
done
log "services ready: gateway rtmp://$HOST:$RTMP_PORT playback http://$HOST:$PLAYBACK_PORT api http://$HOST:$GATEWAY_API_PORT, composition http://$HOST:$COMPOSITION_PORT, encoder :$ENCODER_PORT, muxer :$MUXER_PORT (all in $LOG_DIR/endpoints)"
if [ -f "$LOG_DIR/admin-token" ]; then
  log "admin API token generated into $LOG_DIR/admin-token (mode 0600; set SM_ADMIN_TOKEN to choose your own)"
fi
echo "Call the APIs:  curl -H \"Authorization: Bearer $TOKEN_HINT\" http://$HOST:$COMPOSITION_PORT/api/v1/streams"

# --- the demo stream ------------------------------------------------------------------------------------------------
if [ "$DEMO" = 1 ]; then
  body=$(sed "s/__NAME__/$DEMO_NAME/" "$ROOT/deploy/local/demo-stream.json")
  if ! answer=$(api_curl -fsS -X POST -H 'Content-Type: application/json' -d "$body" "http://$HOST:$COMPOSITION_PORT/api/v1/streams"); then
    log "could not create the demo stream"; exit 1
  fi
  log "demo stream created: $answer"
  # live means the muxer is publishing it on the gateway (it starts at a keyframe), not just that it was accepted
  live=0
  for _ in $(seq 1 150); do
    if api_curl -fsS "http://$HOST:$GATEWAY_API_PORT/api/v1/sessions" 2>/dev/null \
        | grep -q "\"stream\":\"$DEMO_NAME\",\"role\":\"publisher\""; then live=1; break; fi
    sleep 0.2
  done
  if [ "$live" != 1 ]; then
    log "the demo stream did not go live on the gateway within 30 s"
    tail -20 "$LOG_DIR/encoder-service.log" "$LOG_DIR/muxer-service.log" >&2
    exit 1
  fi
  echo "Watch it:  ffplay rtmp://$HOST:$RTMP_PORT/live/$DEMO_NAME   (or VLC, or mpv)"
  echo "In a browser (mpegts.js, type flv, isLive): http://$HOST:$PLAYBACK_PORT/live/$DEMO_NAME.flv or ws://$HOST:$PLAYBACK_PORT/live/$DEMO_NAME.flv"
  echo "Low-Latency HLS (hls.js lowLatencyMode, Safari, ffplay): http://$HOST:$PLAYBACK_PORT/hls/$DEMO_NAME/master.m3u8"
fi
echo "READY logs=$LOG_DIR"
log "running; Ctrl-C stops everything"

# --- supervision, as Kubernetes would: a service that dies is started again with a growing delay -------------------
# Redis holds the only shared state and starts without it, so a dead Redis ends the run. A service that keeps dying
# (more than SM_MAX_RESTARTS restarts) ends it too, loudly.
MAX_RESTARTS=${SM_MAX_RESTARTS:-5}
declare -A RESTARTS=()
while true; do
  # polled, not "wait -n": a child that dies while another one is being restarted must not be missed
  sleep 0.5
  for name in "${PID_ORDER[@]}"; do
    kill -0 "${PID_OF[$name]}" 2>/dev/null && continue
    wait "${PID_OF[$name]}" 2>/dev/null && code=0 || code=$?
    if [ "$name" = redis ]; then
      log "redis-server exited (code $code); stopping the stack"; exit 1
    fi
    RESTARTS[$name]=$(( ${RESTARTS[$name]:-0} + 1 ))
    if [ "${RESTARTS[$name]}" -gt "$MAX_RESTARTS" ]; then
      log "$name exited (code $code) after $MAX_RESTARTS restarts; stopping the stack (logs in $LOG_DIR)"
      exit 1
    fi
    delay=$(( 1 << (${RESTARTS[$name]} - 1) )); [ "$delay" -le 30 ] || delay=30
    log "$name exited (code $code); restart ${RESTARTS[$name]} of at most $MAX_RESTARTS in ${delay} s"
    sleep "$delay"
    eval "start_service ${START_ARGS[$name]}"
    echo "${RESTARTS[$name]}" > "$LOG_DIR/$name.restarts"
    log "$name started again as pid $STARTED_PID"
  done
done
