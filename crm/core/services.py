"""Writes shared by every app: API tokens and the admin account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from crm.core.models import ApiToken, token_hash
from crm.core.private_files import private_text_once


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key, which is shown once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=token_hash(raw))
    return token, raw


@transaction.atomic
def admin_user_ensure(*, username: str, password: str) -> tuple[User, bool]:
    """Make sure a superuser `username` exists; set its password only when it is created."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    created = user_model.objects.create_superuser(username=username, email="", password=password)
    return created, True


@dataclass(frozen=True)
class AdminLogin:
    username: str
    password_shown: str


def admin_login_ensure(*, username: str, password: str, password_file: Path) -> AdminLogin:
    """The admin account `make run` prints.

    With `password` (ADMIN_PASSWORD) the account gets that password at every start. Without it a
    password is generated once, kept in `password_file` (outside the repository, readable by the
    owner only) and used when the account is created; an existing account keeps its password.
    """
    if password:
        user, _ = admin_user_ensure(username=username, password=password)
        user.set_password(password)
        user.save(update_fields=["password"])
        return AdminLogin(username, "(from ADMIN_PASSWORD)")
    generated = private_text_once(password_file, make=secrets.token_urlsafe(12))
    user, created = admin_user_ensure(username=username, password=generated)
    if created:
        # Printed once, when it is made; later starts point at the file instead.
        return AdminLogin(username, generated)
    if user.check_password(generated):
        return AdminLogin(username, f"(the one generated at the first start, in {password_file})")
    return AdminLogin(username, "(unchanged; set ADMIN_PASSWORD to reset it)")
