#!/usr/bin/env bash
# The README's test command: installs what is missing, builds libsegrecv and
# every test, and runs the whole suite with ctest.
# Environment: BUILD_DIR (default build-tests), SEGRECV_WERROR=ON,
# SEGRECV_SANITIZE=ON (ASan + UBSan), CMAKE_ARGS (extra cmake arguments),
# CTEST_ARGS (extra ctest arguments).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/.ci/install-deps"

build=${BUILD_DIR:-$root/build-tests}
# shellcheck disable=SC2086
cmake -S "$root" -B "$build" \
  -DSEGRECV_WERROR="${SEGRECV_WERROR:-OFF}" \
  -DSEGRECV_SANITIZE="${SEGRECV_SANITIZE:-OFF}" ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
# shellcheck disable=SC2086
ctest --output-on-failure ${CTEST_ARGS:-}
