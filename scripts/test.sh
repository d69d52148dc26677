#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install, build and run every test, then run the
# tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh build
(cd build && ctest --output-on-failure -j"$(nproc)")
# The benchmarks are measured from the plain build; the sanitized one only needs the tests.
./scripts/build.sh build-asan -DCASENOTE_SANITIZE=ON -DCASENOTE_BENCH=OFF
# The three slowest tests (the OCR evaluation set, twenty killed ingests, the browser) run the
# same code as the rest many times over; under the sanitizers they would double CI's time.
slow='^(extraction over the evaluation set|an ingest killed at random moments|review_workstation_in_browser)'
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j"$(nproc)" -E "$slow")
