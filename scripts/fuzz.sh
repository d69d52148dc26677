#!/usr/bin/env bash
# Fuzzes casenote's input readers with libFuzzer: builds the fuzz/ targets with clang, ASan and
# UBSan into build-fuzz/, makes seed corpora from samples/, then runs each target in turn.
#
#   scripts/fuzz.sh [SECONDS] [RUN...]
#
# SECONDS is each run's length (default 60). RUN names which to run (default all): png, jpeg,
# tiff (fuzz_raster_pages from each format's seeds), pdf, csv, text (fuzz_extract_fields), http
# (fuzz_http_request: requests to the review workstation, in process).
# Each run keeps its growing corpus in build-fuzz/corpus/RUN and writes any crashing input to
# build-fuzz/crashes/RUN/ (crashes, leaks, timeouts over 20 s, memory over 2.5 GB). A summary
# table ends the output (wall seconds, libFuzzer's executed units, inputs in the crash folder);
# the exit status is 1 if any run left one. Crashing inputs belong in tests/regression_inputs/ with a test once fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
runs=("$@")
((${#runs[@]})) || runs=(png jpeg tiff pdf csv text http)

./scripts/install-deps.sh
command -v clang++ >/dev/null || {
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang
}

out=build-fuzz
CC=clang CXX=clang++ cmake -S . -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCASENOTE_FUZZ=ON \
  -DCASENOTE_TESTS=OFF >/dev/null
cmake --build "$out" -j"$(nproc)" --target fuzz_raster_pages fuzz_pdf_pages fuzz_patient_csv fuzz_extract_fields \
  fuzz_http_request
[[ -d $out/seeds/http ]] || /usr/bin/python3 fuzz/make_seeds.py samples "$out/seeds"

target_of() {
  case $1 in
    png | jpeg | tiff) echo fuzz_raster_pages ;;
    pdf) echo fuzz_pdf_pages ;;
    csv) echo fuzz_patient_csv ;;
    text) echo fuzz_extract_fields ;;
    http) echo fuzz_http_request ;;
    *) echo "fuzz.sh: unknown run '$1'" >&2; exit 2 ;;
  esac
}

summary=()
found=0
for run in "${runs[@]}"; do
  target=$(target_of "$run")
  mkdir -p "$out/corpus/$run" "$out/crashes/$run"
  log="$out/fuzz-$run.log"
  echo "fuzz.sh: $target on $run seeds for ${seconds}s (log: $log)"
  start=$SECONDS
  # libFuzzer exits non-zero on a crash; the summary reports it, so the loop goes on.
  OMP_THREAD_LIMIT=1 ASAN_OPTIONS=detect_leaks=1 "$out/fuzz/$target" -max_total_time="$seconds" \
    -timeout=20 -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$out/crashes/$run/" \
    "$out/corpus/$run" "$out/seeds/$run" >"$log" 2>&1 || true
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  time=$((SECONDS - start))
  crashes=$(find "$out/crashes/$run" -type f | wc -l)
  ((crashes == 0)) || found=1
  summary+=("$(printf '%-6s %-20s %8s %12s %8s' "$run" "$target" "$time" "${executions:-?}" "$crashes")")
done

printf '\n%-6s %-20s %8s %12s %8s\n' run target seconds executions crashes
printf '%s\n' "${summary[@]}"
exit $found
