#!/usr/bin/env bash
# Runs the Kubernetes manifests for real on this machine with `podman kube play`: the kustomize overlay (k8s/, which
# HelmChartTest keeps equal to the Helm chart) rendered with `kubectl kustomize` and the images build/images.sh made.
# Redis, the gateway and the three pipeline services run as their own pods with the manifests' environment, probes,
# ports, security contexts and ring volume. Then it creates the demo stream through the composition API with the
# admin token, prints `READY <rtmp url of the demo>`, and stays in the foreground. SIGTERM or Ctrl-C takes it all
# down (`podman kube down`) and leaves no container, pod, volume, network or secret, and nothing in the ring directory.
#
# What podman does not do as a cluster would, and what stands in for it here (added to the rendering, nothing else
# changes): Services -> each pod gets a fixed address on a network of its own and every pod an /etc/hosts entry
# (hostAliases) for each Service name; the gateway's RTMP, playback and API ports and the composition's API are
# published on $SM_HOST only; the node's ring directory (hostPath) is a fresh directory (and the pipeline pods'
# restart policy OnFailure, see rings.yaml below); the admin-token Secret
# is a podman secret made from the token.
#
# Settings (environment):
#   SM_HOST=127.0.0.1           where the published ports listen
#   SM_RTMP_PORT, SM_GATEWAY_PLAYBACK_PORT, SM_GATEWAY_API_PORT, SM_COMPOSITION_PORT
#                               host ports (default: free ones, picked at start)
#   SM_PLAY_OVERLAY=k8s/overlays/cpu    the overlay to run
#   SM_IMAGE_PREFIX=stream-manager  SM_IMAGE_TAG=<version>-<git short commit>   the images (build/images.sh)
#   SM_PLAY_BUILD=auto          auto: run build/images.sh when an image is missing; always; never
#   SM_PLAY_SUBNET              the pods' network, a /24 (default: a free 10.89.N.0/24)
#   SM_PLAY_SHM_DIR             the node's ring directory (default: a new /dev/shm/sm-play.XXXXXX, removed at the end)
#   SM_PLAY_DIR                 work directory: rendered manifests, containers.conf, admin-token (0600), endpoints,
#                               pod logs (default: a new directory under ${TMPDIR:-/tmp}, removed at the end unless
#                               SM_PLAY_KEEP=1)
#   SM_ADMIN_TOKEN              admin API token (default: generated into $SM_PLAY_DIR/admin-token, never printed)
#   SM_DEMO_NAME=demo           SM_READY_TIMEOUT=180 (seconds for the pods to be ready and the demo to go live)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=../../build/lib.sh
. "$ROOT/build/lib.sh"

log() { printf '[play] %s\n' "$*" >&2; }
START=$SECONDS
# podman, runc and catatonit come with build/images.sh (below, when an image is missing); kubectl has no package
command -v kubectl >/dev/null 2>&1 || { log "kubectl (with its kustomize) is needed to render the overlay"; exit 1; }
[ "$(id -u)" -eq 0 ] || { log "run as root: podman kube play with hostPath volumes and the vfs store need it here"; exit 1; }


HOST=${SM_HOST:-127.0.0.1}
OVERLAY=$(cd "$ROOT/${SM_PLAY_OVERLAY:-k8s/overlays/cpu}" && pwd)
PREFIX=${SM_IMAGE_PREFIX:-stream-manager}
TAG=${SM_IMAGE_TAG:-$(image_tag "$ROOT")}
DEMO_NAME=${SM_DEMO_NAME:-demo}
READY_TIMEOUT=${SM_READY_TIMEOUT:-180}
if [ -n "${SM_PLAY_DIR:-}" ]; then WORK=$SM_PLAY_DIR; mkdir -p "$WORK"; WORK_CREATED=0
else WORK=$(mktemp -d "${TMPDIR:-/tmp}/sm-play.XXXXXX"); WORK_CREATED=1; fi
WORK=$(cd "$WORK" && pwd)

