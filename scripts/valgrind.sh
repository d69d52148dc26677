#!/usr/bin/env bash
# Runs the test suite under valgrind memcheck and fails on any invalid read, write or free, any
# use of an uninitialised value, and any definite or indirect leak.
#
#   scripts/valgrind.sh [BUILD_DIR] [CATCH2_TEST_SPEC...]
#
# BUILD_DIR (default build) must hold a built casenote_tests. Without a test spec every test case
# runs (about 15 minutes on two cores); a spec such as "[load],[limits],[csv]" runs a part in
# seconds. Programs the tests start (casenote ingest, the page workers) run outside valgrind.
#
# scripts/valgrind.supp holds the suppressions, all for PoDoFo 0.9.8 (Debian 12): it leaves
# members of the objects its parser makes uninitialised. A 17-line program that only loads a
# five-object PDF with PoDoFo and looks up its page's /Contents gets 344 uninitialised-value
# reports (docs/memory-checks.md). Its accessors are inline, so the reports surface in whatever
# code asks a parsed object its type; in casenote that is the PDF page source.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
command -v valgrind >/dev/null || {
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends valgrind
}
OMP_THREAD_LIMIT=1 valgrind --tool=memcheck --error-exitcode=1 --leak-check=full --suppressions=scripts/valgrind.supp \
  --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --num-callers=40 \
  "$build/tests/casenote_tests" "$@"
