"""Writes for the timeline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.activities.models import CONTENT_MAX_LENGTH, Activity, ActivityKind, Direction
from crm.core.errors import ValidationFailed
from crm.customers.models import Customer
from crm.customers.services.summaries import customer_contact_record
from crm.jobs.models import Job

# A message or call in or out is a contact (the list's "last contact"); a note is not.
CONTACT_DIRECTIONS = (Direction.INBOUND, Direction.OUTBOUND)
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
    activity = Activity.objects.create(
        customer=customer, kind=kind, direction=direction, content=content,
        occurred_at=occurred_at or timezone.now(), author=author, job_id=job_id,
    )  # fmt: skip
    if direction in CONTACT_DIRECTIONS:
        customer_contact_record(moments={customer.pk: activity.occurred_at})
    return activity


MESSAGE_KINDS = (ActivityKind.WHATSAPP, ActivityKind.SMS, ActivityKind.EMAIL)


@dataclass(frozen=True)
class OutboundMessage:
    """A message that went out to a customer, for their timeline."""

    customer_id: int
    kind: str
    content: str
    occurred_at: dt.datetime
    job_id: int | None = None


@transaction.atomic
def outbound_messages_record(*, messages: Sequence[OutboundMessage]) -> int:
    """Put messages that went out on their customers' timelines in one INSERT (the outbox
    records its sends in groups); activity_create's rules, checked for the whole group."""
    for message in messages:
        if message.kind not in MESSAGE_KINDS:
            raise ValidationFailed(f"A {message.kind} is not a message.", field="kind")
        if not message.content.strip() or len(message.content) > CONTENT_MAX_LENGTH:
            raise ValidationFailed(
                f"Content of 1-{CONTENT_MAX_LENGTH} characters is required.", field="content"
            )
    customer_ids = {m.customer_id for m in messages}
    if Customer.objects.filter(pk__in=customer_ids).count() != len(customer_ids):
        raise ValidationFailed("No customer with that id.", field="customerId")
    owners = dict(
        Job.objects.filter(pk__in={m.job_id for m in messages if m.job_id is not None})
        .values_list("id", "customer_id")
    )  # fmt: skip
    if any(m.job_id is not None and owners.get(m.job_id) != m.customer_id for m in messages):
        raise ValidationFailed("No job with that id for this customer.", field="jobId")
    created = Activity.objects.bulk_create(
        Activity(
            customer_id=m.customer_id,
            kind=m.kind,
            direction=Direction.OUTBOUND,
            content=m.content,
            occurred_at=m.occurred_at,
            job_id=m.job_id,
        )
        for m in messages
    )
    latest: dict[int, dt.datetime] = {}
    for m in messages:
        latest[m.customer_id] = max(m.occurred_at, latest.get(m.customer_id, m.occurred_at))
    customer_contact_record(moments=latest)
    return len(created)


def notes_bulk_create(*, notes: Sequence[Activity]) -> list[Activity]:
    """Insert internal notes in batches (the CSV import; the caller owns the transaction)."""
    for note in notes:
        if note.kind != ActivityKind.NOTE or not note.content.strip():
            raise ValidationFailed("Only notes with content are added in bulk.", field="content")
        note.direction = Direction.INTERNAL
    return Activity.objects.bulk_create(notes, batch_size=500)


def inbound_answered_record(*, customer_id: int, user: User | None) -> Activity:
    """Record that the customer's messages were answered outside ServiceCRM (by phone, in
    person): an internal note, which like any reply marks earlier inbound messages answered."""
    who = user.get_username() if user is not None else "the office"
    return activity_create(
        customer_id=customer_id, kind=ActivityKind.NOTE, author=user,
        content=f"Customer's messages marked answered by {who} (replied outside ServiceCRM).",
    )  # fmt: skip
