"""Writes shared by every app: API tokens, a user's role, the admin account and the company's
settings."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.utils import timezone

from crm.core.company import (
    ENVIRONMENT_DEFAULTS,
    LABELS,
    company,
    company_changed,
    company_value,
    environment_values,
)
from crm.core.models import ApiToken, CompanySettings, token_hash
from crm.core.private_files import private_text_once
from crm.core.roles import Role, user_role_forget
from crm.core.validation import model_validate


def api_token_create(
    *, user: User, name: str = "", read_only: bool = False, days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token and return it with the raw key, which is shown once and never stored.

    It expires after `days` (API_TOKEN_DAYS, 90, by default).
    """
    raw = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(days=settings.API_TOKEN_DAYS if days is None else days)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:8], key_hash=token_hash(raw), read_only=read_only,
        expires_at=timezone.now() + lifetime,
    )  # fmt: skip
    return token, raw


@transaction.atomic
def user_role_set(*, user: User, role: Role | None) -> None:
    """Put the user in exactly one role group (or none); other groups are left alone."""
    roles = [r.value for r in Role]
    user.groups.remove(*Group.objects.filter(name__in=roles))
    if role is not None:
        group, _ = Group.objects.get_or_create(name=role.value)
        user.groups.add(group)
    user_role_forget(user)


@transaction.atomic
def admin_user_ensure(*, username: str, password: str) -> tuple[User, bool]:
    """Make sure a superuser `username` exists; set its password only when it is created."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        return user, False
    created = user_model.objects.create_superuser(username=username, email="", password=password)
    user_role_set(user=created, role=Role.OWNER)  # a superuser is an Owner; the group says so
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


def company_settings_update(*, values: Mapping[str, Any]) -> list[str]:
    """Store the company settings an Owner saved; returns the plain names of what changed
    ("company name", "quiet hours"). A value equal to its environment default is stored as
    NULL, so it keeps following the environment. Refused (ValidationFailed, nothing stored)
    when a value does not pass the model's checks."""
    before = company()
    environment = environment_values()
    row = CompanySettings.objects.filter(pk=CompanySettings.SINGLE_PK).first() or CompanySettings()
    for field in ENVIRONMENT_DEFAULTS:
        setattr(row, field, values.get(field, getattr(row, field)))
    model_validate(row)
    for field in ENVIRONMENT_DEFAULTS:
        value = getattr(row, field)
        if value is not None and company_value(field, value) == company_value(
            field, environment[field]
        ):
            setattr(row, field, None)
    with transaction.atomic():
        row.save()
        company_changed()
    after = company()
    changed = [LABELS[f] for f in ENVIRONMENT_DEFAULTS if getattr(before, f) != getattr(after, f)]
    return list(dict.fromkeys(changed))


def checklist_hide() -> None:
    """An Owner hid Today's first-run checklist."""
    with transaction.atomic():
        CompanySettings.objects.update_or_create(
            pk=CompanySettings.SINGLE_PK, defaults={"checklist_hidden": True}
        )
        company_changed()
