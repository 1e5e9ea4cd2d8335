"""Reads for the Engagement Hub (a tab of the Customer View's Activity card).

Each section reads its rows in a fixed number of queries (a bounded slice, one query each), so
the hub costs the same for a customer with one reminder as for one with thousands of messages.
The suggestions come from the stored AI answer only: reading the hub never calls an LLM.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone

from crm.activities.models import Activity, ActivityKind, Direction
from crm.core.errors import NotFound
from crm.customers.models import Customer, MessageChannel
from crm.engagement.models import (
    FollowUpLog,
    Reminder,
    ReminderStatus,
    SuggestionAction,
    SuggestionDecision,
)
from crm.engagement.selectors.follow_ups import follow_up_log_list
from crm.insights.answers import InsightAnswer
from crm.insights.selectors import insight_latest
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.policy import consent_problem, contact_slot, recipient_address

ROWS_SHOWN = 20
FOLLOWUPS = "followup-suggestions"
# Sent email never reports delivery: watch a Sent message for a day, not for ever.
WATCH_SENT_FOR = dt.timedelta(hours=24)
IN_FLIGHT = (MessageStatus.SCHEDULED, MessageStatus.SENDING)
SLOT_STEP_MINUTES = 15
# The channel to offer when the preferred method (e.g. Phone) carries no written message.
CHANNEL_FALLBACK = (MessageChannel.WHATSAPP, MessageChannel.SMS, MessageChannel.EMAIL)

Row = TypeVar("Row", bound=Model)


@dataclass(frozen=True)
class Rows(Generic[Row]):
    """The first rows of a list, and whether there are more than shown."""

    items: list[Row]
    more: bool


def _first_rows(rows: QuerySet[Row], limit: int = ROWS_SHOWN) -> Rows[Row]:
    found = list(rows[: limit + 1])
    return Rows(found[:limit], len(found) > limit)


def hub_reminders(*, customer_id: int) -> Rows[Reminder]:
    """Open reminders by due date and priority, then snoozed ones by the day they wake."""
    rows = Reminder.objects.filter(
        customer_id=customer_id, status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED]
    ).order_by("status", "snoozed_until", "due_date", "priority_rank", "id")
    return _first_rows(rows)


def hub_reminder(*, customer_id: int, reminder_id: int) -> Reminder:
    """One of the customer's reminders, or NotFound (also for another customer's)."""
    reminder = Reminder.objects.filter(pk=reminder_id, customer_id=customer_id).first()
    if reminder is None:
        raise NotFound("Reminder not found.")
    return reminder


def hub_messages(*, customer_id: int) -> Rows[ScheduledMessage]:
    """The customer's outbox, latest send time first; greeting drafts wait in Occasions."""
    rows = (
        ScheduledMessage.objects.filter(customer_id=customer_id)
        .exclude(source=MessageSource.GREETING, status=MessageStatus.DRAFT)
        .select_related("approved_by")
        .order_by("-send_at", "-id")
    )
    return _first_rows(rows)


def hub_sent_on_timeline(*, customer_id: int) -> Rows[Activity]:
    """Messages the timeline shows as sent to the customer without an outbox row (written
    elsewhere, imported, or from before ServiceCRM), latest first."""
    rows = Activity.objects.filter(
        customer_id=customer_id,
        direction=Direction.OUTBOUND,
        kind__in=[ActivityKind.WHATSAPP, ActivityKind.SMS, ActivityKind.EMAIL],
    ).order_by("-occurred_at", "-id")
    return _first_rows(rows)


def hub_occasion_drafts(*, customer_id: int) -> Rows[ScheduledMessage]:
    """Greeting drafts (nightly sweep or drafted by hand) awaiting a person, soonest first."""
    rows = ScheduledMessage.objects.filter(
        customer_id=customer_id, source=MessageSource.GREETING, status=MessageStatus.DRAFT
    ).order_by("send_at", "id")
    return _first_rows(rows)


def hub_message(*, customer_id: int, message_id: int) -> ScheduledMessage:
    """One of the customer's messages, or NotFound (also for another customer's)."""
    message = ScheduledMessage.objects.filter(pk=message_id, customer_id=customer_id).first()
    if message is None:
        raise NotFound("Scheduled message not found.")
    return message


def messages_in_flight(messages: Sequence[ScheduledMessage], *, now: dt.datetime) -> bool:
    """Whether a status shown may still change by itself (so the section keeps polling)."""
    return any(
        m.status in IN_FLIGHT
        or (m.status == MessageStatus.SENT and now - m.status_changed_at < WATCH_SENT_FOR)
        for m in messages
    )


