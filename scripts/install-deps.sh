#!/usr/bin/env bash
# Installs what Lägesbild needs on Debian 12. `--test` adds what the tests need (Chromium, the
# npm test packages). Installs only what is missing, so a second run takes a second.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

packages=(g++ cmake ninja-build pkg-config libasio-dev libwebsocketpp-dev libsqlite3-dev libsodium-dev
          nlohmann-json3-dev libcli11-dev catch2 libssl-dev libxml2-dev)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium sqlite3 clang libclang-rt-14-dev openssl nginx prometheus lintian systemd dpkg-dev
             file libxml2-utils)
  command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  # --no-install-recommends: libasio-dev would otherwise pull in nine Boost packages.
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ "${1:-}" = "--test" ]; then
  # ws (WebSocket client) and playwright-core (drives Debian's Chromium; never downloads one).
  if [ ! -d node_modules/ws ] || [ ! -d node_modules/playwright-core ] ||
     [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
