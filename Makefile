# ServiceCRM: two commands on a fresh machine.
#   make run   install, migrate, seed demo data, start web + worker
#   make test  install test needs, lint, type-check, run the whole suite
#
# Two environments, so test and lint tools never reach the one that serves:
#   .venv-run  requirements.lock      (runtime only; `make run`)
#   .venv      requirements-dev.lock  (runtime + tests, lint, types; `make test`, CI)
# Both locks pin every package by version and sha256 hash (uv pip compile --generate-hashes).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUN_VENV := .venv-run
STAMP := $(VENV)/.installed-$(shell sha1sum requirements-dev.lock | cut -c1-12)
RUN_STAMP := $(RUN_VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install install-run lint types pytest browser axe ocr clean lock

run: install-run ocr
	$(RUN_VENV)/bin/python manage.py serve

test: install browser axe ocr lint types pytest

install: $(STAMP)
install-run: $(RUN_STAMP)

# $(call sync,venv,lock): make the venv hold exactly the lock's packages, hashes checked.
define sync
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
	@$(1)/bin/pip install -q --disable-pip-version-check uv || true
	@if [ -x $(1)/bin/uv ]; then \
		$(1)/bin/uv pip sync -q --require-hashes --python $(1)/bin/python $(2) && \
		$(1)/bin/uv pip install -q --python $(1)/bin/python uv; \
	else \
		$(1)/bin/pip install -q --require-hashes -r $(2); \
	fi
	@rm -f $(1)/.installed-*
	@touch $@
endef

$(STAMP): requirements-dev.lock
	$(call sync,$(VENV),requirements-dev.lock)

$(RUN_STAMP): requirements.lock
	$(call sync,$(RUN_VENV),requirements.lock)

# After editing requirements.in or requirements-dev.in: both locks, with hashes.
lock: install
	$(VENV)/bin/uv pip compile -q --generate-hashes requirements.in -o requirements.lock
	$(VENV)/bin/uv pip compile -q --generate-hashes requirements-dev.in -c requirements.lock -o requirements-dev.lock

# Browser tests drive Debian's chromium; install it when missing and we may.
browser:
	@if [ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "chromium is missing: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH); browser tests will be skipped."; \
	fi

# Reading nameplate photos runs Debian's Tesseract (English and Spanish); install it when missing
# and we may.
ocr:
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx spa; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's tesseract-ocr for reading nameplate photos..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-spa >/dev/null; \
	else \
		echo "tesseract is missing: run 'sudo apt-get install tesseract-ocr tesseract-ocr-spa'; nameplate reading answers 422 and its tests are skipped."; \
	fi

# The accessibility check in the browser tests injects axe-core, pinned in package-lock.json.
axe:
	@if [ -f node_modules/axe-core/axe.min.js ]; then exit 0; fi; \
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm is missing: install Node.js and npm; the accessibility browser tests will be skipped."; fi

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
	rm -rf $(VENV) $(RUN_VENV) .pytest_cache .mypy_cache .ruff_cache
