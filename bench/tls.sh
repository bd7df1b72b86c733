#!/usr/bin/env bash
# TLS against plaintext (bench/tls.mjs): memory per idle board and the 1,000-board fan-out.
#   bash bench/tls.sh [--boards 1000] [--reports 200] [--runs 3] [--clients 2] ...
# Uses build/release/lagesbild (LAGESBILD_BIN or --bin for another; never builds it), appends
# JSON lines to bench/results/tls.jsonl and prints Markdown tables. Needs node and openssl.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)" || true
exec node bench/tls.mjs "$@"
