"""Writes shared by every app: API tokens and the admin account."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from crm.core.models import ApiToken, token_hash


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
