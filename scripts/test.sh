#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install, build and run every test, then run the
# tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh build
(cd build && ctest --output-on-failure -j"$(nproc)")
# The benchmarks are measured from the plain build; the sanitized one only needs the tests.
./scripts/build.sh build-asan -DCASENOTE_SANITIZE=ON -DCASENOTE_BENCH=OFF
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j"$(nproc)")
