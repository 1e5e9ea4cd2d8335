"""Writes of the accounts app: users with their role and technician, API tokens, and what a
Technician does on My visits (through the job workflow and the timeline's services)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.accounts.selectors import my_visit_get
from crm.activities.models import Activity, ActivityKind
from crm.activities.services import activity_create
from crm.appliances.models import Appliance
from crm.appliances.services import appliance_create, appliance_update
from crm.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from crm.core.models import ApiToken
from crm.core.roles import Role, user_role
from crm.core.services import api_token_create, user_role_set
from crm.engagement.services.jobs import job_update_and_follow_up
from crm.jobs.models import Job, JobStatus
from crm.technicians.models import Technician

USERNAME_MAX_LENGTH = 150


@dataclass(frozen=True)
class CreatedUser:
    user: User
    password_shown: str  # the generated password, or "" when the caller chose it


def _technician_link(*, user: User, role: Role | None, technician_id: int | None) -> None:
    """A Technician user is linked to exactly one Technician record; other roles to none."""
    Technician.objects.filter(user=user).exclude(pk=technician_id or 0).update(user=None)
    if role is not Role.TECHNICIAN:
        Technician.objects.filter(user=user).update(user=None)
        return
    if technician_id is None:
        raise ValidationFailed("A Technician user needs a technician record.", field="technician")
    technician = Technician.objects.select_for_update().filter(pk=technician_id).first()
    if technician is None:
        raise ValidationFailed("No technician with that id.", field="technician")
    if technician.user_id not in (None, user.pk):
        raise Conflict("That technician is linked to another user.", field="technician")
    technician.user = user
    technician.save(update_fields=["user", "updated_at"])


@transaction.atomic
def user_create(
    *, username: str, role: Role, technician_id: int | None = None, password: str = ""
) -> CreatedUser:
    """A user who can sign in with `role`; without a password one is generated (and returned)."""
    username = username.strip()
    if not username or len(username) > USERNAME_MAX_LENGTH:
        raise ValidationFailed("Give a username of up to 150 characters.", field="username")
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise Conflict("A user with that username exists.", field="username")
    generated = "" if password else secrets.token_urlsafe(12)
    try:
        user = user_model.objects.create_user(
            username, password=password or generated, is_staff=role is not Role.TECHNICIAN
        )
    except IntegrityError as error:  # a concurrent create of the same name
        raise Conflict("A user with that username exists.", field="username") from error
    user_role_set(user=user, role=role)
    _technician_link(user=user, role=role, technician_id=technician_id)
    return CreatedUser(user=user, password_shown=generated)


@transaction.atomic
def user_update(
    *, user_id: int, role: Role, technician_id: int | None, active: bool, by: User
) -> User:
    """Change a user's role, technician and whether they may sign in (an Owner's action).

    An Owner cannot take away their own Owner role or deactivate themselves (no lock-out).
    """
    user = get_user_model().objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    if user.pk == by.pk and (role is not Role.OWNER or not active):
        raise ValidationFailed("You cannot demote or deactivate yourself.", field="role")
    user.is_active = active
    user.is_staff = role is not Role.TECHNICIAN
    user.save(update_fields=["is_active", "is_staff"])
    user_role_set(user=user, role=role)
    _technician_link(user=user, role=role, technician_id=technician_id)
    if not active:
        _tokens_revoke(user)
    return user


def _tokens_revoke(user: User) -> None:
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_issue(*, user: User, name: str, read_only: bool) -> tuple[ApiToken, str]:
    """A new token for the signed-in user; the raw key is returned to be shown once."""
    if len(name) > ApiToken._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationFailed("The name is limited to 100 characters.", field="name")
    return api_token_create(user=user, name=name.strip(), read_only=read_only)


def api_token_revoke(*, token_id: int, by: User) -> ApiToken:
    """Revoke a token: by the user it belongs to, or by an Owner (any token)."""
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None or (token.user_id != by.pk and user_role(by) is not Role.OWNER):
        raise NotFound("No such token.")  # another user's token does not exist for you
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def _own_job(*, job_id: int, technician_id: int | None) -> Job:
    if technician_id is None:
        raise PermissionDenied("Your user is not linked to a technician.")
    return my_visit_get(job_id=job_id, technician_id=technician_id)


def my_visit_start(*, job_id: int, technician_id: int | None) -> Job:
    """The technician has arrived: the job is In progress."""
    job = _own_job(job_id=job_id, technician_id=technician_id)
    if job.status != JobStatus.SCHEDULED:
        raise ValidationFailed("Only a scheduled visit can be started.", field="status")
    return job_update_and_follow_up(job_id=job.pk, fields={"status": JobStatus.IN_PROGRESS})


def my_visit_complete(
    *, job_id: int, technician_id: int | None, labor_hours: Decimal, parts: str, outcome: str
) -> Job:
    """Complete the technician's own job with labour, parts and outcome; the job workflow
    schedules the satisfaction survey. Parts are written into the outcome (no prices)."""
    job = _own_job(job_id=job_id, technician_id=technician_id)
    if job.status in (JobStatus.COMPLETED, JobStatus.CANCELLED):
        raise ValidationFailed(f"This visit is already {job.get_status_display().lower()}.")
    text = outcome.strip() + (f"\nParts: {parts.strip()}" if parts.strip() else "")
    fields = {"status": JobStatus.COMPLETED, "labor_hours": labor_hours, "outcome": text}
    return job_update_and_follow_up(job_id=job.pk, fields=fields)


@transaction.atomic
def my_visit_appliance_save(
    *, job_id: int, technician_id: int | None, fields: dict[str, Any]
) -> Appliance:
    """The technician takes the visit's appliance details (brand, model, serial, dates from the
    nameplate): the job's appliance is updated, or a new one is recorded for the customer and
    becomes the job's appliance, standing where the visit is."""
    job = _own_job(job_id=job_id, technician_id=technician_id)
    if job.appliance_id is not None:
        return appliance_update(appliance_id=job.appliance_id, fields=fields)
    where = {"location_id": job.location_id}
    appliance = appliance_create(customer_id=job.customer_id, fields=fields | where)
    job_update_and_follow_up(job_id=job.pk, fields={"appliance_id": appliance.pk})
    return appliance


def my_visit_note_add(
    *, job_id: int, technician_id: int | None, content: str, author: User
) -> Activity:
    """A note from the technician on the job's customer timeline."""
    job = _own_job(job_id=job_id, technician_id=technician_id)
    return activity_create(
        customer_id=job.customer_id, kind=ActivityKind.NOTE, content=content, author=author,
        job_id=job.pk, occurred_at=timezone.now(),
    )  # fmt: skip


@transaction.atomic
def user_deactivate(*, user_id: int, by: User) -> User:
    """The user can no longer sign in and their API tokens stop working; data they made stays."""
    user = get_user_model().objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.")
    if user.pk == by.pk:
        raise ValidationFailed("You cannot deactivate yourself.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _tokens_revoke(user)
    return user
