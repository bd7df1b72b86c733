#!/usr/bin/env bash
# Fails when a layer includes what it must not. The layers, bottom up (README "Layout"):
#   core    include/lagesbild/core, src/core: only core headers, the standard library and
#           nlohmann/json — no threads, clocks, files, SQLite, Asio, WebSocket++ or libsodium
#   log     include/lagesbild/log, src/log: the operator's log lines; every layer above the core
#           may write them
#   store   + the store's own headers; SQLite only in src/store
#   engine  + core, and the store's interface (store/store.h), never an implementation
#   auth    + core; libsodium only in src/auth
#   interop + core: the standards' documents (EDXL-HAVE, CAP); libxml2 only in src/interop
#   server  + core, engine, store/store.h, auth, interop; Asio, WebSocket++ and OpenSSL only in
#           src/server
#   src/cli (the command line) wires them together and may include any layer.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=0
fail() { echo "layer check: $1: $2" >&2; failed=1; }

# Standard headers the core may use: no <thread>, <mutex>, <atomic>, <chrono>, <ctime>,
# <fstream>, <filesystem>, <iostream>, <future>, <condition_variable>.
core_std='algorithm|array|cctype|cmath|cstddef|cstdint|cstdio|cstdlib|cstring|deque|functional|initializer_list|iterator|limits|map|memory|numeric|optional|regex|set|sstream|stdexcept|string|string_view|tuple|type_traits|unordered_map|unordered_set|utility|variant|vector'

check() {  # layer allowed-lagesbild-regex allowed-angle-regex files...
  local layer=$1 own=$2 angle=$3; shift 3
  local file line target
  for file in "$@"; do
    while IFS= read -r line; do
      target=$(sed -E 's/^#include *[<"]([^>"]+)[>"].*/\1/' <<<"$line")
      case "$line" in
        *'"lagesbild/'*) [[ $target =~ ^lagesbild/($own)$ ]] || fail "$file" "$layer includes $target" ;;
        *'"'*) [[ -f "$(dirname "$file")/$target" ]] || fail "$file" "unknown local include $target" ;;
        *) [[ $target =~ ^($angle)$ ]] || fail "$file" "$layer includes <$target>" ;;
      esac
    done < <(grep -E '^#include' "$file")
  done
}

any_std='[a-z_]+(\.h)?'
check core  'core/[a-z_]+\.h' "$core_std|nlohmann/json\.hpp" include/lagesbild/core/*.h src/core/*
check log 'log/log\.h' "$any_std|nlohmann/json\.hpp" include/lagesbild/log/*.h src/log/*
check store '(core|store|log)/[a-z_]+\.h' "$any_std|sys/[a-z_]+\.h|nlohmann/json\.hpp|sqlite3\.h" \
  include/lagesbild/store/*.h src/store/*
check engine '(core/[a-z_]+|store/store|engine/[a-z_]+|log/log)\.h' "$any_std|nlohmann/json\.hpp" \
  include/lagesbild/engine/*.h src/engine/*
check auth '(core|auth|log)/[a-z_]+\.h' "$any_std|sys/[a-z_]+\.h|nlohmann/json\.hpp|sodium\.h" \
  include/lagesbild/auth/*.h src/auth/*
check interop '(core|interop)/[a-z_]+\.h' "$core_std|nlohmann/json\.hpp|libxml/[a-z]+\.h" \
  include/lagesbild/interop/*.h src/interop/*
check server '(core/[a-z_]+|store/store|engine/[a-z_]+|auth/[a-z_]+|interop/[a-z_]+|server/[a-z_]+|log/log)\.h' \
  "$any_std|sys/[a-z_]+\.h|nlohmann/json\.hpp|asio(/[a-z_/]+)?\.hpp|websocketpp/[a-z_/0-9]+\.hpp|openssl/[a-z0-9_]+\.h" \
  include/lagesbild/server/*.h src/server/*
# Public headers never pull in a library the layer keeps private.
for header in include/lagesbild/*/*.h; do
  grep -qE '^#include *<(sqlite3\.h|sodium\.h|asio|websocketpp/|openssl/|libxml/)' "$header" &&
    fail "$header" "a public header includes a private dependency"
done
[ "$(find include/lagesbild -maxdepth 1 -name '*.h' | wc -l)" -eq 0 ] ||
  fail include/lagesbild "headers belong in a layer's folder"
if [ "$failed" -ne 0 ]; then echo "layer check failed" >&2; exit 1; fi
echo "layer check: every include is allowed"
