#!/usr/bin/env bash
# Runs every test of the project: unit tests, service tests against a real Redis, and the system tests that start
# the four packaged services and play the result with real RTMP clients. Installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."

build/install-test-tools.sh
exec build/mvn -B verify "$@"
