#!/usr/bin/env bash
# Installs what the test suite needs beyond Python packages: Debian's chromium, used by the
# Playwright browser tests through executable_path=/usr/bin/chromium. Idempotent. It never runs
# `playwright install` (that downloads Playwright's own browser builds, which is neither possible
# nor needed here).
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
    echo "install-test-deps: chromium already present ($CHROMIUM)"
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "install-test-deps: not root and no sudo; cannot install chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq >/dev/null
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null

if [ ! -x "$CHROMIUM" ]; then
    echo "install-test-deps: chromium installed but $CHROMIUM is missing" >&2
    exit 1
fi
echo "install-test-deps: installed chromium ($("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM"))"
