#!/usr/bin/env bash
# Lägesbild load benchmark ("Proof under load").
#   bash bench/run.sh          full run (~10-15 min)
#   bash bench/run.sh quick    ~2 min subset
#   bash bench/run.sh cold     only the cold start with 1,000,000 events
#   bash bench/run.sh inject   only the scenario inject timing at 1x and 60x (~2 min)
# Uses the already-built build/release/lagesbild (never builds it), builds build/bench/loadgen,
# prints a table and writes bench/results/latest.json (+ the raw log in bench/results/latest.log).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-full}
BIN=${LAGESBILD_BIN:-$ROOT/build/release/lagesbild}
LG=$ROOT/build/bench/loadgen
OUT=$ROOT/bench/results
mkdir -p "$ROOT/build/bench" "$OUT"
WORK=$(mktemp -d /tmp/lagesbild-bench-XXXXXX)
RESULTS=$WORK/results.jsonl
LOG=$OUT/latest.log
: > "$RESULTS"; : > "$LOG"
ulimit -n "$(ulimit -Hn)" || true
[ -x "$BIN" ] || { echo "no server binary at $BIN (build it first)"; exit 1; }
# The CMake target `loadgen` builds the same file; building here keeps the script standalone.
g++ -O2 -std=c++17 -o "$LG" bench/loadgen.cpp

SERVER_PID=""; PORT=""; TOKEN=""
# The load generator writes live reports and the inject timing runs exercises: an admin does both
# (a trainer writes only in exercises). A build from before the admin role has only the trainer.
ROLE=trainer
"$BIN" users add --help 2>&1 | grep -qw admin && ROLE=admin
KEEPALIVE=()
"$BIN" serve --help 2>&1 | grep -q -- --keepalive && KEEPALIVE=(--keepalive 600)
# The load generator is one address opening 10,000 boards and sending floods of reports: lift the
# per-address, per-connection and write-rate limits (docs/protocol.md, "Limits") for it.
"$BIN" serve --help 2>&1 | grep -q -- --write-rate && KEEPALIVE+=(--max-connections 100000
  --max-connections-per-address 100000 --message-rate 1e7 --message-burst 1e7 --write-rate 1e7)

stop_server() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  SERVER_PID=""
}
trap 'stop_server; rm -rf "$WORK"' EXIT

wait_listening() {  # $1 = output file
  for _ in $(seq 1 600); do
    PORT=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$1" 2>/dev/null | grep -o '[0-9]*$' || true)
    [ -n "$PORT" ] && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$1"; return 1; }
    sleep 0.05
  done
  return 1
}

start_real() {  # fresh event log and users every time; extra arguments go to serve
  local d; d=$(mktemp -d "$WORK/real-XXXX")
  LAST_DIR=$d
  TOKEN=$("$BIN" users add "$ROLE" --role "$ROLE" --users "$d/users.json")
  "$BIN" serve --port 0 --db "$d/events.db" --users "$d/users.json" "${KEEPALIVE[@]}" "$@" > "$d/out" 2>&1 &
  SERVER_PID=$!
  wait_listening "$d/out"
  SERVER=real
}

start_peer() {
  local d; d=$(mktemp -d "$WORK/peer-XXXX")
  node bench/peer/server.mjs --port 0 > "$d/out" 2>&1 &
  SERVER_PID=$!
  TOKEN=peer
  wait_listening "$d/out"
  SERVER=node-peer
}

# run LABEL loadgen-args...: one loadgen run against the running server
run() {
  local label=$1; shift
  echo "== $SERVER: $label" | tee -a "$LOG"
  local out
  out=$("$LG" --port "$PORT" --server-pid "$SERVER_PID" --token "$TOKEN" --label "$label" "$@" 2>&1) || true
  echo "$out" | grep -v '^RESULT ' | tee -a "$LOG"
  local json; json=$(echo "$out" | sed -n 's/^RESULT //p')
  if [ -n "$json" ]; then
    echo "{\"server\":\"$SERVER\",${json#\{}" >> "$RESULTS"
  fi
}

# Scenario inject timing (bench/inject_timing.mjs) with the scenarios in bench/scenarios.
inject_timing() {  # speed injects
  start_real --scenarios "$ROOT/bench/scenarios"
  local scenario=timing-1x; [ "$1" -gt 1 ] && scenario=timing-60x
  echo "== real: inject-$1x" | tee -a "$LOG"
  local out; out=$(node bench/inject_timing.mjs --port "$PORT" --token "$TOKEN" --scenario "$scenario" \
    --speed "$1" --injects "$2" --label "inject-$1x" 2>&1) || true
  echo "$out" | grep -v '^RESULT ' | tee -a "$LOG"
  local json; json=$(echo "$out" | sed -n 's/^RESULT //p')
  [ -n "$json" ] && echo "{\"server\":\"real\",${json#\{}" >> "$RESULTS"
  stop_server
}

latency() {  # server boards reports
  if [ "$1" = real ]; then start_real; else start_peer; fi
  run "latency-$2" --mode latency --boards "$2" --reports "$3" --timeout 300
  stop_server
}

if [ "$MODE" = cold ]; then
  COLD_EVENTS=1000000
elif [ "$MODE" = inject ]; then
  inject_timing 1 60; inject_timing 60 60
  COLD_EVENTS=0
