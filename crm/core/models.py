"""Shared model bases, database-constraint helpers and API tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.core.roles import ROLE_NAME, role_name_subquery


def money_field(**kwargs: Any) -> models.DecimalField:  # type: ignore[type-arg]
    """Money: Decimal with 12 digits and two places, never a float."""
    return models.DecimalField(max_digits=12, decimal_places=2, **kwargs)


ZERO = Decimal("0.00")


class TimeStampedModel(models.Model):
    """Gives every row an aware createdAt (settable, for history) and an updatedAt."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def choices_check(
    field: str, choices: Iterable[tuple[str, object]], name: str
) -> models.CheckConstraint:
    """A CHECK that keeps an enum column inside its choices in the database too."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__in": [value for value, _label in choices]}), name=name
    )


def rating_check(field: str, name: str, *, nullable: bool = False) -> models.CheckConstraint:
    """A CHECK that keeps a 1-5 rating in range."""
    condition = models.Q(**{f"{field}__gte": 1, f"{field}__lte": 5})
    if nullable:
        condition |= models.Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(condition=condition, name=name)


def positive_check(field: str, name: str) -> models.CheckConstraint:
    """A CHECK that keeps an amount of money above zero."""
    return models.CheckConstraint(condition=models.Q(**{f"{field}__gt": 0}), name=name)


def non_negative_check(field: str, name: str) -> models.CheckConstraint:
    """A CHECK that keeps a quantity at zero or above (nulls allowed)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__gte": 0}) | models.Q(**{f"{field}__isnull": True}),
        name=name,
    )


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def matching(self, raw: str) -> ApiToken | None:
        """The live token with this key: not revoked, not expired, its user active."""
        token = (
            self.live()
            .select_related("user")
            .annotate(**{ROLE_NAME: role_name_subquery("user_id")})
            .filter(key_hash=token_hash(raw), user__is_active=True)
            .first()
        )
        if token is not None:  # the role comes along, for the policy (crm.core.roles)
            setattr(token.user, ROLE_NAME, getattr(token, ROLE_NAME))
        return token

    def live(self) -> ApiTokenQuerySet:
        """Tokens that still work: not revoked and not past `expires_at`."""
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=timezone.now())
        )


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=8, help_text="First characters, to tell tokens apart.")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # It acts with its user's role; read-only refuses every method but GET/HEAD/OPTIONS (403).
    read_only = models.BooleanField(default=False)
    # None: never expires (only for tokens made before expiry existed); new ones get a date.
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
