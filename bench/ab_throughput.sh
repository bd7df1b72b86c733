#!/usr/bin/env bash
# Durable reports/s of two server builds, alternating, on the same machine and day: for a change
# whose effect is smaller than the drift of a shared machine between runs.
#   bash bench/ab_throughput.sh OTHER_BINARY [ROUNDS] [SECONDS]
# OTHER_BINARY is e.g. a build of an earlier commit (git worktree add /tmp/old <commit>, then
# cmake -S /tmp/old -B /tmp/old/build -G Ninja -DLAGESBILD_TESTS=OFF && ninja -C /tmp/old/build
# lagesbild). This build is build/release/lagesbild; the loadgen is built as bench/run.sh does.
set -euo pipefail
cd "$(dirname "$0")/.."
OTHER=${1:?usage: bench/ab_throughput.sh OTHER_BINARY [ROUNDS] [SECONDS]}
ROUNDS=${2:-3}
SECONDS_EACH=${3:-5}
THIS=build/release/lagesbild
LG=build/bench/loadgen
[ -x "$LG" ] || { cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DLAGESBILD_TESTS=OFF >/dev/null && cmake --build build/bench --target loadgen >/dev/null; }
for round in $(seq "$ROUNDS"); do
  for which in other this; do
    bin=$OTHER; [ "$which" = this ] && bin=$THIS
    # Lift the limits a load generator hits (one address, floods), where the build has them.
    limits=()
    "$bin" serve --help 2>&1 | grep -q -- --write-rate && limits=(--max-connections 100000
      --max-connections-per-address 100000 --message-rate 1e7 --message-burst 1e7 --write-rate 1e7)
    # Live reports need an admin (a trainer writes only in exercises); older builds have no admin.
    role=trainer
    "$bin" users add --help 2>&1 | grep -qw admin && role=admin
    for boards in 0 1000; do
      d=$(mktemp -d)
      token=$("$bin" users add "$role" --role "$role" --users "$d/users.json")
      "$bin" serve --port 0 --db "$d/e.db" --users "$d/users.json" --keepalive 600 "${limits[@]}" > "$d/out" 2>&1 &
      pid=$!
      for _ in $(seq 100); do grep -q listening "$d/out" && break; sleep 0.1; done
      port=$(grep -o 'listening on http://[^:]*:[0-9]*' "$d/out" | grep -o '[0-9]*$')
      rate=$("$LG" --port "$port" --server-pid "$pid" --token "$token" --label ab --mode throughput \
        --boards "$boards" --window 256 --seconds "$SECONDS_EACH" 2>&1 | grep -o '"acks_per_s":[0-9.]*' | cut -d: -f2)
      printf 'round %s  %-5s  boards %-4s  %s acked reports/s\n' "$round" "$which" "$boards" "$rate"
      kill "$pid"; wait "$pid" 2>/dev/null || true
      rm -rf "$d"
    done
  done
done
