"""Shared model bases, database-constraint helpers and API tokens."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, URLValidator
from django.db import models
from django.utils import timezone

from crm.core.company_checks import (
    arrival_windows_check,
    country_check,
    country_name,
    subdivisions_of,
    working_hours_check,
)
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


LEAD_DAYS_MAX = 90  # the most days ahead (or after) an Owner may set for a reminder or message


def _days_in_range(field: str, name: str) -> models.CheckConstraint:
    condition = models.Q(**{f"{field}__gte": 0, f"{field}__lte": LEAD_DAYS_MAX})
    return models.CheckConstraint(
        condition=condition | models.Q(**{f"{field}__isnull": True}), name=name
    )


def _days_field() -> models.PositiveSmallIntegerField:  # type: ignore[type-arg]
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(LEAD_DAYS_MAX)]
    )


class CompanySettings(models.Model):
    """The company's settings an Owner stored on the Settings page: one row at most (pk 1).

    Every value is nullable: None follows the environment variable of the same meaning
    (config/settings_business.py), so a fresh install with no row, or a field never changed,
    keeps the environment as its default. Read them through crm.core.company.company(), never here.
    """

    SINGLE_PK = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLE_PK)
    name = models.CharField(max_length=200, null=True, blank=True)
    address = models.CharField(max_length=300, null=True, blank=True)
    country = models.CharField(max_length=2, null=True, blank=True, validators=[country_check])
    subdivision = models.CharField(max_length=10, null=True, blank=True)
    working_hours = models.CharField(
        max_length=60, null=True, blank=True, validators=[working_hours_check]
    )
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)
    arrival_windows = models.CharField(
        max_length=300, null=True, blank=True, validators=[arrival_windows_check]
    )
    currency_symbol = models.CharField(max_length=4, null=True, blank=True)
    review_link = models.URLField(
        max_length=500, null=True, blank=True, validators=[URLValidator(schemes=["https"])]
    )
    greeting_lead_days = _days_field()
    followup_delay_days = _days_field()
    # An Owner hid Today's first-run checklist before everything on it was done.
    checklist_hidden = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "company settings"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="company_settings_single_row"),
            _days_in_range("greeting_lead_days", "company_settings_greeting_lead_days_range"),
            _days_in_range("followup_delay_days", "company_settings_followup_delay_days_range"),
            models.CheckConstraint(
                condition=models.Q(review_link__isnull=True)
                | models.Q(review_link="")
                | models.Q(review_link__startswith="https://"),
                name="company_settings_review_link_https",
            ),
        ]

    def __str__(self) -> str:
        return "Company settings"

    def clean(self) -> None:
        """The region must be one of the country's (the country stored, or the environment's)."""
        country = self.country or settings.COMPANY_COUNTRY
        if self.subdivision and self.subdivision not in subdivisions_of(country):
            raise ValidationError(
                {"subdivision": f"{self.subdivision} is not a region of {country_name(country)}."}
            )
        if self.quiet_hours_start is not None and self.quiet_hours_start == self.quiet_hours_end:
            raise ValidationError({"quiet_hours_end": "Quiet hours must end at another time."})
