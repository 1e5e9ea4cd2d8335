# ServiceCRM: two commands on a fresh machine.
#   make run   install, migrate, seed demo data, start web + worker
#   make test  install test needs, lint, type-check, run the whole suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install lint types pytest browser clean

run: install
	$(PY) manage.py serve

test: install browser lint types pytest

install: $(STAMP)

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check uv || true
	@if [ -x $(VENV)/bin/uv ]; then \
		$(VENV)/bin/uv pip sync -q --python $(PY) requirements.lock; \
	else \
		$(VENV)/bin/pip install -q -r requirements.lock; \
	fi
	@rm -f $(VENV)/.installed-*
	@touch $@

# Browser tests drive Debian's chromium; install it when missing and we may.
browser:
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH); browser tests will be skipped."; \
	fi

lint: install
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

types: install
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

# pytest exits 5 when it collected nothing (e.g. a -k filter): say so rather than fail silently.
pytest: install
	@$(VENV)/bin/pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests (exit 5): treated as a pass."; exit 0; fi; \
	exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
