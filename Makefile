# Two commands on a fresh machine: `make run` (dashboard) and `make test` (everything tested).
VENV   := .venv
PY     := $(VENV)/bin/python
PYSTAMP := $(VENV)/.installed
ASSETS := static/vendor/.installed

.PHONY: run test setup system-deps lint fmt bench validate serve-office

setup: $(PYSTAMP) $(ASSETS)

$(PYSTAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(ASSETS): package.json package-lock.json geo/assets.py $(wildcard geo/web/*) $(wildcard geo/data/*.pmtiles) $(PYSTAMP)
	npm ci --no-audit --no-fund --loglevel=error
	$(PY) scripts/vendor_assets.py
	touch $@

system-deps:
	scripts/install-system-deps.sh

run: setup
	$(PY) -m streamlit run dashboard.py

# N replicas behind HAProxy with sticky sessions, one PostgreSQL (DATABASE_URL, else a cluster
# of its own in .office/): docs/deployment.md. Needs Debian's haproxy and postgresql.
REPLICAS ?= 3
OFFICE_PORT ?= 8500
OFFICE_HOST ?= 127.0.0.1
serve-office: setup
	$(PY) -m office.serve --replicas $(REPLICAS) --port $(OFFICE_PORT) --host $(OFFICE_HOST)

test: setup system-deps
	$(PY) -m ruff check .
	npx --no-install eslint geo/web/
	$(PY) -m mypy
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check .
	npx --no-install eslint geo/web/
	$(PY) -m ruff format --check .
	$(PY) -m mypy

fmt: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

validate: setup
	$(PY) -m geo validate corridors.yaml

bench: setup system-deps
	$(PY) -m bench
