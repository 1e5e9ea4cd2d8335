"""Opt-out and opt-in from the customer's own words (STOP / START) or a provider's refusal."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from crm.customers.models import ContactConsent
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage


@transaction.atomic
def channel_opt_out_set(*, customer_id: int, channel: str, opted_out: bool, reason: str) -> bool:
    """Record an opt-out (or opt back in) on one channel; pending messages there are cancelled.

    Not customer_update: that one validates the whole customer, and an opt-out must be recorded
    even when an unrelated field (an old email address) would not pass today's checks.
    Returns whether anything changed.
    """
    consent, _ = ContactConsent.objects.select_for_update().get_or_create(
        customer_id=customer_id, channel=channel
    )
    if opted_out == (consent.opted_out_at is not None):
        return False
    consent.opted_out_at = timezone.now() if opted_out else None
    if opted_out:
        consent.marketing_opt_in = False
    consent.save(update_fields=["opted_out_at", "marketing_opt_in", "updated_at"])
    MessageEvent.objects.create(
        customer_id=customer_id, kind=EventKind.CONSENT,
        detail=f"{'Opted out of' if opted_out else 'Opted back in to'} {channel}: {reason}",
    )  # fmt: skip
    if opted_out:
        _cancel_pending(customer_id=customer_id, channel=channel, reason=reason)
    return True


def _cancel_pending(*, customer_id: int, channel: str, reason: str) -> None:
    pending = ScheduledMessage.objects.filter(
        customer_id=customer_id,
        channel=channel,
        status__in=[MessageStatus.DRAFT, MessageStatus.SCHEDULED],
    )
    rows = list(pending.only("id", "customer_id", "status"))
    pending.update(
        status=MessageStatus.CANCELLED,
        last_error=f"The customer opted out of {channel}.",
        status_changed_at=timezone.now(),
    )
    MessageEvent.objects.bulk_create(
        [
            MessageEvent(
                message_id=row.pk,
                customer_id=customer_id,
                kind=EventKind.STATUS,
                from_status=row.status,
                to_status=MessageStatus.CANCELLED,
                detail=reason,
            )
            for row in rows
        ]
    )
