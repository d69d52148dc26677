#!/usr/bin/env bash
# One command from a fresh Debian 12 machine: install, build, load the sample patient index
# and ingest the bundled samples into ./casenote.db, printing what was filed.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh build
build/casenote patients import --db casenote.db samples/patients.csv
status=0
build/casenote ingest --db casenote.db samples/ || status=$?
echo "Export: build/casenote export --db casenote.db --format jsonl   Search: build/casenote search --db casenote.db WORDS"
exit $status
