#!/usr/bin/env bash
# ruff (lint + format check) and mypy with the committed configs (pyproject.toml [tool.ruff],
# [tool.mypy]): libs/common under --strict, the services under the documented baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
"$bin/ruff" check .
"$bin/ruff" format --check .
"$bin/mypy"
