#!/usr/bin/env bash
# Builds one OCI image per service (and one for Redis) with no registry and no Docker engine: a root file system
# made of Debian packages (only the libraries the services load), a Java 25 runtime made with jlink from this
# machine's JDK, and the packaged Quarkus app. The images land in the local containers store (buildah and podman
# with the vfs storage driver) as <prefix>/<service>:<project version>-<git short commit>.
#
# Usage: build/images.sh [--save DIR] [--skip-package]
#   --save DIR       also write each image as an OCI archive DIR/<service>-<tag>.oci.tar
#   --skip-package   use the apps already in */target/quarkus-app (default: build/mvn package -DskipTests first)
# Settings (environment):
#   SM_IMAGE_PREFIX=stream-manager      image names <prefix>/<service>
#   SM_IMAGE_CACHE=~/.cache/stream-manager/images   Debian packages, the base root file systems and the jlinked
#                                       runtime, built once and reused while the package versions, the JDK and
#                                       this recipe stay the same (a warm build only adds the apps)
#   SM_IMAGES="rtmp-gateway composition-service encoder-service muxer-service redis"   which images to build
#   SM_IMAGE_TAG=<project version>-<git short commit>   the tag
#   SM_IMAGE_PRUNE=0            1: remove the other tags of the images built (each tag is a full copy in the vfs
#                               store, about 0.9 GB for the five; PodmanPlayIT sets it)
# Needs root (apt-get for the tools, root-owned image files); installs buildah, podman, runc and catatonit when
# missing. The Debian packages come through apt, from whatever sources this machine's apt already uses.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$ROOT/build/lib.sh"

SAVE_DIR=
PACKAGE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --save) SAVE_DIR=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    --skip-package) PACKAGE=0; shift ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "images.sh: unknown argument $1 (try --help)" >&2; exit 2 ;;
  esac
done

PREFIX=${SM_IMAGE_PREFIX:-stream-manager}
CACHE=${SM_IMAGE_CACHE:-${STREAM_MANAGER_CACHE:-$HOME/.cache/stream-manager}/images}
IMAGES=${SM_IMAGES:-rtmp-gateway composition-service encoder-service muxer-service redis}
TAG=${SM_IMAGE_TAG:-$(image_tag "$ROOT")}
APP_UID=10001   # the pods' runAsUser (deploy/helm, k8s)
REDIS_UID=999   # the Redis pod's runAsUser, as in the official Redis image
# Bump when the way a root file system or runtime is assembled changes: it is part of every cache key.
RECIPE=4
# The JVM flags of deploy/local/run.sh, plus: JavaCPP loads FFmpeg's natives, unpacked at build time, from
# /opt/javacpp/lib before it looks into its jars (pathsFirst); otherwise it would unpack 85 MB into a writable cache
# on every start (it skips a read-only cache directory altogether). Headless AWT (the composition draws text with
# Java2D); no perf-data file in /tmp (an emptyDir that podman shares between pods). Heap size comes from the pod
# (JDK_JAVA_OPTIONS -XX:MaxRAMPercentage).
JVM_FLAGS='"--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=4", "-Xss512k", "-XX:-UsePerfData", "-Djava.awt.headless=true", "-Dorg.bytedeco.javacpp.pathsFirst=true", "-Djava.library.path=/opt/javacpp/lib"'
# Java modules the services use, measured: each service started from this runtime and served a live stream
# (deploy/podman/play.sh); jdeps cannot read the Quarkus app's mix of modular and plain jars.
JAVA_MODULES=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.unsupported,jdk.management,jdk.zipfs,java.security.jgss,jdk.naming.dns,java.instrument,java.transaction.xa,jdk.crypto.cryptoki
# Debian packages per root file system. Java: the C and C++ runtimes (FFmpeg's natives in the app's jars need
# libstdc++, libgcc_s and libudev), CA certificates, and fontconfig with one font family for the composition's text.
JAVA_PACKAGES=(libc6 libgcc-s1 libstdc++6 libudev1 zlib1g ca-certificates libfontconfig1 fonts-dejavu-core)
REDIS_PACKAGES=(redis-server redis-tools)
# What apt would also pull in but nothing here runs: package management, shells and their libraries, maintainer
# script helpers. Leaving them out is what keeps shell tools out of the images.
NOT_INSTALLED=" adduser debconf dpkg tar perl perl-base perl-modules-5.36 libperl5.36 usrmerge init-system-helpers
  sysvinit-utils passwd lsb-base openssl libpam0g libpam-modules libpam-modules-bin libsemanage2 libsemanage-common
  libsepol2 libaudit1 libaudit-common libcap-ng0 libnumber-compare-perl libtext-glob-perl libfile-find-rule-perl
  libdb5.3 libgdbm6 libgdbm-compat4 libacl1 libcrypt1 libmd0 libbz2-1.0 libpcre2-8-0 libselinux1 "

