#!/usr/bin/env bash
# Builds (if needed) and runs the whole Stream Manager stack on this machine, then puts a live demo stream on the
# gateway. Runs in the foreground; Ctrl-C or SIGTERM stops every process it started and removes its shared memory.
#
# Settings (environment):
#   SM_HOST=127.0.0.1            address every service binds and publishes
#   SM_RTMP_PORT=1935            gateway RTMP        SM_GATEWAY_HTTP_PORT=8080  gateway HTTP (API, HTTP-FLV)
#   SM_COMPOSITION_PORT=8081     composition REST    SM_ENCODER_PORT=8082       SM_MUXER_PORT=8083
#   SM_REDIS_PORT=6379           Redis (started here; the system's redis-server, else embedded-redis's binary)
#   SM_SHM_DIR=/dev/shm/stream-manager   ring files     SM_DEMO=1   create the demo stream (0: stack only)
#   SM_DEMO_NAME=demo            SM_SKIP_BUILD=0     1: never build, use what is in */target
#   SM_LOG_DIR                   service logs (default: a new directory under ${TMPDIR:-/tmp})
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../build/lib.sh
. "$ROOT/build/lib.sh"

HOST=${SM_HOST:-127.0.0.1}
RTMP_PORT=${SM_RTMP_PORT:-1935}
GATEWAY_HTTP_PORT=${SM_GATEWAY_HTTP_PORT:-8080}
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

