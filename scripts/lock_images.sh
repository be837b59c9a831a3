#!/usr/bin/env bash
# Resolve the services' third-party dependencies into deploy/images/requirements.lock, every one
# pinned with its hashes; the images install from it with --require-hashes. Run after changing a
# dependency in a pyproject.toml (`make lock`), and commit the result.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install --quiet pip-tools==7.6.2
.venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
  --no-emit-find-links -o deploy/images/requirements.lock deploy/images/requirements.in
# Our own packages are copied into the image and installed with --no-deps; they have no hash.
python3 - <<'PY'
import re
from pathlib import Path

path = Path("deploy/images/requirements.lock")
text = path.read_text()
text = re.sub(r"(?m)^# WARNING: pip install will require.*\n^# Consider using a hashable URL.*\n", "", text)
text = re.sub(r"(?m)^-e file:.*\n(^    #.*\n)*", "", text)
path.write_text(text)
PY
echo "deploy/images/requirements.lock: $(grep -c '^[a-z]' deploy/images/requirements.lock) packages"
