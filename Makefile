# Jiequ: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
JIEQU := $(BIN)/jiequ
PO := $(wildcard src/jiequ/locale/*/LC_MESSAGES/*.po)

.PHONY: setup run test lint format bench bench-scale messages lock makemessages clean

setup: $(VENV)/.installed node_modules/.installed messages

# Python packages pinned by requirements.lock (regenerate it with `make lock`).
$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# htmx, Leaflet and ECharts from the npm registry, pinned by package-lock.json, served locally.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(JIEQU) compilepo

run: setup
	$(JIEQU) migrate --noinput
	$(JIEQU) demo
	$(JIEQU) serve

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: setup
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

# Foundation timings; the matcher beside rapidfuzz and splink; the partition planner beside
# spopt, k-means-constrained and KMeans (see docs/benchmarks.md).
bench: setup
	$(BIN)/python bench/run.py
	$(BIN)/python bench/match_bench.py
	$(BIN)/python bench/partition_bench.py
	$(BIN)/python bench/partition_bench.py --unseen

bench-scale: setup
	$(BIN)/python bench/match_bench.py --scale
	$(BIN)/python bench/partition_bench.py --city

lock: $(VENV)/.installed
	$(BIN)/pip-compile --quiet --extra dev --extra bench --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

# Regenerate the translation catalogue after changing strings (needs GNU gettext).
makemessages: setup
	cd src/jiequ && ../../$(JIEQU) makemessages -l zh_Hans --no-obsolete --no-location

clean:
	rm -rf $(VENV) node_modules var/static
