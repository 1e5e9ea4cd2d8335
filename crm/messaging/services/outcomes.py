"""A person settles what the outbox could not: mark an Unknown message sent or failed, retry
a Failed one, approve drafts in bulk.

Unknown means the provider may or may not have the message (a crash or a timeout mid-send):
only a person who checked can say which, so Unknown is never retried directly. Retrying goes
back through the outbox (Scheduled, due now), so consent, opt-out and contact hours are
checked again at send time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from crm.activities.services import OutboundMessage, outbound_messages_record
from crm.core.errors import ApplicationError, Conflict, NotFound
from crm.messaging.models import MessageStatus, ScheduledMessage
from crm.messaging.services.outbox import (
    MessageChanges,
    User,
    message_send_now,
    message_update,
)
from crm.messaging.services.transitions import status_move, timeline_text

# The provider id recorded when a person confirms a send the provider never reported back.
CONFIRMED_ID = "office-confirmed-{pk}"


def _who(user: User | None) -> str:
    return getattr(user, "username", "") or "the office"


def _locked(message_id: int) -> ScheduledMessage:
    message = ScheduledMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise NotFound("Scheduled message not found.")
    return message


def _refuse_unless(message: ScheduledMessage, allowed: tuple[str, ...], action: str) -> None:
    if message.status in allowed:
        return
    if message.status == MessageStatus.FAILED and action == "marked sent":
        raise Conflict(
            "The provider reported this message as failed; it cannot be marked sent. "
            "Retry it instead.",
            field="status",
        )
    raise Conflict(
        f"Only a message in {' or '.join(allowed)} can be {action} (this one is {message.status}).",
        field="status",
    )


def _moved(message: ScheduledMessage, moved: bool) -> ScheduledMessage:
    if not moved:
        raise Conflict("The message changed meanwhile; reload and try again.", field="status")
    return message


@transaction.atomic
def message_mark_sent(*, message_id: int, user: User | None = None) -> ScheduledMessage:
    """An Unknown message a person confirmed with the provider: Sent, on the timeline once."""
    message = _locked(message_id)
    _refuse_unless(message, (MessageStatus.UNKNOWN,), "marked sent")
    now = timezone.now()
    first_record = message.sent_at is None
    moved = status_move(
        message=message, from_statuses=[MessageStatus.UNKNOWN], to_status=MessageStatus.SENT,
        detail=f"Marked sent by {_who(user)} after checking with the provider.",
        needs_review=False, claim_token="", sent_at=message.sent_at or now,
        provider_message_id=message.provider_message_id or CONFIRMED_ID.format(pk=message.pk),
    )  # fmt: skip
    if moved and first_record:  # whoever sets sent_at writes the timeline entry
        entry = OutboundMessage(
            customer_id=message.customer_id, kind=message.channel,
            content=timeline_text(message), occurred_at=now, job_id=message.job_id,
        )  # fmt: skip
        outbound_messages_record(messages=[entry])
    return _moved(message, moved)


@transaction.atomic
def message_mark_failed(*, message_id: int, user: User | None = None) -> ScheduledMessage:
    """An Unknown message a person found did not go out: Failed, ready to be retried."""
    message = _locked(message_id)
    _refuse_unless(message, (MessageStatus.UNKNOWN,), "marked failed")
    reason = f"Marked failed by {_who(user)}: the provider does not have it."
    moved = status_move(
        message=message, from_statuses=[MessageStatus.UNKNOWN], to_status=MessageStatus.FAILED,
        detail=reason, needs_review=False, claim_token="", last_error=reason,
    )  # fmt: skip
    return _moved(message, moved)


@transaction.atomic
def message_retry(*, message_id: int, user: User | None = None) -> ScheduledMessage:
    """A Failed message back in the outbox, due now with its attempts reset; the dispatcher
    checks consent and contact hours again before sending. Unknown is refused (409): it may
    have gone out, so a person marks it failed first."""
    message = _locked(message_id)
    if message.status == MessageStatus.UNKNOWN:
        raise Conflict(
            "This message may already have gone out. Check with the provider, then mark it "
            "failed before retrying.",
            field="status",
        )
    _refuse_unless(message, (MessageStatus.FAILED,), "retried")
    return message_send_now(message_id=message.pk, user=user)


@dataclass(frozen=True)
class ApprovalReport:
    """Which drafts were approved, and why the others were refused (by message id)."""

    approved: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


def messages_approve(*, message_ids: Iterable[int], user: User | None = None) -> ApprovalReport:
    """Approve each Draft for its send time, one transaction per message: a draft that can no
    longer go (consent withdrawn, not a draft any more) is refused with its reason and the
    others are still approved."""
    report = ApprovalReport()
    approve = MessageChanges(status=MessageStatus.SCHEDULED)
    for message_id in sorted(set(message_ids)):
        try:
            with transaction.atomic():
                if _locked(message_id).status != MessageStatus.DRAFT:
                    raise Conflict("Only a draft can be approved; this one has changed.")
                message_update(message_id=message_id, changes=approve, user=user)
        except ApplicationError as error:
            report.refused[message_id] = error.message
        else:
            report.approved.append(message_id)
    return report
