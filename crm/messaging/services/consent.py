"""Opt-out and opt-in from the customer's own words (STOP / START), an unsubscribe link or a
provider's refusal."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from crm.core.company import company
from crm.core.errors import ApplicationError, NotFound
from crm.customers.models import (
    ContactConsent,
    Customer,
    MessageChannel,
    SuppressionSource,
    consent_address,
)
from crm.customers.services.consent import address_opt_in, address_opt_out, consent_opt_out_clear
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage

UNSUBSCRIBE_SALT = "crm.messaging.unsubscribe"
User = AbstractBaseUser | AnonymousUser


@transaction.atomic
def address_opt_out_set(
    *, channel: str, address: str, opted_out: bool, source: str, reason: str
) -> list[int]:
    """The address itself opted out (or back in): every customer record with it follows, and
    an opt-out cancels their pending messages on the channel and suppresses the address for
    records made later. Returns the ids of the records that changed. Re-subscribing through
    an unsubscribe link (a marketing email's) restores the marketing opt-in as well."""
    if opted_out:
        changed = address_opt_out(channel=channel, address=address, source=source, detail=reason)
    else:
        marketing = source == SuppressionSource.UNSUBSCRIBE_LINK
        changed = address_opt_in(
            channel=channel, address=address, reason=reason, marketing=marketing
        )
    verb = "Opted out of" if opted_out else "Opted back in to"
    MessageEvent.objects.bulk_create(
        MessageEvent(
            customer_id=customer_id,
            kind=EventKind.CONSENT,
            detail=f"{verb} {channel} (address {address}): {reason}",
            payload={
                "channel": channel,
                "address": address,
                "optedOut": opted_out,
                "source": source,
            },
        )
        for customer_id in changed
    )
    for customer_id in changed if opted_out else []:
        _cancel_pending(customer_id=customer_id, channel=channel, reason=reason)
    return changed


@transaction.atomic
def channel_opt_out_set(
    *, customer_id: int, channel: str, opted_out: bool, reason: str,
    source: str = SuppressionSource.PROVIDER,
) -> bool:  # fmt: skip
    """Opt the customer's address on this channel out (or back in): see address_opt_out_set.

    A record without an address on the channel changes alone. Not customer_update: that one
    validates the whole customer, and an opt-out must be recorded even when an unrelated field
    (an old email address) would not pass today's checks. Returns whether anything changed.
    """
    customer = Customer.objects.get(pk=customer_id)
    address = consent_address(customer, channel)
    if address:
        changed = address_opt_out_set(
            channel=channel, address=address, opted_out=opted_out, source=source, reason=reason
        )
        return bool(changed)
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


@dataclass(frozen=True)
class ConsentCleared:
    """An opt-out the office cleared at the customer's request, and the record of it."""

    customer_id: int
    channel: str
    address_was_suppressed: bool
    event: MessageEvent


@transaction.atomic
def consent_clear(
    *, customer_id: int, channel: str, request: str, user: User | None = None
) -> ConsentCleared:
    """Clear one customer's opt-out on a channel because they asked; `request` records how
    and when. Kept as a consent event naming who cleared it, when and why; the address's
    suppression is lifted with it (the customer at that address asked)."""
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("Customer not found.")
    suppressed = consent_opt_out_clear(customer=customer, channel=channel, request=request)
    who = getattr(user, "username", "") or "the office"
    event = MessageEvent.objects.create(
        customer=customer, kind=EventKind.CONSENT,
        detail=f"Opt-out of {channel} cleared by {who} at the customer's request: "
        f"{request.strip()}",
        payload={"channel": channel, "address": consent_address(customer, channel),
                 "optedOut": False, "source": "Office", "request": request.strip(),
                 "clearedBy": who, "clearedById": user.pk if user and user.pk else None,
                 "addressWasSuppressed": suppressed},
    )  # fmt: skip
    return ConsentCleared(customer.pk, channel, suppressed, event)


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
    return UnsubscribeTarget(customer_id, channel, company().name)


def unsubscribe_apply(*, token: str, resubscribe: bool = False) -> UnsubscribeTarget:
    """Opt the link's address out of its channel: every record with that address, pending
    messages cancelled, later records suppressed; using the link again changes nothing.
    `resubscribe` (the page's own button) is the address opting in again through the same link.
    """
    target = unsubscribe_target(token=token)
    reason = (
        "The customer re-subscribed through the unsubscribe link."
        if resubscribe
        else "The customer used the unsubscribe link."
    )
    channel_opt_out_set(
        customer_id=target.customer_id, channel=target.channel, opted_out=not resubscribe,
        reason=reason, source=SuppressionSource.UNSUBSCRIBE_LINK,
    )  # fmt: skip
    return target
