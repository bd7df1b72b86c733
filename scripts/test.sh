#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test — Catch2 unit tests, integration tests
# against the real server, browser tests in headless Chromium — first in the release build, then
# under ASan+UBSan and under TSan. `--quick` runs the release build only.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
bash scripts/check-layers.sh
# Clang's thread-safety analysis over every annotated mutex (compile only).
cmake --preset thread-safety >/dev/null
cmake --build --preset thread-safety
presets=(release asan tsan)
if [ "${1:-}" = "--quick" ]; then presets=(release); fi
for preset in "${presets[@]}"; do
  echo "== $preset"
  cmake --preset "$preset" >/dev/null
  cmake --build --preset "$preset"
  ctest --preset "$preset"
done