# podman as it works on these hosts: runc (crun fails on cgroup v1), no default ulimits and cgroupfs (setrlimit
# and systemd cgroups fail otherwise), the vfs store build/images.sh fills
cat > "$WORK/containers.conf" <<'EOF'
[containers]
default_ulimits = []
[engine]
cgroup_manager = "cgroupfs"
EOF
export CONTAINERS_CONF="$WORK/containers.conf"
PODMAN=(podman --storage-driver vfs --runtime runc)
# --- images -------------------------------------------------------------------------------------------------------
IMAGES=(redis rtmp-gateway composition-service encoder-service muxer-service)
missing_images() {
  local image
  for image in "${IMAGES[@]}"; do
    "${PODMAN[@]}" image exists "localhost/$PREFIX/$image:$TAG" || echo "$image"
  done
}
case "${SM_PLAY_BUILD:-auto}" in
  always) SM_IMAGE_PREFIX=$PREFIX SM_IMAGE_TAG=$TAG "$ROOT/build/images.sh" >&2 ;;
  auto) if [ -n "$(missing_images 2>/dev/null || echo all)" ]; then
          log "building images (build/images.sh)"; SM_IMAGE_PREFIX=$PREFIX SM_IMAGE_TAG=$TAG "$ROOT/build/images.sh" >&2; fi ;;
  never) ;;
  *) log "SM_PLAY_BUILD must be auto, always or never"; exit 2 ;;
esac
if [ -n "$(missing_images)" ]; then log "images missing: $(missing_images | tr '\n' ' ')(tag $TAG)"; exit 1; fi

# --- ports, network, ring directory ---------------------------------------------------------------------------------
port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
PICKED=" "
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    case "$PICKED" in *" $port "*) continue ;; esac
    if ! port_in_use "$port" && ! ss -Hltn "sport = :$port" 2>/dev/null | grep -q .; then PICKED+="$port "; echo "$port"; return; fi
  done
  log "no free port found"; return 1
}
RTMP_PORT=${SM_RTMP_PORT:-$(free_port)}
PLAYBACK_PORT=${SM_GATEWAY_PLAYBACK_PORT:-$(free_port)}
API_PORT=${SM_GATEWAY_API_PORT:-$(free_port)}
COMPOSITION_PORT=${SM_COMPOSITION_PORT:-$(free_port)}

free_subnet() {
  local n used
  used=$("${PODMAN[@]}" network ls --format '{{range .Subnets}}{{.Subnet}} {{end}}' 2>/dev/null; ip -4 route 2>/dev/null | awk '{print $1}')
  for _ in $(seq 1 100); do
    n=$((100 + RANDOM % 150))
    if ! grep -q "10\.89\.$n\." <<<"$used"; then echo "10.89.$n.0/24"; return; fi
  done
  log "no free 10.89.N.0/24 subnet"; return 1
}
SUBNET=${SM_PLAY_SUBNET:-$(free_subnet)}
NET_PREFIX=${SUBNET%.*}
NETWORK="sm-play-$$"
SHM_DIR=${SM_PLAY_SHM_DIR:-$(mktemp -d /dev/shm/sm-play.XXXXXX)}

# --- the admin token ---------------------------------------------------------------------------------------------------
if [ -n "${SM_ADMIN_TOKEN:-}" ]; then ADMIN_TOKEN=$SM_ADMIN_TOKEN
else ADMIN_TOKEN="smt_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; fi
(umask 077 && printf '%s' "$ADMIN_TOKEN" > "$WORK/admin-token")
api_curl() { printf 'header = "Authorization: Bearer %s"\n' "$ADMIN_TOKEN" | curl -K - "$@"; }

