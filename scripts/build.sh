#!/usr/bin/env bash
# Installs what is missing and builds casenote into build/ (or the folder in $1 with extra
# CMake arguments after it). Used by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
dir=${1:-build}
shift || true
# ccache keeps compiled objects between builds and clones: a CI run on a clean clone recompiles
# only what changed. Paths are hashed relative to the clone, so another clone's objects match.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache "$@" >/dev/null
cmake --build "$dir" -j"$(nproc)"
