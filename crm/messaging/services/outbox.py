"""Writes for the outbox: schedule a message, edit / reschedule / cancel it, send it now."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from crm.core.company import company
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.customers.models import Customer, MessageChannel
from crm.customers.selectors import consents_for_sending
from crm.messaging.channels.twilio import SMS_BODY_MAX
from crm.messaging.models import (
    ACCOUNT_SOURCES,
    BODY_MAX_LENGTH,
    EDITABLE_STATUSES,
    MARKETING_SOURCES,
    SUBJECT_MAX_LENGTH,
    EventKind,
    MessageEvent,
    MessageSource,
    MessageStatus,
    Purpose,
    ScheduledMessage,
)
from crm.messaging.policy import consent_problem, recipient_address
from crm.messaging.services.transitions import status_move
from crm.messaging.tasks import message_dispatch_task

TEMPLATE_PARAMS_MAX = 10
SETTABLE_STATUSES = (MessageStatus.DRAFT, MessageStatus.SCHEDULED, MessageStatus.CANCELLED)
User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class MessageDraft:
    """What a person (or the system) asks to send; status is Draft or Scheduled."""

    customer_id: int
    channel: str
    body: str
    subject: str = ""
    purpose: str = Purpose.SERVICE
    send_at: dt.datetime | None = None
    source: str = MessageSource.MANUAL
    status: str = MessageStatus.SCHEDULED
    template_name: str = ""
    template_params: list[str] = field(default_factory=list)
    idempotency_key: str = ""
    job_id: int | None = None
    appliance_id: int | None = None


def _user_id(user: User | None) -> int | None:
    return user.pk if user is not None and user.is_authenticated else None


def _utc(moment: dt.datetime) -> dt.datetime:
    """Stored and answered in UTC, as the database gives it back."""
    return moment.astimezone(dt.UTC)


def default_subject() -> str:
    return f"A message from {company().name}"


def _check_text(channel: str, body: str, subject: str) -> None:
    if not body.strip():
        raise ValidationFailed("The message body is required.", field="body")
    limit = SMS_BODY_MAX if channel == MessageChannel.SMS else BODY_MAX_LENGTH
    if len(body) > limit:
        raise ValidationFailed(
            f"{channel} messages are limited to {limit} characters.", field="body"
        )
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise ValidationFailed(
            f"Subject is limited to {SUBJECT_MAX_LENGTH} characters.", field="subject"
        )
    if any(breaker in subject for breaker in "\r\n"):
        # Django refuses to send such a header (BadHeaderError, a header injection guard): the
        # message would only fail at send time, where the outcome is unknown. Refuse it now.
        raise ValidationFailed("The subject must be a single line.", field="subject")


def _check_reachable(customer: Customer, channel: str, purpose: str) -> None:
    """Refuse early what the dispatcher would cancel anyway: no address, opt-out, no opt-in."""
    if channel not in MessageChannel.values:
        raise ValidationFailed("Channel is WhatsApp, Email or SMS.", field="channel")
    if not recipient_address(customer, channel):
        kind = "email address" if channel == MessageChannel.EMAIL else "phone number"
        raise ValidationFailed(f"The customer has no {kind} for {channel}.", field="channel")
    consent = consents_for_sending(customers=[customer]).get((customer.pk, channel))
    problem = consent_problem(consent, channel=channel, purpose=purpose)
    if problem:
        raise ValidationFailed(problem, field="channel")


def message_purpose(draft: MessageDraft) -> str:
    """Marketing for greetings, suggestions and maintenance offers, whatever the draft says;
    Service only for a message about a job or an appliance, or one a person in the office
    writes to the customer from the Customer View (source Office: a reply or a direct word)
    or the customer's portal link (source Portal);
    refused otherwise, not silently turned into Marketing: that would change the consent it
    needs behind its author's back."""
    if draft.source in MARKETING_SOURCES:
        return Purpose.MARKETING
    if draft.purpose not in Purpose.values:
        raise ValidationFailed("Purpose is Service or Marketing.", field="purpose")
    about_nothing = draft.job_id is None and draft.appliance_id is None
    if draft.purpose == Purpose.SERVICE and about_nothing and draft.source not in ACCOUNT_SOURCES:
        raise ValidationFailed(
            "A Service message must be about a job or an appliance (give jobId or "
            "applianceId); anything else is Marketing and needs the customer's opt-in.",
            field="purpose",
        )
    return draft.purpose


