#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages, from Debian's packages: chromium (the
# Playwright browser tests use executable_path=/usr/bin/chromium), poppler-utils (pdftotext and
# pdftoppm read the PDFs the services render), fonts-dejavu-core (the PDFs embed DejaVu Sans).
# Idempotent. It never runs `playwright install` (that downloads Playwright's own browser builds,
# which is neither possible nor needed here).
set -euo pipefail

# package: a file it provides, to tell whether it is already there
declare -A NEEDED=(
    [chromium]=/usr/bin/chromium
    [poppler-utils]=/usr/bin/pdftotext
    [fonts-dejavu-core]=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
)

missing=()
for package in "${!NEEDED[@]}"; do
    [ -e "${NEEDED[$package]}" ] || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-test-deps: chromium, poppler-utils and fonts-dejavu-core already present"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-test-deps: not root and no sudo; cannot install ${missing[*]}" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

for package in "${missing[@]}"; do
    if [ ! -e "${NEEDED[$package]}" ]; then
        echo "install-test-deps: $package installed but ${NEEDED[$package]} is missing" >&2
        exit 1
    fi
done
echo "install-test-deps: installed ${missing[*]}"
