"""Opt-out and opt-in from the customer's own words (STOP / START), an unsubscribe link or a
provider's refusal."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.core.errors import ApplicationError
from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage

UNSUBSCRIBE_SALT = "crm.messaging.unsubscribe"


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


class UnsubscribeLinkInvalid(ApplicationError):
    """The link was not made by us, was altered, or names a customer who no longer exists."""

    status = 404


@dataclass(frozen=True)
class UnsubscribeTarget:
    """Who an unsubscribe link speaks for, and from which channel."""

    customer_id: int
    channel: str
    company: str


def unsubscribe_url(*, customer_id: int, channel: str = MessageChannel.EMAIL) -> str:
    """A signed link that opts the customer out of the channel. It does not expire: an
    unsubscribe link must keep working long after the message (CAN-SPAM asks 30 days)."""
    token = signing.dumps({"c": customer_id, "ch": channel}, salt=UNSUBSCRIBE_SALT)
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse("unsubscribe", args=[token])


def unsubscribe_target(*, token: str) -> UnsubscribeTarget:
    """The customer and channel behind a link; raises UnsubscribeLinkInvalid."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.") from None
    customer_id = data.get("c") if isinstance(data, dict) else None
    channel = str(data.get("ch")) if isinstance(data, dict) else ""
    if not isinstance(customer_id, int) or channel not in MessageChannel.values:
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.")
    if not Customer.objects.filter(pk=customer_id).exists():
        raise UnsubscribeLinkInvalid("This unsubscribe link is not valid.")
    return UnsubscribeTarget(customer_id, channel, settings.COMPANY_NAME)


def unsubscribe_apply(*, token: str) -> UnsubscribeTarget:
    """Opt the link's customer out of its channel (pending messages there are cancelled);
    using the link again changes nothing."""
    target = unsubscribe_target(token=token)
    channel_opt_out_set(
        customer_id=target.customer_id, channel=target.channel, opted_out=True,
        reason="The customer used the unsubscribe link.",
    )  # fmt: skip
    return target
