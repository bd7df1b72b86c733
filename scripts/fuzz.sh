#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for SECONDS (default 20; CI runs 15).
# Long mode: bash scripts/fuzz.sh 3600. New corpus entries go to build/fuzz/corpus, never into
# the repository; crashes are written to build/fuzz/ and fail the run.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
command -v clang++ >/dev/null || { echo "fuzz: clang++ is missing (apt-get install clang)"; exit 1; }
CXX=clang++ cmake -S fuzz -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/fuzz
for target in fuzz_wire fuzz_decide fuzz_scenario fuzz_http fuzz_feed; do
  corpus="build/fuzz/corpus/${target#fuzz_}"
  mkdir -p "$corpus"
  cp -n fuzz/corpus/"${target#fuzz_}"/* "$corpus"/ 2>/dev/null || true
  echo "== $target, ${seconds}s"
  dict=()
  [ "$target" = fuzz_wire ] && dict=(-dict="$PWD/fuzz/wire.dict")
  (cd build/fuzz && ./"$target" "${dict[@]}" -max_total_time="$seconds" -max_len=20000 -timeout=10 \
      -print_final_stats=1 "corpus/${target#fuzz_}" 2>&1 | grep -E "^(stat::number_of_executed_units|stat::peak_rss|#[0-9]+ *DONE)|ERROR|SUMMARY" || true)
  # libFuzzer leaves crash-*, leak-* or timeout-* files behind when it finds something.
  if ls build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-* >/dev/null 2>&1; then
    echo "fuzz: $target found a problem:"; ls build/fuzz/crash-* build/fuzz/leak-* build/fuzz/timeout-* 2>/dev/null
    exit 1
  fi
done
echo "fuzz: no crash, leak or timeout"
