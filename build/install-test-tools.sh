#!/usr/bin/env bash
# Makes sure the programs the tests drive are on this machine: Redis, Debian's RTMP clients (rtmpdump, GStreamer's
# rtmp2src/rtmp2sink with its H.264 decoder and x264 encoder, ffmpeg), nginx with the RTMP module (an independent
# peer for interop tests), Chromium, curl, openssl (test certificates), unzip and a Maven to bootstrap build/mvn. Installs the
# missing ones with apt-get when run as root; otherwise names them and stops.
set -euo pipefail

declare -A wanted=(
  [redis-server]=redis-server
  [rtmpdump]=rtmpdump
  [gst-launch-1.0]=gstreamer1.0-tools
  [ffmpeg]=ffmpeg
  [unzip]=unzip
  [mvn]=maven
  [curl]=curl
  [chromium]=chromium
  [openssl]=openssl
)
missing=()
for program in "${!wanted[@]}"; do
  command -v "$program" >/dev/null 2>&1 || missing+=("${wanted[$program]}")
done
# rtmp2src/rtmp2sink live in the "bad" plugin set, which gst-launch alone does not bring.
# GStreamer's H.264 decoder (avdec_h264) lives in gstreamer1.0-libav.
if ! command -v gst-inspect-1.0 >/dev/null 2>&1 || ! gst-inspect-1.0 rtmp2src >/dev/null 2>&1; then
  missing+=(gstreamer1.0-plugins-bad gstreamer1.0-plugins-good)
fi
if ! command -v gst-inspect-1.0 >/dev/null 2>&1 || ! gst-inspect-1.0 avdec_h264 >/dev/null 2>&1; then
  missing+=(gstreamer1.0-libav)
fi
# GStreamer publishing (rtmp2sink) encodes with x264enc, which lives in gstreamer1.0-plugins-ugly.
if ! command -v gst-inspect-1.0 >/dev/null 2>&1 || ! gst-inspect-1.0 x264enc >/dev/null 2>&1; then
  missing+=(gstreamer1.0-plugins-ugly)
fi
# GStreamer's rtmps:// goes through GIO's TLS backend (GnuTLS), packaged as glib-networking (only a recommendation).
if ! compgen -G "/usr/lib/*/gio/modules/libgiognutls.so" >/dev/null; then
  missing+=(glib-networking)
fi
# nginx-rtmp as a peer that pulls from and pushes to the gateway: nginx plus Debian's RTMP module.
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
  missing+=(nginx)
fi
if [ ! -f /usr/lib/nginx/modules/ngx_rtmp_module.so ]; then
  missing+=(libnginx-mod-rtmp)
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: missing packages: ${missing[*]} (install them, e.g. apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "install-test-tools: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Packages such as nginx and redis-server start their service on install; the tests start their own on free ports,
# so keep apt from starting any (unless the machine already has a policy of its own).
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
