"""The documented production settings pass Django's deployment checks, and every page carries
the Content-Security-Policy (the browser tests in tests/e2e run under it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]
# As docs/operations.md's production checklist sets them.
PRODUCTION = {
    "SECRET_KEY": "k" * 20 + "a-long-random-production-secret-key-for-the-check",
    "ALLOWED_HOSTS": "crm.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://crm.example.com",
    "PUBLIC_BASE_URL": "https://crm.example.com",
    "HTTPS": "true",
    "BEHIND_PROXY": "true",
}


def _deploy_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        },
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "VAR_DIR": str(tmp_path),
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_the_documented_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    result = _deploy_check(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_laptop_defaults_do_not_pass_check_deploy(tmp_path: Path) -> None:
    result = _deploy_check(tmp_path)
    assert result.returncode == 1
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no SSL redirect


def test_a_real_channel_with_a_local_public_address_stops_the_check(tmp_path: Path) -> None:
    result = _deploy_check(
        tmp_path,
        **(
            PRODUCTION
            | {"EMAIL_HOST": "smtp.example.com", "PUBLIC_BASE_URL": "http://127.0.0.1:8000"}
        ),
    )
    assert result.returncode == 1
    assert "messaging.E004" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_policy_without_inline_script_style_or_eval(staff_client: Client) -> None:
    policy = staff_client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "frame-ancestors" in directives
    assert "unsafe" not in policy


def test_secure_behind_a_proxy(tmp_path: Path) -> None:
    script = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings",
                   "VAR_DIR": str(tmp_path), "BEHIND_PROXY": "true"}  # fmt: skip
    output = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=True,
    ).stdout  # fmt: skip
    assert output.strip().splitlines()[-1] == "('HTTP_X_FORWARDED_PROTO', 'https')"
