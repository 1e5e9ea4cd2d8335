"""The locks pin every package by hash, and the runtime lock (`make run`) has no test tools."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV_TOOLS = {"pytest", "pytest-django", "pytest-xdist", "pytest-playwright", "playwright", "ruff",
             "mypy", "schemathesis", "hypothesis", "factory-boy", "import-linter", "aiosmtpd",
             "django-stubs"}  # fmt: skip


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    blocks = re.findall(r"^([a-z0-9][\w.-]*)==(\S+)((?:\s*\\\n\s+--hash=sha256:\w+)*)", text, re.M)
    assert blocks
    unhashed = [name for name, _, hashes in blocks if "--hash=sha256:" not in hashes]
    assert unhashed == [], f"{lock}: no hash for {unhashed}"
    return {name.lower(): version for name, version, _ in blocks}


def test_both_locks_pin_every_package_with_a_hash() -> None:
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert {"django", "gunicorn", "django-axes", "django-csp"} <= set(runtime)
    # the test environment runs the very versions production runs
    assert {name: dev.get(name) for name in runtime} == runtime


def test_the_runtime_lock_has_no_test_or_lint_tools() -> None:
    runtime, dev = _pins("requirements.lock"), _pins("requirements-dev.lock")
    assert set(dev) >= DEV_TOOLS
    assert DEV_TOOLS & set(runtime) == set()


def test_make_run_and_make_test_use_separate_environments() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "$(RUN_VENV)/bin/python manage.py serve" in makefile
    assert "$(call sync,$(RUN_VENV),requirements.lock)" in makefile
    assert "$(call sync,$(VENV),requirements-dev.lock)" in makefile


def test_every_package_the_settings_import_is_in_the_runtime_lock() -> None:
    # given: what config/settings.py imports, and the apps it installs (make run loads both)
    import importlib.metadata

    from django.conf import settings

    source = (ROOT / "config" / "settings.py").read_text()
    imported = set(re.findall(r"^(?:import|from) (\w+)", source, re.M))
    modules = imported | {app.split(".")[0] for app in settings.INSTALLED_APPS}
    # then each third-party module's distribution is pinned for `make run` (.venv-run)
    owners = importlib.metadata.packages_distributions()
    needed = {
        dist.lower().replace("_", "-") for module in modules for dist in owners.get(module, [])
    }
    runtime = {name.replace("_", "-") for name in _pins("requirements.lock")}
    assert needed - runtime == set()