def hub_follow_ups(*, customer_id: int) -> Rows[FollowUpLog]:
    """Follow-ups logged by hand, newest first, with who made them."""
    return _first_rows(follow_up_log_list(customer_id=customer_id))


@dataclass(frozen=True)
class Suggestion:
    """One AI follow-up suggestion: what, why, when, the draft, and what a person did with it."""

    key: str
    title: str
    reason: str
    timing: str
    draft_message: str
    decision: SuggestionDecision | None = None


@dataclass(frozen=True)
class SuggestionsPanel:
    """The stored answer (None: never generated), its suggestions not dismissed, and how many
    were dismissed."""

    answer: InsightAnswer | None
    suggestions: list[Suggestion]
    dismissed: int


def suggestion_key(item: dict[str, Any]) -> str:
    """A digest of the suggestion's words: a reworded suggestion is a new one."""
    words = [item.get(name, "") for name in ("title", "reason", "timing", "draftMessage")]
    return hashlib.sha256(json.dumps(words).encode()).hexdigest()[:32]


def _suggestions(answer: InsightAnswer | None) -> list[Suggestion]:
    items = answer.data.get("suggestions", []) if answer is not None else []
    return [
        Suggestion(
            key=suggestion_key(item),
            title=item.get("title", ""),
            reason=item.get("reason", ""),
            timing=item.get("timing", ""),
            draft_message=item.get("draftMessage", ""),
        )
        for item in items
    ]


def suggestions_panel(*, customer_id: int, answer: InsightAnswer | None) -> SuggestionsPanel:
    """The answer's suggestions with the decisions already taken on them (one query)."""
    found = _suggestions(answer)
    decisions = {
        d.suggestion_key: d
        for d in SuggestionDecision.objects.filter(
            customer_id=customer_id, suggestion_key__in=[s.key for s in found]
        ).select_related("decided_by", "message")
    }
    shown = [
        Suggestion(**{**s.__dict__, "decision": decisions.get(s.key)})
        for s in found
        if s.key not in decisions or decisions[s.key].action != SuggestionAction.DISMISSED
    ]
    return SuggestionsPanel(answer, shown, len(found) - len(shown))


def hub_suggestions(*, customer_id: int) -> SuggestionsPanel:
    """The stored follow-up suggestions (no LLM call), with the decisions taken on them."""
    answer = insight_latest(feature=FOLLOWUPS, subject_id=customer_id)
    return suggestions_panel(customer_id=customer_id, answer=answer)


def hub_suggestion(*, customer_id: int, key: str) -> Suggestion:
    """A suggestion of the stored answer by its key; NotFound once the answer has changed."""
    answer = insight_latest(feature=FOLLOWUPS, subject_id=customer_id)
    found = next((s for s in _suggestions(answer) if s.key == key), None)
    if found is None:
        raise NotFound("That suggestion is no longer current; refresh the suggestions.")
    return found


def channel_for(customer: Customer) -> str:
    """The preferred contact method when it carries written messages and the customer has an
    address for it and has not opted out; else the first channel that qualifies."""
    opted_out = {c.channel for c in customer.consents.all() if c.opted_out_at is not None}
    preferred = [customer.preferred_contact_method, *CHANNEL_FALLBACK]
    usable = [
        channel
        for channel in preferred
        if channel in MessageChannel.values
        and channel not in opted_out
        and recipient_address(customer, channel)
    ]
    return usable[0] if usable else MessageChannel.EMAIL


def next_send_slot(customer: Customer, *, now: dt.datetime | None = None) -> dt.datetime:
    """The next quarter hour inside the customer's contact hours (their time zone, outside
    quiet hours), in the company's time zone for the form."""
    moment = (now or timezone.now()).replace(second=0, microsecond=0)
    moment += dt.timedelta(minutes=SLOT_STEP_MINUTES - moment.minute % SLOT_STEP_MINUTES)
    return timezone.localtime(contact_slot(customer, moment))


def marketing_channels(customer: Customer) -> list[str]:
    """Channels a greeting (marketing) may use: an address, an opt-in, no opt-out."""
    consents = {c.channel: c for c in customer.consents.all()}
    return [
        channel
        for channel in MessageChannel.values
        if recipient_address(customer, channel)
        and not consent_problem(consents.get(channel), channel=channel, purpose=Purpose.MARKETING)
    ]


# END
