#!/usr/bin/env bash
# `make lock`: re-resolve the one lock (uv.lock) after a dependency changed in any pyproject.toml,
# and derive from it the image's build tool pin (deploy/images/build-tools.txt: uv, with its hashes).
# Commit both. tests/test_shipped_packages.py fails when either is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=.venv/bin/uv
"$uv" lock
{
  echo "# uv for the image's build stage, pinned and hashed from uv.lock by scripts/lock.sh (make lock)."
  "$uv" export --frozen --only-group dev --no-emit-workspace --no-header --no-annotate \
    | awk '/^uv==/{keep=1; print; next} keep && /^ /{print; next} {keep=0}'
} > deploy/images/build-tools.txt
echo "uv.lock: $(grep -c '^name = ' uv.lock) packages; deploy/images/build-tools.txt: $(head -2 deploy/images/build-tools.txt | tail -1)"
