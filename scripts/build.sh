#!/usr/bin/env bash
# Configures (once) and builds the C++ code with CMake + Ninja (+ ccache), and the web UI
# with Vite when its sources changed. BUILD_DIR and BUILD_TYPE may be overridden.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo}
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="$BUILD_TYPE" >/dev/null
fi
ninja -C "$BUILD_DIR"
# The web UI: rebuild when any source is newer than the last build.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts package-lock.json -newer web/dist/index.html 2>/dev/null | head -1)" ]; then
  echo "==> building the web UI"
  npx vite build web --logLevel warn
fi
