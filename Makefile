# One entry point for newcomers, CI and the ops team. Everything runs from the project's own venv,
# installed from the one hashed lock (uv.lock) that the images install from too.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
UV     := $(VENV)/bin/uv
# uv itself is in the lock (dev group); this bootstrap pin must equal it (tests/test_shipped_packages.py checks).
UV_VERSION := 0.13.9
STAMP  := $(VENV)/.installed
# Parallel workers for the test suite; tests are independent (own ports, databases, streams).
# Most tests wait on real servers rather than compute, so a 2-core machine runs 4 workers well.
TEST_WORKERS ?= 4
# Never download a Python: use the machine's python3.11.
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

MEMBERS := libs/protos libs/common libs/devstack services/intake services/referrals services/coordination services/reporting

.PHONY: run test test-deps checkov lint proto messages lock bench install clean-data rebuild-reporting

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet uv==$(UV_VERSION)

# Exactly the lock: every workspace package editable, the dev tools; --locked fails when a
# pyproject.toml changed without `make lock`.
$(STAMP): $(UV) uv.lock pyproject.toml $(foreach p,$(MEMBERS),$(p)/pyproject.toml)
	$(UV) sync --locked --all-packages --python $(PY)
	touch $(STAMP)

install: $(STAMP)

## run: start NATS, the four services on SQLite, demo data; prints URLs and demo logins
run: $(STAMP)
	$(PY) -m hotline_devstack.run

## test: install what the tests need, lint, type-check and run them all
test: $(STAMP)
	$(MAKE) --no-print-directory -j3 --output-sync=target test-deps checkov lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=15 $(PYTEST_ARGS)

# What the suite needs besides the venv: Debian's chromium, poppler and fonts, and checkov's own venv.
# They download while lint runs (make test runs the three side by side).
test-deps:
	bash scripts/install-test-deps.sh

checkov:
	bash scripts/checkov.sh --install-only

## lint: ruff (lint and format check) and mypy, with the committed configs
lint: $(STAMP)
	bash scripts/lint.sh

## proto: regenerate libs/protos from proto/ (the only way generated code changes)
proto: $(STAMP)
	$(PY) scripts/gen_protos.py libs/protos/src

## messages: add the msgids Babel extracts from the sources to every locales/<lang>.po (then translate them)
messages: $(STAMP)
	$(PY) -m hotline_devstack.messages update

## lock: re-resolve uv.lock after changing a dependency in any pyproject.toml (and the image's uv pin); commit both
lock: $(UV)
	bash scripts/lock.sh

## bench: end-to-end throughput and latency (not a test)
bench: $(STAMP)
	$(PY) bench/e2e.py

## rebuild-reporting: drop reporting's projections and replay every stream from the start
## (against `make run`'s NATS and SQLite store by default; stop reporting first)
rebuild-reporting: $(STAMP)
	DATABASE_URL=$${REPORTING_DATABASE_URL:-sqlite+aiosqlite:///$(CURDIR)/.data/db/reporting.db} \
	NATS_URL=$${NATS_URL:-nats://127.0.0.1:$${NATS_PORT:-4222}} \
	AUTH_PUBLIC_KEY_FILE=$${AUTH_PUBLIC_KEY_FILE:-$(CURDIR)/.data/secrets/issuer.pub.pem} \
	$(PY) -m reporting rebuild

## clean-data: forget everything `make run` stored (NATS streams, databases, secrets, logs)
clean-data:
	rm -rf .data
