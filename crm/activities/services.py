"""Writes for the timeline."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.activities.models import CONTENT_MAX_LENGTH, Activity, ActivityKind, Direction
from crm.core.errors import ValidationFailed
from crm.customers.models import Customer
from crm.jobs.models import Job

# Which directions make sense for which kind: a note is internal, a message goes in or out.
ALLOWED_DIRECTIONS = {
    ActivityKind.NOTE: {Direction.INTERNAL},
    ActivityKind.SYSTEM: {Direction.INTERNAL, Direction.OUTBOUND},
}


@transaction.atomic
def activity_create(
    *, customer_id: int, kind: str, content: str, direction: str | None = None,
    occurred_at: dt.datetime | None = None, author: User | None = None, job_id: int | None = None,
) -> Activity:  # fmt: skip
    """Add an event to a timeline: notes are internal; calls and messages go in or out."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise ValidationFailed("No customer with that id.", field="customerId")
    if not content.strip():
        raise ValidationFailed("Content is required.", field="content")
    if len(content) > CONTENT_MAX_LENGTH:
        raise ValidationFailed(
            f"Content is limited to {CONTENT_MAX_LENGTH} characters.", field="content"
        )
    direction = direction or (
        Direction.INTERNAL if kind in ALLOWED_DIRECTIONS else Direction.OUTBOUND
    )
    if direction not in ALLOWED_DIRECTIONS.get(
        ActivityKind(kind), {Direction.INBOUND, Direction.OUTBOUND}
    ):
        raise ValidationFailed(f"A {kind} cannot be {direction}.", field="direction")
    if job_id is not None and not Job.objects.filter(pk=job_id, customer=customer).exists():
        raise ValidationFailed("No job with that id for this customer.", field="jobId")
    return Activity.objects.create(
        customer=customer, kind=kind, direction=direction, content=content,
        occurred_at=occurred_at or timezone.now(), author=author, job_id=job_id,
    )  # fmt: skip