# --- build if needed --------------------------------------------------------------------------------------------
needs_build() {
  local service jar
  for service in "${SERVICES[@]}"; do
    jar="$ROOT/$service/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || return 0
    # any source or pom newer than the packaged app means a rebuild
    if [ -n "$(find "$ROOT/$service/src/main" "$ROOT/$service/pom.xml" "$ROOT/media-bus/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
      return 0
    fi
  done
  return 1
}
if [ "${SM_SKIP_BUILD:-0}" != 1 ] && needs_build; then
  log "building (build/mvn package -DskipTests), log: $LOG_DIR/build.log"
  if ! "$ROOT/build/mvn" -B -q -f "$ROOT/pom.xml" package -DskipTests -pl media-bus,rtmp-gateway,composition-service,encoder-service,muxer-service > "$LOG_DIR/build.log" 2>&1; then
    tail -40 "$LOG_DIR/build.log" >&2
    log "build failed"; exit 1
  fi
fi

# --- process bookkeeping: everything started here is stopped here, by PID -----------------------------------------
PIDS=()
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
  # services first, so they can say goodbye through Redis (events, session ends); Redis (the first PID) last
  if [ ${#PIDS[@]} -gt 1 ]; then stop_pids "${PIDS[@]:1}"; fi
  if [ ${#PIDS[@]} -gt 0 ]; then stop_pids "${PIDS[0]}"; fi
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
PIDS+=($!)
REDIS_PID=$!
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/$HOST/$REDIS_PORT") 2>/dev/null && break
  kill -0 "$REDIS_PID" 2>/dev/null || { log "redis-server exited"; cat "$LOG_DIR/redis.log" >&2; exit 1; }
  sleep 0.1
done
log "redis on $HOST:$REDIS_PORT"

# --- the four services --------------------------------------------------------------------------------------------
JVM_OPTS=(--enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=4 -Xss512k)
COMMON=(-Dquarkus.http.host="$HOST" -Dquarkus.redis.hosts="redis://$HOST:$REDIS_PORT" -Dquarkus.devservices.enabled=false)
STARTED_PID=
start_service() { # service http-port heap extra-props... ; sets STARTED_PID
  local service=$1 port=$2 heap=$3; shift 3
  "$JAVA" "${JVM_OPTS[@]}" "-Xmx$heap" "${COMMON[@]}" -Dquarkus.http.port="$port" "$@" \
    -jar "$ROOT/$service/target/quarkus-app/quarkus-run.jar" > "$LOG_DIR/$service.log" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
}
start_service rtmp-gateway "$GATEWAY_HTTP_PORT" 256m -Dgateway.rtmp.host="$HOST" -Dgateway.rtmp.port="$RTMP_PORT"
GATEWAY_PID=$STARTED_PID
start_service composition-service "$COMPOSITION_PORT" 256m -Dcomposition.shm-dir="$SHM_DIR" \
  -Dcomposition.gateway.playback-base-url="rtmp://$HOST:$RTMP_PORT/live"
COMPOSITION_PID=$STARTED_PID
start_service encoder-service "$ENCODER_PORT" 256m -Dencoder.shm-dir="$SHM_DIR"
ENCODER_PID=$STARTED_PID
start_service muxer-service "$MUXER_PORT" 256m -Dmuxer.shm-dir="$SHM_DIR" \
  -Dmuxer.gateway.publish-base-url="rtmp://$HOST:$RTMP_PORT/live"
MUXER_PID=$STARTED_PID
wait_for rtmp-gateway "http://$HOST:$GATEWAY_HTTP_PORT/q/health/ready" 60 "$GATEWAY_PID"
wait_for composition-service "http://$HOST:$COMPOSITION_PORT/q/health/ready" 60 "$COMPOSITION_PID"
wait_for encoder-service "http://$HOST:$ENCODER_PORT/q/health/ready" 60 "$ENCODER_PID"
wait_for muxer-service "http://$HOST:$MUXER_PORT/q/health/ready" 60 "$MUXER_PID"
log "services ready: gateway rtmp://$HOST:$RTMP_PORT http://$HOST:$GATEWAY_HTTP_PORT, composition http://$HOST:$COMPOSITION_PORT, encoder :$ENCODER_PORT, muxer :$MUXER_PORT"
echo "pids redis=$REDIS_PID gateway=$GATEWAY_PID composition=$COMPOSITION_PID encoder=$ENCODER_PID muxer=$MUXER_PID" > "$LOG_DIR/pids"

# --- the demo stream ------------------------------------------------------------------------------------------------
if [ "$DEMO" = 1 ]; then
  body=$(sed "s/__NAME__/$DEMO_NAME/" "$ROOT/deploy/local/demo-stream.json")
  if ! answer=$(curl -fsS -X POST -H 'Content-Type: application/json' -d "$body" "http://$HOST:$COMPOSITION_PORT/api/v1/streams"); then
    log "could not create the demo stream"; exit 1
  fi
  log "demo stream created: $answer"
  # live means the muxer is publishing it on the gateway (it starts at a keyframe), not just that it was accepted
  live=0
  for _ in $(seq 1 150); do
    if curl -fsS "http://$HOST:$GATEWAY_HTTP_PORT/api/v1/sessions" 2>/dev/null \
        | grep -q "\"stream\":\"$DEMO_NAME\",\"role\":\"publisher\""; then live=1; break; fi
    sleep 0.2
  done
  if [ "$live" != 1 ]; then
    log "the demo stream did not go live on the gateway within 30 s"
    tail -20 "$LOG_DIR/encoder-service.log" "$LOG_DIR/muxer-service.log" >&2
    exit 1
  fi
  echo "Watch it:  ffplay rtmp://$HOST:$RTMP_PORT/live/$DEMO_NAME   (or VLC, or mpv)"
  echo "In a browser (mpegts.js, type flv, isLive): http://$HOST:$GATEWAY_HTTP_PORT/live/$DEMO_NAME.flv or ws://$HOST:$GATEWAY_HTTP_PORT/live/$DEMO_NAME.flv"
fi
echo "READY logs=$LOG_DIR"
log "running; Ctrl-C stops everything"
# Returns when any process we started ends: a dead part of the stack stops the whole local run, loudly.
wait -n "${PIDS[@]}" || true
log "a process of the stack exited; stopping the rest"
exit 1
