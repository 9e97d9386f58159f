# The README's commands. Every target installs what it needs first, so each one
# works from a fresh clone; stamp files keep a second run quick.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON_SYSTEM ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
# Two cores on every machine we run on (docs/adr/0003-testing.md): -n auto gives two workers.
WORKERS ?= auto
PYTEST := $(PY) -m pytest -p no:cacheprovider
HOST ?= 127.0.0.1
PORT ?= 8000

VENV_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
STATIC_STAMP := inclusion/static/build/.built
STATIC_SOURCES := $(shell find inclusion/static_src -type f 2>/dev/null) scripts/build_static.sh

fonts: ## Liberation Sans for PDF and Word reports (Debian's fonts-liberation2, if missing)
	bash scripts/fonts.sh

.PHONY: help install fonts static migrate demo run test test-sqlite test-postgres test-browser lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: $(VENV_STAMP) $(NODE_STAMP) $(STATIC_STAMP) fonts ## Python venv, npm packages, the built CSS/JS and report fonts

$(VENV_STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_STAMP): $(NODE_STAMP) $(STATIC_SOURCES)
	bash scripts/build_static.sh
	@touch $@

static: $(NODE_STAMP) ## Rebuild the CSS and JavaScript
	bash scripts/build_static.sh
	@touch $(STATIC_STAMP)

migrate: install ## Apply migrations to the local SQLite database
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo partnership, users and the two seed plans (idempotent)
	$(PY) manage.py load_demo

run: demo ## Install, migrate, load the demo and serve on http://127.0.0.1:8000
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop). Demo logins are listed above."
	$(PY) manage.py runserver $(HOST):$(PORT)

test: test-sqlite test-postgres test-browser ## Every test on SQLite, again on PostgreSQL, then the browser tests

test-sqlite: install ## The suite (not the browser tests) on SQLite
	$(PYTEST) -n $(WORKERS) -m "not browser"

test-postgres: install ## The suite (not the browser tests) on a throwaway PostgreSQL cluster
	bash scripts/postgres.sh $(PYTEST) -n $(WORKERS) -m "not browser"

test-browser: install ## Chromium + axe accessibility checks and journeys
	bash scripts/chromium.sh
	$(PYTEST) -n $(WORKERS) -m browser

lint: install ## ruff check, ruff format --check, and no missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## The benchmarks in bench/ (bench/run.py; BENCH_ARGS=--quick for a short run)
	@if [ -f bench/run.py ]; then $(PY) bench/run.py $(BENCH_ARGS); \
	elif [ -f bench/run.sh ]; then bash bench/run.sh; \
	else echo "bench: no bench/run.py or bench/run.sh yet"; fi

clean: ## Remove the built assets and stamps (keeps .venv, node_modules and the database)
	rm -rf inclusion/static/build staticfiles $(VENV_STAMP) $(NODE_STAMP)