elif [ "$MODE" = quick ]; then
  for s in real peer; do latency $s 100 300; latency $s 1000 100; done
  start_real; run throughput-1000 --mode throughput --boards 1000 --window 256 --seconds 3; stop_server
  start_real; run throughput-0 --mode throughput --boards 0 --window 256 --seconds 3; stop_server
  start_real; run idle-1000 --mode idle --boards 1000; stop_server
  inject_timing 1 15; inject_timing 60 15
  COLD_EVENTS=100000
else
  for s in real peer; do
    latency $s 100 1000
    latency $s 1000 500
    latency $s 5000 200
    latency $s 10000 200
  done
  for s in real peer; do
    if [ $s = real ]; then start_real; else start_peer; fi
    run throughput-1000 --mode throughput --boards 1000 --window 256 --seconds 10; stop_server
  done
  start_real; run throughput-0 --mode throughput --boards 0 --window 256 --seconds 10; stop_server
  for s in real peer; do
    if [ $s = real ]; then start_real; else start_peer; fi
    run idle-5000 --mode idle --boards 5000; stop_server
  done
  inject_timing 1 60; inject_timing 60 60
  COLD_EVENTS=1000000
fi

# Cold start: a real event log of COLD_EVENTS capacity reports (bulk-inserted in exactly the
# format the server writes), then the time from exec to "listening", in three cases:
#   no-saved-state the log was written by another tool: every event is replayed (and the
#                  state is saved, as the server does whenever it replayed many);
#   saved-state    a clean stop (or a state just saved): nothing to replay;
#   crash-tail     the worst a crash leaves: a saved state, then 19,999 events after it (the
#                  server saves one every 20,000 events).
insert_reports() {  # db first_seq last_seq
  sqlite3 -bail "$1" > /dev/null <<SQL
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT $2 UNION ALL SELECT i + 1 FROM n WHERE i < $3),
h(k, id) AS (VALUES (0,'falun'),(1,'mora'),(2,'gavle'),(3,'hudiksvall'),(4,'bollnas'),(5,'eskilstuna'),
  (6,'nykoping'),(7,'katrineholm'),(8,'akademiska'),(9,'enkoping'),(10,'karlstad'),(11,'arvika'),
  (12,'torsby'),(13,'vasteras'),(14,'koping'),(15,'uso'),(16,'karlskoga'),(17,'lindesberg')),
e AS (SELECT i AS seq, 1795437000000 + i AS at_ms, h.id AS hospital, i % 51 AS avail
      FROM n JOIN h ON h.k = i % 18)
INSERT INTO events(space, seq, at_ms, kind, actor_id, body, subject)
SELECT 'live', seq, at_ms, 'capacity_reported', '$ROLE',
  '{"actor":{"id":"$ROLE","kind":"user","role":"$ROLE"},"at":"' ||
  strftime('%Y-%m-%dT%H:%M:%f', at_ms / 1000.0, 'unixepoch') || 'Z","hospital":"' || hospital ||
  '","kind":"capacity_reported","report":{"beds":{"MedicalSurgical":{"available":' || avail ||
  '}}},"seq":' || seq || ',"space":"live"}', hospital
FROM e;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
}

cold_start() {  # case attempt
  local d; d=$(dirname "$COLD_DB")
  local t0; t0=$(date +%s.%N)
  "$BIN" serve --port 0 --db "$COLD_DB" --users "$d/users.json" "${KEEPALIVE[@]}" > "$d/cold.out" 2>&1 &
  SERVER_PID=$!
  wait_listening "$d/cold.out" || { echo "cold start failed"; return 1; }
  local s; s=$(printf "%.3f" "$(echo "$(date +%s.%N) - $t0" | bc)")
  local rss; rss=$(awk '/VmRSS/{print $2}' /proc/$SERVER_PID/status)
  local seqnow; seqnow=$(curl -s "http://127.0.0.1:$PORT/healthz" || true)
  local recovered; recovered=$(grep -o 'space live at seq.*' "$d/cold.out" || true)
  echo "cold start $1 #$2: ${s}s to listening, VmRSS ${rss} KiB; $recovered" | tee -a "$LOG"
  # Stopped with kill -9: a clean stop would save the state and hide the next case.
  kill -9 "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
  echo "{\"server\":\"real\",\"mode\":\"cold_start\",\"label\":\"cold-$COLD_EVENTS\",\"case\":\"$1\",\"events\":$COLD_EVENTS,\"attempt\":$2,\"seconds\":$s,\"rss_kib\":$rss,\"recovered\":\"$recovered\"}" >> "$RESULTS"
}

[ "$COLD_EVENTS" -gt 0 ] && {
echo "== real: cold start with $COLD_EVENTS events" | tee -a "$LOG"
start_real; stop_server   # creates schema + meta of a fresh log
COLD_DB=$LAST_DIR/events.db
t0=$(date +%s.%N)
insert_reports "$COLD_DB" 1 "$COLD_EVENTS"
gen_s=$(printf "%.3f" "$(echo "$(date +%s.%N) - $t0" | bc)")
echo "generated $COLD_EVENTS events in ${gen_s}s ($(du -h "$COLD_DB" | cut -f1))" | tee -a "$LOG"
cold_start no-saved-state 1
for attempt in 1 2 3; do cold_start saved-state $attempt; done
insert_reports "$COLD_DB" $((COLD_EVENTS + 1)) $((COLD_EVENTS + 19999))
cold_start crash-tail 1
}

node bench/summarize.mjs "$RESULTS" "$MODE" > "$OUT/latest.md"
cat "$OUT/latest.md"
echo "wrote bench/results/latest.json, latest.md, latest.log"
