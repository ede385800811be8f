# The two commands a new machine needs (see README):
#   make run    install the app and start it on http://localhost:8501
#   make test   install the test tools (Debian's Chromium included) and run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The tests run on pytest-xdist workers, each with its own streamlit server and Chromium for the browser
# tests; two suit a 2-core machine (`make test WORKERS=4` for more). worksteal: a worker that is done
# takes tests from the other, so one long browser test does not leave a core idle.
WORKERS ?= 2
PYTEST := $(PY) -m pytest -n $(WORKERS) --dist worksteal
# Every worker imports the same modules and rewrites the same test files: let Python keep the compiled
# files (in __pycache__, ignored by git) even where the environment says not to.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test test-fast lint bench load install install-test chromium npm clean

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.txt
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test chromium node_modules/.installed

# axe-core (accessibility checks in the browser tests), pinned in package.json / package-lock.json and
# installed under node_modules/ here; node and npm come from Debian when missing.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's nodejs and npm for the accessibility tests..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	npm ci --no-audit --no-fund --silent
	touch $@

npm: node_modules/.installed

# Playwright's own browser download does not work here: the tests drive Debian's Chromium.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

run: install chromium
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

# The full Hypothesis profile (every property's whole example count) for `make test` and CI; a fifth of
# the examples for the quick run (profiles in tests/conftest.py).
# Lint first, so CI (which runs `make test`) checks it too.
test: install-test lint
	HYPOTHESIS_PROFILE=full $(PYTEST)

test-fast: install-test
	HYPOTHESIS_PROFILE=fast $(PYTEST) -m "not browser"

# Not part of the tests: measures rerun cost, browser timings, payload, growth and memory
# against a baseline app in the same run, and writes bench/results.md.
bench: install-test
	$(PY) bench/run.py

# A full classroom: up to 50 websocket sessions against one local server, with the baseline app in the
# same run (a few minutes, stops by itself); writes bench/load_results.md.
load: install-test
	$(PY) bench/load.py

# ruff over everything; mypy over the package (src/, settings in pyproject.toml).
lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache .mypy_cache node_modules
