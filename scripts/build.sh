#!/usr/bin/env bash
# Installs what is missing and builds casenote into build/ (or the folder in $1 with extra
# CMake arguments after it). Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dir=${1:-build}
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
