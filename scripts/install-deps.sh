#!/usr/bin/env bash
# Installs casenote's build and test dependencies from Debian 12's packages.
# Only what is missing is installed, so a second run costs a few dpkg queries.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build ccache
  libtesseract-dev tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd libleptonica-dev
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
  libpodofo-dev libjbig2dec0-dev liblcms2-dev libsqlite3-dev libpq-dev libssl-dev libtiff-dev zlib1g-dev
  libcli11-dev nlohmann-json3-dev libfmt-dev libzxing-dev
  catch2
  # The statistics chart's test reads the SVG with a real XML parser.
  libxml2-dev
  poppler-utils
  # The evaluation set's generator (samples/generate_eval.py), run by the [eval] test and bench_extract.
  python3-pil python3-numpy python3-img2pdf fonts-dejavu-core fonts-liberation2
  # The review workstation (casenote serve): HTTP, password hashing, and its browser tests' Chromium.
  libcpp-httplib-dev libsodium-dev chromium
  # The PostgreSQL store's tests start a throwaway server of their own (initdb, pg_ctl).
  postgresql
)
# Node runs the browser tests; any node >= 18 will do, so one already installed is kept.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [[ $(id -u) -ne 0 ]] && sudo="sudo"
  echo "casenote: installing ${missing[*]}"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The browser tests' driver, playwright-core, at the version web/package-lock.json pins.
web="$(dirname "$0")/../web"
if [[ ! -f $web/node_modules/.package-lock.json || $web/package-lock.json -nt $web/node_modules/.package-lock.json ]]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
