# One entry point for newcomers, CI and the ops team. Everything runs from the project's own venv.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Parallel workers for the test suite; tests are independent (own ports, databases, streams).
# Most tests wait on real servers rather than compute, so a 2-core machine runs 4 workers well.
TEST_WORKERS ?= 4

PACKAGES := libs/protos libs/common services/intake services/referrals services/coordination services/reporting

.PHONY: run test proto lock bench install clean-data rebuild-reporting

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): $(PY) requirements.txt $(foreach p,$(PACKAGES),$(p)/pyproject.toml)
	$(PY) -m pip install --quiet -r requirements.txt $(foreach p,$(PACKAGES),-e $(p))
	touch $(STAMP)

install: $(STAMP)

## run: start NATS, the four services on SQLite, demo data; prints URLs and demo logins
run: $(STAMP)
	$(PY) -m hotline_common.devstack.run

## test: install what the tests need and run them all
test: $(STAMP)
	bash scripts/install-test-deps.sh
	bash scripts/checkov.sh --install-only
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

## proto: regenerate libs/protos from proto/ (the only way generated code changes)
proto: $(PY)
	$(PY) -m pip install --quiet grpcio-tools==1.85.1
	$(PY) scripts/gen_protos.py libs/protos/src

## lock: re-resolve the images' hashed dependency lock (deploy/images/requirements.lock)
lock: $(STAMP)
	bash scripts/lock_images.sh

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
