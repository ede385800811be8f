# The two commands a new machine needs (see README):
#   make run    install the app and start it on http://localhost:8501 (`make chromium` adds the image exports)
#   make test   install the test tools (Debian's Chromium, nginx and PostgreSQL included) and run the whole suite
#   make cluster  SERVERS app servers (default 3) behind Debian's nginx on http://127.0.0.1:8080
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SERVERS ?= 3
CLUSTER_PORT ?= 8080
CLUSTER_HOST ?= 127.0.0.1
# The tests run on pytest-xdist workers, each with its own streamlit server and Chromium for the browser
# tests; two suit a 2-core machine (`make test WORKERS=4` for more). worksteal: a worker that is done
# takes tests from the other, so one long browser test does not leave a core idle.
WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(WORKERS) --dist worksteal
# Every worker imports the same modules and rewrites the same test files: let Python keep the compiled
# files (in __pycache__, ignored by git) even where the environment says not to.
unexport PYTHONDONTWRITEBYTECODE
# apt waits up to 2 minutes for a lock another install holds, then stops with one line saying why.
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -qq -o DPkg::Lock::Timeout=120
APT_FAILED := echo "make: apt-get failed; if another install holds the package lock, run this again when it is done" >&2; exit 1

.PHONY: run test test-fast lint bench load load-quick capacity install install-test chromium nginx postgresql cluster npm clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) deploy/install_fonts.py || echo "make: the exports fall back to DejaVu Sans (see the line above)" >&2
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test chromium nginx postgresql node_modules/.installed

# axe-core (accessibility checks in the browser tests), pinned in package.json / package-lock.json and
# installed under node_modules/ here; node and npm come from Debian when missing.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's nodejs and npm for the accessibility tests..."; \
	  { $(APT) update && $(APT) install -y nodejs npm >/dev/null; } || { $(APT_FAILED); }; }
	npm ci --no-audit --no-fund --silent
	touch $@

npm: node_modules/.installed

# Playwright's own browser download does not work here: the tests drive Debian's Chromium. The app
# runs without it; only its PNG, SVG and PDF exports need it.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests and the image exports..."; \
	  { $(APT) update && $(APT) install -y chromium >/dev/null; } || { $(APT_FAILED); }; }

# Debian's nginx, for `make cluster` and the tests that run it (tests/test_cluster.py). It is run as a
# private instance from a temp folder, never as the system service (which apt may start on port 80).
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
	  echo "Installing Debian's nginx for make cluster and its tests..."; \
	  { $(APT) update && $(APT) install -y nginx >/dev/null; } || { $(APT_FAILED); }; }

# The class store's tests start a private PostgreSQL server of their own from Debian's package
# (tests/support/postgres.py); the packaged cluster is not used.
postgresql:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the class store's tests..."; \
	  { $(APT) update && $(APT) install -y postgresql >/dev/null; } || { $(APT_FAILED); }; }

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

# The full Hypothesis profile (every property's whole example count) for `make test` and CI; a fifth of
# the examples for the quick run (profiles in tests/conftest.py).
# Lint first, so CI (which runs `make test`) checks it too.
test: install-test lint
	HYPOTHESIS_PROFILE=full $(PYTEST)

test-fast: install-test
	HYPOTHESIS_PROFILE=fast $(PYTEST) -m "not browser and not cluster and not server"

# Several servers behind nginx, as deploy/compose.yaml runs them but without Docker (deploy/cluster.py);
# Ctrl-C stops them all. `make cluster SERVERS=5 CLUSTER_HOST=0.0.0.0` serves a class over the network.
cluster: install nginx
	$(PY) deploy/cluster.py --servers $(SERVERS) --port $(CLUSTER_PORT) --host $(CLUSTER_HOST)

# Not part of the tests: measures rerun cost, browser timings, payload, growth and memory
# against a baseline app in the same run, and writes bench/results.md.
bench: install-test
	$(PY) bench/run.py

# A class on one local server: 60 websocket sessions (half exploring, half taking the shared quiz) and a
# presenter, each acting every 3-7 s, then the baseline app under the same class; 5 minutes of class
# time, then a live class of 60 (bench/load_live.py: projector and students polling, all answering one
# question within 5 s); stops by itself; writes bench/load_results.md and ends with one line of JSON.
# `make load-quick`: 30 sessions for 60 s and a live class of 30 (bench/load_results_quick.md). `make load REPLICAS=2`: the same through nginx in
# front of 2 servers (deploy/cluster.py); writes bench/load_results_replicas2.md.
load: install-test
	$(PY) bench/load.py $(if $(REPLICAS),--replicas $(REPLICAS))

load-quick: install-test
	$(PY) bench/load.py --quick $(if $(REPLICAS),--replicas $(REPLICAS))

# How many students one server holds (issue 29; bench/capacity.py). Not part of the tests. The load's class
# (half exploring, half on the shared quiz, and the presenter; 3-7 s think time; all opening at once) at 60,
# 120, 200, 300 and 400 sessions, 60 s each, each step on a fresh server, the baseline app under the same class
# beside it; a step over 5 s p95 or 20 % errors ends the ramp. Reports each step (p50/p95, errors, server CPU
# and RSS, the load generator's CPU, the server pids) and the knee: the largest class with p95 <= 1 s and 0
# errors. One server (bench/capacity_results.md), then 2 behind nginx (bench/capacity_results_replicas2.md):
# about half an hour of a busy machine, so run it alone. `make capacity REPLICAS=N`: only N servers (1: one
# server alone); `PROFILE=1`: a py-spy flame graph of each step's servers in bench/.work/.
capacity: install-test
	$(if $(REPLICAS),,$(PY) bench/capacity.py $(if $(PROFILE),--profile) &&) \
	$(PY) bench/capacity.py --replicas $(or $(REPLICAS),2) $(if $(PROFILE),--profile)

# ruff over everything; mypy over the package (src/, settings in pyproject.toml).
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache node_modules
