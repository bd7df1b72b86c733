#!/usr/bin/env bash
# Installs what the tests need, builds, and runs every test: Catch2 unit tests, integration tests
# against the real server, and browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh --test
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release
