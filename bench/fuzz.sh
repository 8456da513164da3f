#!/usr/bin/env bash
# Coverage-guided fuzzing (Jazzer) of the RTMP gateway's protocol layers: the chunk decoder, the AMF0 reader and the
# handshake (rtmp-gateway ProtocolFuzzTest). Each target runs for the test's maxDuration (3m) in its own JVM; Jazzer
# only fuzzes one @FuzzTest per run. Not part of the build: the normal suite replays the kept inputs and a seeded
# mutation pass instead.
#   bench/fuzz.sh [target...]      (default: chunkDecoder amf0Reader handshake)
# A crashing input is written to rtmp-gateway/src/test/resources/io/streammanager/gateway/rtmp/
# ProtocolFuzzTestInputs/<target>/crash-<sha1>: fix the bug, keep the file (it becomes a regression test), and give it
# a name that says what it once broke. The growing generated corpus lives in rtmp-gateway/.cifuzz-corpus (not kept).
set -euo pipefail
cd "$(dirname "$0")/.."

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(chunkDecoder amf0Reader handshake)
fi

# offline first; only if something is missing from the local repository, let Maven fetch it
build/mvn -B -q -o -pl rtmp-gateway test-compile || build/mvn -B -q -pl rtmp-gateway test-compile
status=0
for target in "${targets[@]}"; do
  echo "bench/fuzz.sh: fuzzing $target"
  # the outer timeout catches a hang inside one input (Jazzer's own per-input timeout is libFuzzer's default)
  if ! JAZZER_FUZZ=1 timeout 600 build/mvn -B -o -pl rtmp-gateway surefire:test \
      -Dtest="ProtocolFuzzTest#$target" -Dsurefire.failIfNoSpecifiedTests=false; then
    echo "bench/fuzz.sh: $target found a failure (see above and ProtocolFuzzTestInputs/$target/)" >&2
    status=1
  fi
done
exit $status
