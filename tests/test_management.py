"""create_api_token and the admin login that `make run` prints."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from crm.core.models import ApiToken, token_hash
from crm.core.services import admin_login_ensure
from crm.core.tests.factories import UserFactory


@pytest.mark.django_db
def test_create_api_token_prints_a_working_token_and_stores_only_its_hash() -> None:
    UserFactory(username="clerk")
    out = StringIO()
    call_command("create_api_token", "clerk", "--name", "vue page", stdout=out)
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(raw) != raw
    assert token.name == "vue page"
    assert raw not in str(ApiToken.objects.values_list()[0])
    response = Client().get("/api/technicians", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    wrong = Client().get("/api/technicians", headers={"Authorization": f"Bearer {raw}x"})
    assert wrong.status_code == 401


@pytest.mark.django_db
def test_create_api_token_refuses_an_unknown_user() -> None:
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("create_api_token", "ghost")
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_generated_admin_password_is_kept_and_reused(tmp_path: Path) -> None:
    password_file = tmp_path / "admin-password"
    first = admin_login_ensure(username="admin", password="", password_file=password_file)
    second = admin_login_ensure(username="admin", password="", password_file=password_file)
    # printed when generated; later starts name the file, not the password
    assert first.password_shown == password_file.read_text()
    assert second.password_shown == f"(the one generated at the first start, in {password_file})"
    assert (
        authenticate(
            RequestFactory().post("/login/"), username="admin", password=first.password_shown
        )
        is not None
    )


@pytest.mark.django_db
def test_admin_password_from_the_environment_wins_at_every_start(tmp_path: Path) -> None:
    password_file = tmp_path / "admin-password"
    admin_login_ensure(username="admin", password="", password_file=password_file)
    shown = admin_login_ensure(
        username="admin", password="s3cret-pass", password_file=password_file
    )
    assert "ADMIN_PASSWORD" in shown.password_shown
    assert "s3cret-pass" not in shown.password_shown
    assert (
        authenticate(RequestFactory().post("/login/"), username="admin", password="s3cret-pass")
        is not None
    )
    # The file's password no longer matches: it is not printed as if it worked.
    again = admin_login_ensure(username="admin", password="", password_file=password_file)
    assert "unchanged" in again.password_shown


def test_var_and_its_secrets_are_created_for_their_owner_only(tmp_path: Path) -> None:
    # given a permissive umask, as many machines have
    var_dir = tmp_path / "new" / "var"
    environment = {**os.environ, "VAR_DIR": str(var_dir), "SECRET_KEY": ""}
    environment.pop("DATABASE_URL", None)
    # when settings are loaded for the first time and the admin password is generated
    script = (
        "import django; django.setup(); from pathlib import Path; "
        "from django.conf import settings; from crm.core.private_files import private_text_once; "
        "private_text_once(settings.VAR_DIR / 'admin-password', make='x')"
    )
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[1],
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
        timeout=120,
        preexec_fn=lambda: os.umask(0o022),
    )
    # then
    modes = {
        name: oct(path.stat().st_mode & 0o777)
        for name, path in {
            "var": var_dir,
            "secret_key": var_dir / "secret_key",
            "admin-password": var_dir / "admin-password",
        }.items()
    }
    assert modes == {"var": "0o700", "secret_key": "0o600", "admin-password": "0o600"}
