#!/usr/bin/env bash
# One command for a fresh Debian 12 machine: install the dependencies, build, and
# generate the zone of the bundled pattern-A example (no server needed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --build-only
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DZONEGEN_TESTS=OFF >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" --target zonegen
./build/zonegen generate examples/a-transfer.yaml -o example.co.jp.zone
./build/zonegen validate example.co.jp.zone --spec examples/a-transfer.yaml
echo "--- example.co.jp.zone:"
cat example.co.jp.zone
