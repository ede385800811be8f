# The two commands a new machine needs (see README):
#   make run    install the app and start it on http://localhost:8501 (`make chromium` adds the image exports)
#   make test   install the test tools (Debian's Chromium included) and run the whole suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# apt waits up to 2 minutes for a lock another install holds, then stops with one line saying why.
APT := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get -qq -o DPkg::Lock::Timeout=120
APT_FAILED := echo "make: apt-get failed; if another install holds the package lock, run this again when it is done" >&2; exit 1

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

run: install
	$(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

test: install-test
	$(PY) -m pytest

test-fast: install-test
	$(PY) -m pytest -m "not browser"

# Not part of the tests: measures rerun cost, browser timings, payload, growth and memory
# against a baseline app in the same run, and writes bench/results.md.
bench: install-test
	$(PY) bench/run.py

# A full classroom: up to 50 websocket sessions against one local server, with the baseline app in the
# same run (a few minutes, stops by itself); writes bench/load_results.md.
load: install-test
	$(PY) bench/load.py

lint: install-test
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) test-artifacts .pytest_cache node_modules