# --- teardown: everything made here goes, whatever happened -----------------------------------------------------------
PLAYED=0
cleanup() {
  trap - EXIT INT TERM
  # the teardown runs to its end even if whoever started us stopped reading our output (SIGPIPE) or a step fails
  trap '' PIPE
  set +e
  if [ "$PLAYED" = 1 ]; then
    log "taking it down (podman kube down)"
    for pod in $("${PODMAN[@]}" pod ls --filter "network=$NETWORK" --format '{{.Name}}' 2>/dev/null); do
      for ctr in $("${PODMAN[@]}" ps -a --filter "pod=$pod" --format '{{.Names}}' 2>/dev/null | grep -v -- '-infra$'); do
        "${PODMAN[@]}" logs "$ctr" > "$WORK/$ctr.log" 2>&1 || true
      done
    done
    "${PODMAN[@]}" kube down "$WORK/play.yaml" >/dev/null 2>&1 || log "podman kube down failed"
  fi
  # what kube down leaves on this podman version: the rendered Secret, and (if a pod failed to start) its pieces
  "${PODMAN[@]}" secret rm stream-manager-admin-token >/dev/null 2>&1 || true
  "${PODMAN[@]}" network rm -f "$NETWORK" >/dev/null 2>&1 || true
  if [ -z "${SM_PLAY_SHM_DIR:-}" ]; then rm -rf "$SHM_DIR"; else find "$SHM_DIR" -mindepth 1 -delete 2>/dev/null || true; fi
  if [ "$WORK_CREATED" = 1 ] && [ "${SM_PLAY_KEEP:-0}" != 1 ]; then rm -rf "$WORK"; else rm -f "$WORK/admin-token" "$WORK/play.yaml" "$WORK/kustomize/"*; fi
  log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the rendering: the overlay, plus what stands in for a cluster ----------------------------------------------------
K="$WORK/kustomize"
mkdir -p "$K"
render() { kubectl kustomize --load-restrictor LoadRestrictionsNone "$K"; }
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources: [$(realpath --relative-to="$K" "$OVERLAY")]"
  echo "images:"
  for image in "${IMAGES[@]}"; do
    name="$PREFIX/$image"; [ "$image" = redis ] && name=redis
    echo "  - {name: $name, newName: localhost/$PREFIX/$image, newTag: \"$TAG\"}"
  done
} > "$K/kustomization.yaml"
# one field of the rendered objects: names <kind>, or value <ConfigMap> <key>
names() { render | awk -v want="$1" 'function flush() { if (kind == want) print name; kind = name = "" }
  /^---/ { flush(); next } /^kind: / { kind = $2 } /^  name: / { name = $2 } END { flush() }'; }
value() { render | awk -v cm="$1" -v key="$2" 'function flush() { if (kind == "ConfigMap" && name == cm) print val; kind = name = val = "" }
  /^---/ { flush(); next } /^kind: / { kind = $2 } /^  name: / { name = $2 } $1 == key ":" { val = $2; gsub(/"/, "", val) }
  END { flush() }'; }
DEPLOYMENTS=($(names Deployment))
SERVICES=($(names Service))
declare -A IP_OF=()
IPS=()
i=10
for deployment in "${DEPLOYMENTS[@]}"; do IP_OF[$deployment]="$NET_PREFIX.$i"; IPS+=(--ip "$NET_PREFIX.$i"); i=$((i + 1)); done
{
  echo "apiVersion: apps/v1"
  echo "kind: Deployment"
  echo "metadata: {name: any}"
  echo "spec:"
  echo "  template:"
  echo "    spec:"
  echo "      hostAliases:"
  for deployment in "${DEPLOYMENTS[@]}"; do
    names=()
    # a Service is named after the Deployment it selects (rtmp-gateway-playback selects rtmp-gateway)
    for service in "${SERVICES[@]}"; do
      case "$service" in "$deployment"|"$deployment"-*) names+=("$service") ;; esac
    done
    [ ${#names[@]} -eq 0 ] || echo "        - {ip: ${IP_OF[$deployment]}, hostnames: [$(IFS=,; echo "${names[*]}")]}"
  done
} > "$K/services.yaml"
# podman 4.3 applies the pod's restart policy to init containers too: with Always it restarts the finished
# ring-directory init container and then fails to remove it. OnFailure still restarts a service that crashes.
cat > "$K/rings.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: any}
spec:
  template:
    spec:
      restartPolicy: OnFailure
      volumes:
        - {name: rings, hostPath: {path: $SHM_DIR, type: DirectoryOrCreate}}
EOF
cat > "$K/gateway-ports.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: rtmp-gateway}
spec:
  template:
    spec:
      containers:
        - name: rtmp-gateway
          ports:
            - {name: rtmp, containerPort: $(value rtmp-gateway-config GATEWAY_RTMP_PORT), hostIP: $HOST, hostPort: $RTMP_PORT}
            - {name: playback, containerPort: $(value rtmp-gateway-config GATEWAY_PLAYBACK_PORT), hostIP: $HOST, hostPort: $PLAYBACK_PORT}
            - {name: http, containerPort: $(value rtmp-gateway-config QUARKUS_HTTP_PORT), hostIP: $HOST, hostPort: $API_PORT}
EOF
cat > "$K/composition-ports.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: composition-service}
spec:
  template:
    spec:
      containers:
        - name: composition-service
          ports:
            - {name: http, containerPort: $(value composition-service-config QUARKUS_HTTP_PORT), hostIP: $HOST, hostPort: $COMPOSITION_PORT}
EOF
cat >> "$K/kustomization.yaml" <<'EOF'
patches:
  - {path: services.yaml, target: {kind: Deployment}}
  - {path: rings.yaml, target: {kind: Deployment, labelSelector: app.kubernetes.io/component=pipeline}}
  - {path: gateway-ports.yaml}
  - {path: composition-ports.yaml}
EOF
(umask 077 && render > "$WORK/play.yaml")
log "rendered $(realpath --relative-to="$ROOT" "$OVERLAY") with images $PREFIX/*:$TAG into $WORK/play.yaml"

# --- play ------------------------------------------------------------------------------------------------------------
"${PODMAN[@]}" network create --subnet "$SUBNET" "$NETWORK" >/dev/null
PLAYED=1
# the Secret the manifests reference: podman 4.3 reads a secretKeyRef from a podman secret holding the Secret's
# data map as JSON (key -> base64 value)
(umask 077 && printf '{"admin-token": "%s"}' \
  "$(printf '%s' "$ADMIN_TOKEN" | base64 -w0)" > "$WORK/admin-token-secret.json")
"${PODMAN[@]}" secret create stream-manager-admin-token "$WORK/admin-token-secret.json" >/dev/null
rm -f "$WORK/admin-token-secret.json"
if ! "${PODMAN[@]}" kube play --network "$NETWORK" "${IPS[@]}" "$WORK/play.yaml" > "$WORK/kube-play.log" 2>&1; then
  cat "$WORK/kube-play.log" >&2; log "podman kube play failed"; exit 1
fi
{
  echo "gateway.rtmp=rtmp://$HOST:$RTMP_PORT"
  echo "gateway.playback=http://$HOST:$PLAYBACK_PORT"
  echo "gateway.api=http://$HOST:$API_PORT"
  echo "composition.api=http://$HOST:$COMPOSITION_PORT"
  for deployment in "${DEPLOYMENTS[@]}"; do echo "pod.$deployment=${IP_OF[$deployment]}"; done
} > "$WORK/endpoints"

deadline=$((SECONDS + READY_TIMEOUT))
wait_ready() { # name url
  until curl -fsS -o /dev/null "$2" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      log "$1 not ready after $READY_TIMEOUT s ($2)"
      "${PODMAN[@]}" ps -a --filter "network=$NETWORK" --format '{{.Names}} {{.Status}}' >&2 || true
      for ctr in $("${PODMAN[@]}" ps -a --format '{{.Names}}' | grep -- "-$1\$" || true); do "${PODMAN[@]}" logs --tail 30 "$ctr" >&2 || true; done
      exit 1
    fi
    sleep 0.5
  done
}
wait_ready rtmp-gateway "http://$HOST:$API_PORT/q/health/ready"
wait_ready composition-service "http://$HOST:$COMPOSITION_PORT/q/health/ready"
for deployment in encoder-service muxer-service; do
  wait_ready "$deployment" "http://${IP_OF[$deployment]}:$(value "$deployment-config" QUARKUS_HTTP_PORT)/q/health/ready"
done
log "pods ready after $((SECONDS - START)) s"

# --- the demo stream -----------------------------------------------------------------------------------------------------
body=$(sed "s/__NAME__/$DEMO_NAME/" "$ROOT/deploy/local/demo-stream.json")
if ! answer=$(api_curl -fsS -X POST -H 'Content-Type: application/json' -d "$body" "http://$HOST:$COMPOSITION_PORT/api/v1/streams"); then
  log "could not create the demo stream"; exit 1
fi
log "demo stream created: $answer"
# live = the muxer publishes it on the gateway (from a keyframe), not just that the API accepted it
demo_live() { local sessions; sessions=$(api_curl -fsS "http://$HOST:$API_PORT/api/v1/sessions" 2>/dev/null) || return 1
  grep -q "\"stream\":\"$DEMO_NAME\",\"role\":\"publisher\"" <<<"$sessions"; }
until demo_live; do
  if [ $SECONDS -ge $deadline ]; then
    log "the demo stream did not go live on the gateway"
    for ctr in $("${PODMAN[@]}" ps -a --format '{{.Names}}' | grep -E -- '-(encoder|muxer)-service$' || true); do "${PODMAN[@]}" logs --tail 30 "$ctr" >&2 || true; done
    exit 1
  fi
  sleep 0.5
done
log "demo live after $((SECONDS - START)) s; endpoints in $WORK/endpoints; Ctrl-C takes everything down"
echo "READY rtmp://$HOST:$RTMP_PORT/live/$DEMO_NAME"

# --- stay up while the pods run ------------------------------------------------------------------------------------------
while true; do
  sleep 2
  running=$("${PODMAN[@]}" pod ls --filter "network=$NETWORK" --filter status=running --format '{{.Name}}' 2>/dev/null | wc -l)
  if [ "$running" -lt "${#DEPLOYMENTS[@]}" ]; then
    log "a pod stopped:"; "${PODMAN[@]}" pod ls --filter "network=$NETWORK" >&2; exit 1
  fi
done
