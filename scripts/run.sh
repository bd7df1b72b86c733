#!/usr/bin/env bash
# Installs, builds and starts the server with the default healthcare region (Mellansverige).
# Extra arguments go to `lagesbild serve` (e.g. --port 9000, --bind 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target lagesbild
exec build/release/lagesbild serve --db data/lagesbild.db "$@"
