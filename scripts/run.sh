#!/usr/bin/env bash
# Installs, builds and starts the server with the default healthcare region (Mellansverige).
# Extra arguments go to `lagesbild serve` (e.g. --port 9000, --bind 0.0.0.0).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target lagesbild
if [ ! -s data/users.json ]; then
  # A first admin, so somebody can sign in and write in live (a trainer writes only in
  # exercises); it runs the demo exercise too. The token is shown only here.
  token=$(build/release/lagesbild users add admin --role admin --users data/users.json)
  echo "lagesbild: created user 'admin' (admin: every write, live included, and the exercises). Token, shown once: $token"
  echo "lagesbild: sign in on the TiB page: http://127.0.0.1:8080/tib.html#token=$token"
  echo "lagesbild: more users: build/release/lagesbild users add tib-uppsala --role reporter --region uppsala"
  echo "lagesbild:             build/release/lagesbild users add ovningsledare --role trainer   (exercises only)"
fi
# The demo exercise runs beside live operation, in its own space (ÖVNING).
exec build/release/lagesbild serve --db data/lagesbild.db --users data/users.json --start-exercise demo-10min "$@"