def _check_template(params: list[str]) -> None:
    if len(params) > TEMPLATE_PARAMS_MAX or not all(isinstance(p, str) for p in params):
        raise ValidationFailed(
            f"Template parameters are at most {TEMPLATE_PARAMS_MAX} strings.",
            field="templateParams",
        )


def _existing(draft: MessageDraft) -> ScheduledMessage | None:
    """A repeated request with the same idempotency key gets the first answer back."""
    found = ScheduledMessage.objects.filter(idempotency_key=draft.idempotency_key).first()
    if found is not None and (found.customer_id, found.channel) != (
        draft.customer_id,
        draft.channel,
    ):
        raise Conflict("That idempotency key belongs to another message.", field="idempotencyKey")
    return found


def dispatch_after_commit(message: ScheduledMessage) -> None:
    """Due now: ask a consumer to send it once the row is committed (not before)."""
    if message.status == MessageStatus.SCHEDULED and message.send_at <= timezone.now():
        message_id = message.pk
        transaction.on_commit(lambda: message_dispatch_task(message_id))


@transaction.atomic
def message_schedule(*, draft: MessageDraft, user: User | None = None) -> ScheduledMessage:
    """Create a Draft or an approved Scheduled message; checks address and consent now and
    again at send time. The same idempotency key twice returns the first message."""
    customer = Customer.objects.filter(pk=draft.customer_id).first()
    if customer is None:
        raise ValidationFailed("No customer with that id.", field="customerId")
    if draft.status not in (MessageStatus.DRAFT, MessageStatus.SCHEDULED):
        raise ValidationFailed("A new message is a Draft or Scheduled.", field="status")
    subject = draft.subject or (default_subject() if draft.channel == MessageChannel.EMAIL else "")
    _check_text(draft.channel, draft.body, subject)
    _check_reachable(customer, draft.channel, message_purpose(draft))
    _check_template(draft.template_params)
    if draft.job_id is not None and not customer.jobs.filter(pk=draft.job_id).exists():
        raise ValidationFailed("No job with that id for this customer.", field="jobId")
    if (
        draft.appliance_id is not None
        and not customer.appliances.filter(pk=draft.appliance_id).exists()
    ):
        raise ValidationFailed("No appliance with that id for this customer.", field="applianceId")
    draft = replace(
        draft, purpose=message_purpose(draft),
        idempotency_key=draft.idempotency_key or f"manual:{uuid.uuid4().hex}",
    )  # fmt: skip
    found = _existing(draft)
    if found is not None:
        return found
    message = _create(draft, customer=customer, subject=subject, user=user)
    dispatch_after_commit(message)
    return message


def _create(
    draft: MessageDraft, *, customer: Customer, subject: str, user: User | None
) -> ScheduledMessage:
    approved = draft.status == MessageStatus.SCHEDULED
    now = timezone.now()
    message = ScheduledMessage.objects.create(
        customer=customer, job_id=draft.job_id, appliance_id=draft.appliance_id,
        channel=draft.channel, purpose=draft.purpose,
        subject=subject, body=draft.body, template_name=draft.template_name,
        template_params=list(draft.template_params), send_at=_utc(draft.send_at or now),
        status=draft.status, source=draft.source, idempotency_key=draft.idempotency_key,
        created_by_id=_user_id(user), approved_by_id=_user_id(user) if approved else None,
        approved_at=now if approved else None,
    )  # fmt: skip
    MessageEvent.objects.create(
        message=message, customer=customer, kind=EventKind.STATUS, to_status=message.status,
        detail=f"Created ({message.source}).",
    )  # fmt: skip
    return message


@dataclass(frozen=True)
class MessageChanges:
    """An edit: only the fields given (not None) change; status Draft, Scheduled or Cancelled."""

    channel: str | None = None
    subject: str | None = None
    body: str | None = None
    send_at: dt.datetime | None = None
    status: str | None = None