log() { printf '[images] %s\n' "$*" >&2; }
START=$SECONDS

# --- tools ------------------------------------------------------------------------------------------------------
if [ "$(id -u)" -ne 0 ]; then
  echo "images.sh: run as root (it installs packages and assembles root-owned file systems)" >&2; exit 1
fi
missing=()
for tool in buildah podman runc catatonit; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/libexec/podman/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
fi
BUILDAH=(buildah --storage-driver vfs)
JAVA_HOME=$(find_jdk25)
mkdir -p "$CACHE/debs"
WORK=$(mktemp -d "$CACHE/work.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# --- Debian root file systems, cached by the exact package versions -----------------------------------------------
resolve_packages() { # packages... -> "name=version" lines apt would install on an empty system, less NOT_INSTALLED
  apt-get -s -o Dir::State::status=/dev/null install --no-install-recommends "$@" 2>/dev/null \
    | awk '/^Inst /{ gsub(/[()]/, "", $3); print $2 "=" $3 }' \
    | while IFS== read -r name version; do
        case " $(echo $NOT_INSTALLED) " in *" $name "*) ;; *) echo "$name=$version" ;; esac
      done | sort
}

rootfs() { # name user-name uid packages... -> prints the path of a cached tar of that root file system
  local name=$1 user=$2 uid=$3; shift 3
  local resolved key tar dir deb
  resolved=$(resolve_packages "$@")
  [ -n "$resolved" ] || { echo "images.sh: apt resolved no packages for $name (apt-get update?)" >&2; return 1; }
  key=$( { echo "$RECIPE $user $uid"; echo "$resolved"; } | sha256sum | cut -c1-16)
  tar="$CACHE/rootfs-$name-$key.tar"
  if [ -f "$tar" ]; then echo "$tar"; return; fi
  log "root file system $name: $(echo "$resolved" | wc -l) packages"
  (cd "$CACHE/debs" && apt-get download $resolved >/dev/null 2>&1) \
    || { apt-get update -qq; (cd "$CACHE/debs" && apt-get download $resolved >/dev/null); }
  dir="$WORK/rootfs-$name"
  mkdir -p "$dir/usr/bin" "$dir/usr/sbin" "$dir/usr/lib" "$dir/usr/lib64" "$dir/etc" "$dir/tmp" "$dir/data"
  # merged /usr, as Debian 12 systems are; tar keeps these links when a package names /lib or /bin
  ln -s usr/bin "$dir/bin"; ln -s usr/sbin "$dir/sbin"; ln -s usr/lib "$dir/lib"; ln -s usr/lib64 "$dir/lib64"
  local entry pkg version
  for entry in $resolved; do
    pkg=${entry%%=*}; version=${entry#*=}
    deb=$(ls "$CACHE/debs/${pkg}_${version//:/%3a}_"*.deb 2>/dev/null | head -1)
    [ -n "$deb" ] || { echo "images.sh: $pkg $version was not downloaded" >&2; return 1; }
    dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$dir"
  done
  rm -rf "$dir/usr/share/doc" "$dir/usr/share/man" "$dir/usr/share/info" "$dir/usr/share/lintian" \
    "$dir/usr/share/locale" "$dir/usr/share/bug" "$dir/etc/init.d" "$dir/etc/default" "$dir/etc/logrotate.d"
  # what the maintainer scripts would have made: the CA bundle (FFmpeg's TLS outputs), the user, name lookup
  if [ -d "$dir/usr/share/ca-certificates" ]; then
    mkdir -p "$dir/etc/ssl/certs"
    find "$dir/usr/share/ca-certificates" -name '*.crt' | sort | xargs cat > "$dir/etc/ssl/certs/ca-certificates.crt"
  fi
  printf 'root:x:0:0:root:/root:/nonexistent\n%s:x:%s:%s:%s:/tmp:/nonexistent\n' "$user" "$uid" "$uid" "$user" > "$dir/etc/passwd"
  printf 'root:x:0:\n%s:x:%s:\n' "$user" "$uid" > "$dir/etc/group"
  printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$dir/etc/nsswitch.conf"
  chmod 1777 "$dir/tmp"
  chown "$uid:$uid" "$dir/data"
  ldconfig -r "$dir"
  # reproducible: sorted, one time, numeric owners
  tar --sort=name --mtime=@0 --numeric-owner -C "$dir" -cf "$tar.part" .
  mv "$tar.part" "$tar"
  rm -rf "$dir"
  find "$CACHE" -maxdepth 1 -name "rootfs-$name-*.tar" ! -path "$tar" -delete  # earlier versions of it
  echo "$tar"
}

jre() { # -> prints the path of a cached tar of the jlinked runtime (laid out under opt/java)
  local key tar dir
  key=$( { echo "$RECIPE $JAVA_MODULES"; cat "$JAVA_HOME/release"; } | sha256sum | cut -c1-16)
  tar="$CACHE/jre-$key.tar"
  if [ -f "$tar" ]; then echo "$tar"; return; fi
  log "jlink: $JAVA_MODULES"
  dir="$WORK/jre"
  mkdir -p "$dir/opt"
  # --generate-cds-archive: the default class data sharing archive, which a jlinked runtime otherwise lacks
  "$JAVA_HOME/bin/jlink" --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages --generate-cds-archive \
    --compress=zip-6 --output "$dir/opt/java" >&2
  tar --sort=name --mtime=@0 --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$tar.part" .
  mv "$tar.part" "$tar"
  rm -rf "$dir"
  find "$CACHE" -maxdepth 1 -name "jre-*.tar" ! -path "$tar" -delete  # earlier versions of it
  echo "$tar"
}

image_exists() { "${BUILDAH[@]}" inspect --type image "$1" >/dev/null 2>&1; }

commit() { # container name: commits, and removes the image that had this name before (a rebuild of the same commit)
  local previous
  previous=$("${BUILDAH[@]}" inspect --type image --format '{{.FromImageID}}' "$2" 2>/dev/null || true)
  "${BUILDAH[@]}" commit --quiet --rm "$1" "$2" >/dev/null
  if [ -n "$previous" ] && [ "$previous" != "$("${BUILDAH[@]}" inspect --type image --format '{{.FromImageID}}' "$2")" ]; then
    "${BUILDAH[@]}" rmi "$previous" >/dev/null 2>&1 || true
  fi
}

# The image every service starts from: Debian libraries, the runtime, the non-root user. Named by its content, so
# a warm build reuses it.
java_base() {
  local rootfs_tar jre_tar name ctr
  rootfs_tar=$(rootfs java stream-manager "$APP_UID" "${JAVA_PACKAGES[@]}")
  jre_tar=$(jre)
  name="localhost/$PREFIX/java-base:$(basename "$rootfs_tar" .tar | sed 's/^rootfs-java-//')-$(basename "$jre_tar" .tar | sed 's/^jre-//')-$(sha256sum "$ROOT/build/images/RingDirectory.java" | cut -c1-8)"
  if ! image_exists "$name"; then
    log "base image $name"
    ctr=$("${BUILDAH[@]}" from --pull-never scratch)
    "${BUILDAH[@]}" add "$ctr" "$rootfs_tar" / >/dev/null
    "${BUILDAH[@]}" add "$ctr" "$jre_tar" / >/dev/null
    # the pipeline pods' init container: makes the node's ring directory the service user's (RingDirectory.java)
    mkdir -p "$WORK/tools"
    "$JAVA_HOME/bin/javac" --release 25 -d "$WORK/tools" "$ROOT/build/images/RingDirectory.java"
    "${BUILDAH[@]}" add --chown 0:0 "$ctr" "$WORK/tools" /opt/tools >/dev/null
    "${BUILDAH[@]}" config --user "$APP_UID:$APP_UID" --workingdir /opt/app --env JAVA_HOME=/opt/java \
      --env PATH=/opt/java/bin --env LANG=C.UTF-8 --env HOME=/tmp "$ctr"
    "${BUILDAH[@]}" commit --quiet --rm "$ctr" "$name" >/dev/null
    # base images of earlier recipes are kept by nothing once the services are rebuilt from this one
    "${BUILDAH[@]}" images --format '{{.Name}}:{{.Tag}}' | grep "^localhost/$PREFIX/java-base:" | grep -vx "$name" \
      | xargs -r "${BUILDAH[@]}" rmi >/dev/null 2>&1 || true
  fi
  echo "$name"
}

service_image() { # service base-image
  local service=$1 base=$2 app="$ROOT/$1/target/quarkus-app" ctr classes=() jar
  [ -f "$app/quarkus-run.jar" ] || { echo "images.sh: $app/quarkus-run.jar missing (build first, or drop --skip-package)" >&2; return 1; }
  ctr=$("${BUILDAH[@]}" from --pull-never "$base")
  "${BUILDAH[@]}" add --chown 0:0 "$ctr" "$app" /opt/app >/dev/null
  # FFmpeg's natives, unpacked now into a root-owned cache the service only reads (JavacppPreload explains why)
  for jar in "$app"/lib/main/org.bytedeco.ffmpeg-*.jar; do
    [ -f "$jar" ] || continue
    classes=(org.bytedeco.ffmpeg.global.avutil org.bytedeco.ffmpeg.global.swresample org.bytedeco.ffmpeg.global.avcodec
      org.bytedeco.ffmpeg.global.avformat org.bytedeco.ffmpeg.global.swscale org.bytedeco.ffmpeg.global.avfilter
      org.bytedeco.ffmpeg.global.avdevice)
    break
  done
  if [ ${#classes[@]} -gt 0 ]; then
    mkdir -p "$WORK/javacpp-$service"
    "$JAVA_HOME/bin/java" -Dorg.bytedeco.javacpp.cachedir="$WORK/javacpp-$service" -cp "$app/lib/main/*" \
      "$ROOT/build/images/JavacppPreload.java" "${classes[@]}" > "$WORK/javacpp-$service.log" 2>&1 \
      || { cat "$WORK/javacpp-$service.log" >&2; return 1; }
    # one flat directory of libraries (their links kept), root-owned and read-only in the image
    mkdir -p "$WORK/javacpp-lib-$service"
    find "$WORK/javacpp-$service" \( -type f -o -type l \) -name '*.so*' -exec cp -P {} "$WORK/javacpp-lib-$service/" \;
    "${BUILDAH[@]}" add --chown 0:0 "$ctr" "$WORK/javacpp-lib-$service" /opt/javacpp/lib >/dev/null
    rm -rf "$WORK/javacpp-$service" "$WORK/javacpp-lib-$service"
  fi
  # The FFmpeg services: few malloc arenas and a periodic native-heap trim keep RSS flat under stream churn. In the
  # environment, not the entrypoint, so a deployment's own values (the chart's nativeMemory) replace them.
  local native_env=()
  case "$service" in
    encoder-service|muxer-service)
      native_env=(--env MALLOC_ARENA_MAX=2 --env JDK_JAVA_OPTIONS=-XX:TrimNativeHeapInterval=10000) ;;
  esac
  "${BUILDAH[@]}" config --entrypoint "[\"/opt/java/bin/java\", $JVM_FLAGS, \"-jar\", \"/opt/app/quarkus-run.jar\"]" \
    "${native_env[@]}" --cmd '' --label "org.opencontainers.image.title=$service" --label "org.opencontainers.image.version=$TAG" \
    --label "org.opencontainers.image.revision=$(git -C "$ROOT" rev-parse HEAD)" "$ctr"
  commit "$ctr" "localhost/$PREFIX/$service:$TAG"
}

redis_image() {
  local rootfs_tar ctr
  rootfs_tar=$(rootfs redis redis "$REDIS_UID" "${REDIS_PACKAGES[@]}")
  ctr=$("${BUILDAH[@]}" from --pull-never scratch)
  "${BUILDAH[@]}" add "$ctr" "$rootfs_tar" / >/dev/null
  # protected mode off: Redis answers only loopback clients otherwise, and its clients are other pods; the chart's
  # Service and network policy decide who reaches it, as with the official image
  "${BUILDAH[@]}" config --user "$REDIS_UID:$REDIS_UID" --workingdir /data --env HOME=/data \
    --entrypoint '["/usr/bin/redis-server", "--protected-mode", "no"]' --cmd '' --port 6379 \
    --label "org.opencontainers.image.title=redis" --label "org.opencontainers.image.version=$TAG" "$ctr"
  commit "$ctr" "localhost/$PREFIX/redis:$TAG"
}

# --- the apps -----------------------------------------------------------------------------------------------------
services=()
for image in $IMAGES; do [ "$image" = redis ] || services+=("$image"); done
if [ "$PACKAGE" = 1 ] && [ ${#services[@]} -gt 0 ]; then
  log "packaging ${services[*]} (build/mvn package -DskipTests)"
  modules=$(IFS=,; echo "media-bus,media-ffmpeg,${services[*]}")
  if ! "$ROOT/build/mvn" -B -q -f "$ROOT/pom.xml" package -DskipTests -pl "$modules" > "$WORK/package.log" 2>&1; then
    tail -40 "$WORK/package.log" >&2; log "package failed"; exit 1
  fi
fi

# --- the images ---------------------------------------------------------------------------------------------------
built=()
if [ ${#services[@]} -gt 0 ]; then
  base=$(java_base)
  for service in "${services[@]}"; do
    log "image $PREFIX/$service:$TAG"
    service_image "$service" "$base"
    built+=("$service")
  done
fi
case " $IMAGES " in *" redis "*) log "image $PREFIX/redis:$TAG"; redis_image; built+=(redis) ;; esac

for image in "${built[@]}"; do
  if [ "${SM_IMAGE_PRUNE:-0}" = 1 ]; then
    "${BUILDAH[@]}" images --format '{{.Name}}:{{.Tag}}' | grep "^localhost/$PREFIX/$image:" | grep -vx "localhost/$PREFIX/$image:$TAG" \
      | xargs -r "${BUILDAH[@]}" rmi >/dev/null 2>&1 || true
  fi
  if [ -n "$SAVE_DIR" ]; then
    rm -f "$SAVE_DIR/$image-$TAG.oci.tar"
    "${BUILDAH[@]}" push --quiet "localhost/$PREFIX/$image:$TAG" "oci-archive:$SAVE_DIR/$image-$TAG.oci.tar:$PREFIX/$image:$TAG" >/dev/null
  fi
  size=$(podman --storage-driver vfs image inspect --format '{{.Size}}' "localhost/$PREFIX/$image:$TAG")
  echo "IMAGE $PREFIX/$image:$TAG $((size / 1000000)) MB"
done
log "done in $((SECONDS - START)) s (tag $TAG${SAVE_DIR:+, OCI archives in $SAVE_DIR})"
echo "TAG $TAG"
