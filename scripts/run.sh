#!/usr/bin/env bash
# Installs, builds and starts the server with the default healthcare region (Mellansverige).
# Extra arguments go to `lagesbild serve` (e.g. --port 9000, --bind 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target lagesbild
if [ ! -s data/users.json ]; then
  # A first trainer, so somebody can sign in and create the rest. The token is shown only here.
  token=$(build/release/lagesbild users add ovningsledare --role trainer --users data/users.json)
  echo "lagesbild: created user 'ovningsledare' (trainer). Token, shown once: $token"
  echo "lagesbild: sign in on the TiB page: http://127.0.0.1:8080/tib.html#token=$token"
  echo "lagesbild: more users: build/release/lagesbild users add tib-uppsala --role reporter --region uppsala"
fi
# The demo exercise runs beside live operation, in its own space (ÖVNING).
exec build/release/lagesbild serve --db data/lagesbild.db --users data/users.json --start-exercise demo-10min "$@"