def _editable(message_id: int) -> ScheduledMessage:
    message = (
        ScheduledMessage.objects.select_for_update()
        .select_related("customer")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        raise NotFound("Scheduled message not found.")
    if message.status not in EDITABLE_STATUSES:
        raise Conflict(
            f"Sending has begun (status {message.status}); the message can no longer change.",
            field="status",
        )
    return message


def _status_fields(to_status: str, user: User | None) -> dict[str, Any]:
    """What approving or cancelling sets besides the status."""
    if to_status == MessageStatus.SCHEDULED:
        return {"approved_by_id": _user_id(user), "approved_at": timezone.now(), "attempts": 0,
                "last_error": "", "needs_review": False}  # fmt: skip
    if to_status == MessageStatus.CANCELLED:
        who = getattr(user, "username", "") or "the office"
        return {"last_error": f"Cancelled by {who}."}
    return {}


def _apply(message: ScheduledMessage, fields: dict[str, Any], to_status: str) -> None:
    """Save the edit only if nobody moved the row meanwhile (the dispatcher included)."""
    if to_status != message.status:
        detail = "Approved and scheduled." if to_status == MessageStatus.SCHEDULED else "Edited."
        moved = status_move(
            message=message, from_statuses=[message.status], to_status=to_status,
            detail=detail, **fields,
        )  # fmt: skip
    else:
        moved = bool(
            ScheduledMessage.objects.filter(pk=message.pk, status=message.status).update(**fields)
        )
        for name, value in fields.items():
            setattr(message, name, value)
    if not moved:
        raise Conflict("The message changed meanwhile; reload and try again.", field="status")


@transaction.atomic
def message_update(
    *, message_id: int, changes: MessageChanges, user: User | None = None
) -> ScheduledMessage:
    """Edit, reschedule, approve or cancel a message; refused (409) once sending has begun."""
    message = _editable(message_id)
    if changes.status is not None and changes.status not in SETTABLE_STATUSES:
        raise ValidationFailed(
            "Status can be set to Draft, Scheduled or Cancelled.", field="status"
        )
    channel = changes.channel or message.channel
    subject = message.subject if changes.subject is None else changes.subject
    if channel == MessageChannel.EMAIL and not subject:
        subject = default_subject()
    body = message.body if changes.body is None else changes.body
    to_status = changes.status or message.status
    _check_text(channel, body, subject)
    if to_status != MessageStatus.CANCELLED:
        _check_reachable(message.customer, channel, message.purpose)
    fields: dict[str, Any] = {"channel": channel, "subject": subject, "body": body}
    if changes.send_at is not None:
        fields["send_at"] = _utc(changes.send_at)
    if to_status != message.status:
        fields |= _status_fields(to_status, user)
    _apply(message, fields, to_status)
    dispatch_after_commit(message)
    return message


@transaction.atomic
def message_send_now(*, message_id: int, user: User | None = None) -> ScheduledMessage:
    """Approve (if needed) and make the message due now; a consumer sends it after commit.
    Consent and contact hours are still checked, so it may be deferred or cancelled."""
    message = _editable(message_id)
    _check_reachable(message.customer, message.channel, message.purpose)
    fields = {"send_at": timezone.now()}
    if message.status != MessageStatus.SCHEDULED:
        fields |= _status_fields(MessageStatus.SCHEDULED, user)
    _apply(message, fields, MessageStatus.SCHEDULED)
    dispatch_after_commit(message)
    return message


RESTORABLE_STATUSES = (MessageStatus.DRAFT, MessageStatus.SCHEDULED, MessageStatus.FAILED)


@transaction.atomic
def message_cancel_undo(
    *, message_id: int, customer_id: int, before_status: str, before_error: str = ""
) -> ScheduledMessage:
    """Take a cancellation back: the message is again what it was (Draft, Scheduled or Failed).

    Back to Scheduled only while it may still go (consent, contact details): refused (422) with
    the reason otherwise. Safe to run twice; refused (409) when it moved on since.
    """
    message = (
        ScheduledMessage.objects.select_for_update()
        .select_related("customer")
        .filter(pk=message_id, customer_id=customer_id)
        .first()
    )
    if message is None:
        raise NotFound("Scheduled message not found.")
    if message.status == before_status:
        return message
    if message.status != MessageStatus.CANCELLED or before_status not in RESTORABLE_STATUSES:
        raise Conflict("The message changed since; nothing was undone.", field="status")
    if before_status == MessageStatus.SCHEDULED:
        _check_reachable(message.customer, message.channel, message.purpose)
    moved = status_move(
        message=message, from_statuses=[MessageStatus.CANCELLED], to_status=before_status,
        detail="Cancellation undone.", last_error=before_error[:2000],
    )  # fmt: skip
    if not moved:
        raise Conflict("The message changed meanwhile; reload and try again.", field="status")
    dispatch_after_commit(message)
    return message
