"""Writes for engagement: follow-ups logged by hand."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from crm.core.errors import ValidationFailed
from crm.customers.models import Customer
from crm.customers.services.summaries import customer_contact_record
from crm.engagement.models import FollowUpLog
from crm.technicians.models import Technician


@transaction.atomic
def follow_up_log_create(
    *, customer_id: int, channel: str, notes: str, staff_user: User | None,
    technician_id: int | None = None, occurred_at: dt.datetime | None = None,
) -> FollowUpLog:  # fmt: skip
    """Record a follow-up made by hand; `who` is the technician when given, else the staff user."""
    if not Customer.objects.filter(pk=customer_id).exists():
        raise ValidationFailed("No customer with that id.", field="customerId")
    if technician_id is not None and not Technician.objects.filter(pk=technician_id).exists():
        raise ValidationFailed("No technician with that id.", field="technicianId")
    if not notes.strip():
        raise ValidationFailed("Notes are required.", field="notes")
    when = occurred_at or timezone.now()
    if when > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed("A logged follow-up cannot be in the future.", field="occurredAt")
    log = FollowUpLog.objects.create(
        customer_id=customer_id, channel=channel, notes=notes, staff_user=staff_user,
        technician_id=technician_id, occurred_at=when,
    )  # fmt: skip
    customer_contact_record(moments={customer_id: when})
    return log
