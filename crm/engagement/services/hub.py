"""Writes of the Engagement Hub: act on an AI follow-up suggestion, draft a greeting by hand.

A suggestion is acted on once: scheduling its draft, logging it as done by hand, or dismissing
it records a SuggestionDecision in the same transaction as the message or log it created.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import replace

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.core.errors import Conflict
from crm.customers.models import Customer, MessageChannel
from crm.engagement.models import FollowUpLog, SuggestionAction, SuggestionDecision
from crm.engagement.selectors.hub import Suggestion
from crm.engagement.selectors.occasions import Occasion
from crm.engagement.services.follow_ups import follow_up_log_create
from crm.engagement.services.greetings import (
    SEND_TIME,
    Reach,
    greeting_fixed,
    greeting_from_insights,
    greeting_key,
    greeting_subject,
)
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.services.outbox import MessageDraft, message_schedule


def _decision_record(
    *, customer_id: int, suggestion: Suggestion, action: str, user: User | None,
    message: ScheduledMessage | None = None, follow_up_log: FollowUpLog | None = None,
) -> SuggestionDecision:  # fmt: skip
    """Record the decision; a suggestion someone already acted on is refused (409)."""
    taken = SuggestionDecision.objects.filter(
        customer_id=customer_id, suggestion_key=suggestion.key
    ).first()
    if taken is not None:
        raise Conflict(f"This suggestion was already {taken.get_action_display().lower()}.")
    try:
        with transaction.atomic():
            return SuggestionDecision.objects.create(
                customer_id=customer_id, suggestion_key=suggestion.key,
                title=suggestion.title[:200], action=action, message=message,
                follow_up_log=follow_up_log, decided_by=user,
            )  # fmt: skip
    except IntegrityError:  # someone else acted on it a moment ago
        raise Conflict("This suggestion was just acted on by someone else.") from None


@transaction.atomic
def suggestion_schedule(
    *, customer_id: int, suggestion: Suggestion, draft: MessageDraft, user: User | None
) -> ScheduledMessage:
    """Schedule the (edited) draft as an approved message from this suggestion."""
    draft = replace(
        draft, customer_id=customer_id, source=MessageSource.SUGGESTION,
        status=MessageStatus.SCHEDULED,
    )  # fmt: skip
    message = message_schedule(draft=draft, user=user)
    _decision_record(
        customer_id=customer_id, suggestion=suggestion, action=SuggestionAction.SCHEDULED,
        user=user, message=message,
    )  # fmt: skip
    return message


@transaction.atomic
def suggestion_log(
    *, customer_id: int, suggestion: Suggestion, channel: str, notes: str, user: User | None,
    technician_id: int | None = None, occurred_at: dt.datetime | None = None,
) -> FollowUpLog:  # fmt: skip
    """Record that someone followed this suggestion up by hand."""
    log = follow_up_log_create(
        customer_id=customer_id, channel=channel, notes=notes, staff_user=user,
        technician_id=technician_id, occurred_at=occurred_at,
    )  # fmt: skip
    _decision_record(
        customer_id=customer_id, suggestion=suggestion, action=SuggestionAction.LOGGED,
        user=user, follow_up_log=log,
    )  # fmt: skip
    return log


def suggestion_dismiss(
    *, customer_id: int, suggestion: Suggestion, user: User | None
) -> SuggestionDecision:
    """Hide this suggestion from everyone (a reworded one is shown again)."""
    return _decision_record(
        customer_id=customer_id, suggestion=suggestion, action=SuggestionAction.DISMISSED,
        user=user,
    )  # fmt: skip


def _send_at(day: dt.date) -> dt.datetime:
    """The sweep's sending time on the occasion day (company time), or now if that has passed."""
    moment = dt.datetime.combine(day, SEND_TIME, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return max(moment, timezone.now())


def greeting_draft_create(
    *, customer: Customer, occasion: Occasion, channel: str, user: User | None
) -> ScheduledMessage:
    """A greeting Draft (source Greeting, purpose Marketing) for an occasion, written by the
    insights greeting feature (LLM or its offline twin; fixed wording if it fails). It waits
    for a person to approve it; the nightly sweep will not draft the same occasion again."""
    first_name = (customer.name.split() or [""])[0]
    reach = Reach(customer.pk, channel, first_name, customer.language_preference)
    key = greeting_key(reach, occasion)
    existing = ScheduledMessage.objects.filter(idempotency_key=key).first()
    if existing is not None:
        raise Conflict(
            f"A greeting for {occasion.name} already exists ({existing.status}).", field="occasion"
        )
    # Written before any transaction: an LLM call must not hold the database.
    body = greeting_from_insights(customer_id=customer.pk, occasion=occasion) or greeting_fixed(
        first_name=first_name, occasion=occasion, language=customer.language_preference
    )
    email = channel == MessageChannel.EMAIL
    subject = greeting_subject(occasion, language=customer.language_preference) if email else ""
    draft = MessageDraft(
        customer_id=customer.pk, channel=channel, body=body, subject=subject,
        purpose=Purpose.MARKETING, send_at=_send_at(occasion.day), source=MessageSource.GREETING,
        status=MessageStatus.DRAFT, idempotency_key=key,
    )  # fmt: skip
    return message_schedule(draft=draft, user=user)
