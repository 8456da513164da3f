#!/usr/bin/env bash
# Side-by-side RTMP fan-out benchmark (issue 3): one 2.5 Mbit/s 720p30 H.264+AAC stream published to, and played by N
# players from, each of three servers in turn: our rtmp-gateway, nginx with Debian's libnginx-mod-rtmp, and
# Node-Media-Server 4 from npm. Each server runs alone, pinned to CPU 1; the load client (publisher and players, one
# Java process) runs on CPU 0. Prints one Markdown table per N and writes it to target/bench/fanout-<timestamp>.md.
#
# Usage: bench/fanout.sh [N...]            (default: 50 200 500)
# Environment: BENCH_WARMUP=10 BENCH_WINDOW=20 (seconds), BENCH_SERVERS="stream-manager nginx-rtmp node-media-server",
#              BENCH_JOIN_BATCH=50 BENCH_JOIN_INTERVAL_MS=100 (players join in batches of this many, this far apart),
#              BENCH_WARM_JOIN=1 (N players join and leave once before the measured join: servers measured warm),
#              BENCH_SKIP_BUILD=1 (use the packaged gateway and compiled test classes as they are),
#              BENCH_GATEWAY_JVM_OPTS="..." (extra JVM options for our gateway, e.g. JFR, when profiling it)
# See bench/README.md for what each figure means.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../build/lib.sh
. "$ROOT/build/lib.sh"
JAVA_HOME=$(find_jdk25)
JAVA="$JAVA_HOME/bin/java"
PLAYER_COUNTS=("$@")
[ ${#PLAYER_COUNTS[@]} -gt 0 ] || PLAYER_COUNTS=(50 200 500)
WARMUP=${BENCH_WARMUP:-10}
WINDOW=${BENCH_WINDOW:-20}
JOIN_BATCH=${BENCH_JOIN_BATCH:-50}
JOIN_INTERVAL_MS=${BENCH_JOIN_INTERVAL_MS:-100}
WARM_JOIN=${BENCH_WARM_JOIN:-0}
read -r -a SERVERS <<< "${BENCH_SERVERS:-stream-manager nginx-rtmp node-media-server}"
CACHE="${STREAM_MANAGER_CACHE:-$HOME/.cache/stream-manager}"
NPM_DIR="$CACHE/bench-npm"
SOURCE_FLV="$CACHE/bench/fanout-720p30-2500k-30s.flv"
SERVER_CPU=1
CLIENT_CPU=0

log() { printf '[fanout] %s\n' "$*" >&2; }

# --- tools --------------------------------------------------------------------------------------------------------
for tool in taskset redis-server node npm curl python3; do
  command -v "$tool" >/dev/null 2>&1 || { log "missing $tool"; exit 1; }
done
NGINX_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so
if ! command -v nginx >/dev/null 2>&1 || [ ! -f "$NGINX_MODULE" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing nginx and libnginx-mod-rtmp"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx libnginx-mod-rtmp >/dev/null
  else
    log "nginx-rtmp is an anchor: apt-get install nginx libnginx-mod-rtmp"; exit 1
  fi
fi
if [ "$(nproc)" -lt 2 ]; then log "needs two CPUs (server on CPU $SERVER_CPU, client on CPU $CLIENT_CPU)"; exit 1; fi
if [ ! -f "$NPM_DIR/node_modules/node-media-server/package.json" ]; then
  log "installing node-media-server 4 into $NPM_DIR"
  mkdir -p "$NPM_DIR"
  (cd "$NPM_DIR" && npm install --no-save --no-package-lock --no-audit --no-fund node-media-server@4 >/dev/null)
fi
NMS_VERSION=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$NPM_DIR/node_modules/node-media-server/package.json" | head -1)

# --- build --------------------------------------------------------------------------------------------------------
cd "$ROOT"
GATEWAY_JAR="$ROOT/rtmp-gateway/target/quarkus-app/quarkus-run.jar"
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  log "packaging rtmp-gateway and compiling system-tests"
  build/mvn -B -o -q -pl rtmp-gateway package -DskipTests
  build/mvn -B -o -q -pl system-tests test-compile
fi
[ -f "$GATEWAY_JAR" ] || { log "no $GATEWAY_JAR: run without BENCH_SKIP_BUILD"; exit 1; }

# --- bookkeeping: every process started here is stopped here, by PID ------------------------------------------------
mkdir -p "$ROOT/target/bench"
WORK=$(mktemp -d "$ROOT/target/bench/run.XXXXXX")
REDIS_PID=
SERVER_PID=
stop_pid() { # pid: SIGTERM, up to 10 s, then SIGKILL
  local pid=$1
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SERVER_PID"
  stop_pid "$REDIS_PID"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { # the kernel's choice of a free port on 127.0.0.1
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_port() { # name port pid seconds
  local deadline=$((SECONDS + $4))
  until (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { log "$1 exited:"; tail -20 "$WORK/$1.log" >&2 || true; exit 1; }
    [ $SECONDS -lt "$deadline" ] || { log "$1 not listening on $2 after $4 s"; tail -20 "$WORK/$1.log" >&2; exit 1; }
    sleep 0.1
  done
}

cp_file="$WORK/classpath"
build/mvn -B -o -q -pl system-tests dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
CLIENT=(taskset -c "$CLIENT_CPU" "$JAVA" -XX:+UseSerialGC -Xms256m -Xmx1g --enable-native-access=ALL-UNNAMED
  -cp "$ROOT/system-tests/target/test-classes:$(cat "$cp_file")" io.streammanager.system.bench.FanoutBench)

if [ ! -f "$SOURCE_FLV" ]; then
  log "encoding the 30 s 720p30 source once: $SOURCE_FLV"
  "${CLIENT[@]}" encode "$SOURCE_FLV" 30
fi

RESULTS="$WORK/results.tsv"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
MARKDOWN="$ROOT/target/bench/fanout-$STAMP.md"

# --- the servers ----------------------------------------------------------------------------------------------------
start_redis() {
  local port; port=$(free_port)
  mkdir -p "$WORK/redis"
  taskset -c "$CLIENT_CPU" redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
    --dir "$WORK/redis" --daemonize no > "$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  REDIS_PORT=$port
  wait_port redis "$port" "$REDIS_PID" 20
}

# Each start_* sets SERVER_PID, SERVER_PORT and PUBLISH_SUFFIX.
start_stream_manager() {
  [ -n "$REDIS_PID" ] || start_redis
  local http playback token; http=$(free_port); playback=$(free_port)
  # an admin API token for this run only, handed over by environment and curl's stdin, never a command line
  token="smt_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  SERVER_PORT=$(free_port)
  mkdir -p "$WORK/tmp" # the JVM's temporary files (Vert.x's cache) go with the work directory, not into /tmp
  # the JVM options are deploy/local/run.sh's, so the figures are those of the gateway as we run it
  SM_ADMIN_TOKEN=$token taskset -c "$SERVER_CPU" "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=4 \
    -Xss512k -Xmx256m ${BENCH_GATEWAY_JVM_OPTS:-} -Djava.io.tmpdir="$WORK/tmp" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$http" \
    -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" -Dquarkus.devservices.enabled=false \
    -Dgateway.rtmp.host=127.0.0.1 -Dgateway.rtmp.port="$SERVER_PORT" -Dgateway.limits.max-connections=2000 \
    -Dgateway.playback.host=127.0.0.1 -Dgateway.playback.port="$playback" \
    -jar "$GATEWAY_JAR" > "$WORK/stream-manager.log" 2>&1 &
  SERVER_PID=$!
  local deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$http/q/health/ready" 2>/dev/null; do
    kill -0 "$SERVER_PID" 2>/dev/null || { log "gateway exited:"; tail -30 "$WORK/stream-manager.log" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { log "gateway not ready in 60 s"; tail -30 "$WORK/stream-manager.log" >&2; exit 1; }
    sleep 0.2
  done
  local answer secret
  answer=$(printf 'header = "Authorization: Bearer %s"\n' "$token" | curl -K - -fsS -X POST -H 'Content-Type: application/json' \
    -d '{"streamName":"bench","scopes":["publish"]}' "http://127.0.0.1:$http/api/v1/keys")
  secret=$(printf '%s' "$answer" | sed -n 's/.*"secret" *: *"\([^"]*\)".*/\1/p')
  [ -n "$secret" ] || { log "the gateway issued no publish key"; exit 1; }
  PUBLISH_SUFFIX="?key=$secret"
}

start_nginx_rtmp() {
  SERVER_PORT=$(free_port)
  local dir="$WORK/nginx"
  mkdir -p "$dir/logs"
  cat > "$dir/nginx.conf" <<EOF
load_module $NGINX_MODULE;
daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
rtmp {
  server {
    listen 127.0.0.1:$SERVER_PORT;
    chunk_size 4096;
    application live { live on; }
  }
}
EOF
  taskset -c "$SERVER_CPU" nginx -p "$dir" -e "$dir/logs/error.log" -c "$dir/nginx.conf" > "$WORK/nginx-rtmp.log" 2>&1 &
  SERVER_PID=$!
  PUBLISH_SUFFIX=
  wait_port nginx-rtmp "$SERVER_PORT" "$SERVER_PID" 20
}

start_node_media_server() {
  SERVER_PORT=$(free_port)
  mkdir -p "$WORK/nms"
  NODE_PATH="$NPM_DIR/node_modules" taskset -c "$SERVER_CPU" node "$ROOT/bench/nms-launcher.js" "$SERVER_PORT" \
    "$WORK/nms" > "$WORK/node-media-server.log" 2>&1 &
  SERVER_PID=$!
  PUBLISH_SUFFIX=
  wait_port node-media-server "$SERVER_PORT" "$SERVER_PID" 30
}

label_of() {
  case "$1" in
    stream-manager) echo "stream-manager" ;;
    nginx-rtmp) echo "nginx-rtmp $(nginx -v 2>&1 | sed 's|.*nginx/||') + mod-rtmp $(dpkg-query -W -f='${Version}' libnginx-mod-rtmp 2>/dev/null || echo '?')" ;;
    node-media-server) echo "node-media-server $NMS_VERSION" ;;
  esac
}

log "players: ${PLAYER_COUNTS[*]}; servers: ${SERVERS[*]}; warmup ${WARMUP} s, window ${WINDOW} s; work dir $WORK"
for server in "${SERVERS[@]}"; do
  for n in "${PLAYER_COUNTS[@]}"; do
    case "$server" in
      stream-manager) start_stream_manager ;;
      nginx-rtmp) start_nginx_rtmp ;;
      node-media-server) start_node_media_server ;;
      *) log "unknown server $server"; exit 1 ;;
    esac
    log "$server (pid $SERVER_PID, port $SERVER_PORT): $n players"
    if ! BENCH_PUBLISH_SUFFIX="$PUBLISH_SUFFIX" timeout 300 "${CLIENT[@]}" run label="$(label_of "$server")" \
        port="$SERVER_PORT" pid="$SERVER_PID" players="$n" flv="$SOURCE_FLV" results="$RESULTS" \
        warmup="$WARMUP" window="$WINDOW" join-batch="$JOIN_BATCH" join-interval-ms="$JOIN_INTERVAL_MS" \
        warm-join="$WARM_JOIN"; then
      log "$server with $n players failed; last lines of its log:"
      tail -20 "$WORK/$server.log" >&2 || true
      [ "$server" != nginx-rtmp ] || tail -20 "$WORK/nginx/logs/error.log" >&2 || true
    fi
    stop_pid "$SERVER_PID"
    SERVER_PID=
  done
done

"${CLIENT[@]}" report "$RESULTS" "$MARKDOWN"
