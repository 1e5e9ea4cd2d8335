"""Reads for messaging: the outbox list and who sent an inbound message."""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import QuerySet
from django.utils import timezone

from crm.activities.models import Activity, ActivityKind, Direction
from crm.core.errors import NotFound
from crm.core.phones import phone_normalize_or_none
from crm.customers.models import Customer
from crm.messaging.models import ScheduledMessage
from crm.messaging.policy import WHATSAPP_WINDOW

LIST_LIMIT = 200
PHONE_MATCH_DIGITS = 10  # national number: +1 (305) 555-0100 and 3055550100 are the same line


def scheduled_message_list(
    *, customer_id: int | None = None, status: str | None = None, limit: int = LIST_LIMIT
) -> list[ScheduledMessage]:
    """Messages newest send time first, optionally for one customer and one status."""
    rows: QuerySet[ScheduledMessage] = ScheduledMessage.objects.select_related(
        "created_by", "approved_by"
    )
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if status:
        rows = rows.filter(status=status)
    return list(rows.order_by("-send_at", "-id")[:limit])


def scheduled_message_get(*, message_id: int) -> ScheduledMessage:
    message = (
        ScheduledMessage.objects.select_related("created_by", "approved_by")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound("Scheduled message not found.")
    return message


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def customer_by_phone(number: str) -> Customer | None:
    """The customer whose phone is this number (E.164 or national; formatting ignored).

    Phones are stored in E.164, so the normalised number matches exactly; rows the phone
    migration could not read keep their old text and are found by their last digits.
    """
    digits = _digits(number)
    if len(digits) < 7:
        return None
    e164 = phone_normalize_or_none(number)
    candidates = [e164] if e164 else []
    exact = (
        Customer.objects.filter(phone__in=[*candidates, f"+{digits}", digits])
        .order_by("id")
        .first()
    )
    if exact is not None:
        return exact
    tail = digits[-4:]
    for candidate in Customer.objects.filter(phone__endswith=tail).order_by("id")[:500]:
        theirs = _digits(candidate.phone)
        if theirs and theirs[-PHONE_MATCH_DIGITS:] == digits[-PHONE_MATCH_DIGITS:]:
            return candidate
    return None


def whatsapp_window_closes_at(*, customer_id: int) -> dt.datetime | None:
    """When the customer's WhatsApp service window closes (24 hours after their last WhatsApp
    message to us); None when it is closed. The dispatcher reads the same rule at send time:
    free text inside the window, the approved template outside it."""
    last = (
        Activity.objects.filter(
            customer_id=customer_id,
            kind=ActivityKind.WHATSAPP,
            direction=Direction.INBOUND,
            occurred_at__gte=timezone.now() - WHATSAPP_WINDOW,
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return None if last is None else last + WHATSAPP_WINDOW
