# portal-monitor: the two commands a newcomer needs are `make demo` and `make test`.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: help venv test quick demo chromium lint messages clean

help:
	@echo "make demo   - set up and run the monitor on the bundled sample portal"
	@echo "make test   - set up and run the whole test suite"
	@echo "make lint   - ruff, the layer contract (import-linter) and the types (mypy)"
	@echo "make quick  - the tests not marked slow, on every core: the loop while working"

# The venv is (re)built when it is missing or pyproject.toml changed.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Browser tests need Chromium; this finds one or installs Debian's where it can.
chromium:
	@scripts/ensure-chromium

test: $(STAMP) chromium
	$(PY) -m pytest

# The developer's loop: every test not marked slow, one worker a core (pytest-xdist).
quick: $(STAMP)
	$(PY) -m pytest -m "not slow" -n auto

# The sample portal on loopback, a first crawl and replayed nights, a unit check, the monthly
# report and the weekly alerts (dry run); everything is written under out/demo/.
demo: $(STAMP)
	$(VENV)/bin/monitor config check --config config/sample.yaml
	$(VENV)/bin/monitor demo --out out/demo

# Re-extract the texts people read and recompile both catalogues (monitor/i18n.py); then
# translate the new entries in monitor/locale/*/LC_MESSAGES/monitor.po and run it again.
messages: $(STAMP)
	$(PY) scripts/messages.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy

clean:
	rm -rf var out .pytest_cache
