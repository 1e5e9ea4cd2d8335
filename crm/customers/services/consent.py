"""Consent that follows the address: an opt-out from a phone number or an email address holds
for every customer record with it, now and later, until the address itself opts in again.

The address is the E.164 phone (SMS, WhatsApp) or the lower-cased email (Email), as the
customer services store them. The suppression list (AddressSuppression) is what makes a record
created later start opted out; each record's ContactConsent is what the pages and the
send-time check read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone

from crm.core.errors import Conflict, ValidationFailed
from crm.core.words import written_day, written_moment
from crm.customers.models import (
    AddressSuppression,
    ContactConsent,
    Customer,
    MessageChannel,
    consent_address,
)
from crm.customers.selectors import suppressions_of

BATCH = 500
REQUEST_MIN_LENGTH = 10


class OptOutStands(Conflict):
    """An opt-out can only be cleared by its own action, with the customer's request recorded."""


class ConsentChangedMeanwhile(Conflict):
    """An opt-out arrived after the form (or the client's copy) was read."""


def customers_with_address(*, channel: str, address: str) -> list[int]:
    """Ids of every customer record whose address on this channel is `address`."""
    if not address:
        return []
    column = "email" if channel == MessageChannel.EMAIL else "phone"
    return list(
        Customer.objects.filter(**{column: address}).order_by("id").values_list("id", flat=True)
    )


def suppression_active(*, channel: str, address: str) -> AddressSuppression | None:
    return AddressSuppression.objects.filter(
        channel=channel, address=address, lifted_at__isnull=True
    ).first()


def _suppression_open(*, channel: str, address: str, source: str, detail: str) -> None:
    """One active row per address: a second opt-out (or a concurrent one) adds nothing."""
    if suppression_active(channel=channel, address=address) is not None:
        return
    try:
        with transaction.atomic():
            AddressSuppression.objects.create(
                channel=channel, address=address, source=source, detail=detail[:2000],
                opted_out_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:  # the same STOP arrived twice at once; the other copy made the row
        pass


@transaction.atomic
def address_opt_out(*, channel: str, address: str, source: str, detail: str) -> list[int]:
    """Suppress the address and opt out every record with it; returns the ids of the records
    that were not opted out before (marketing opt-in is withdrawn with the opt-out)."""
    if not address:
        raise ValidationFailed("An opt-out needs the address it comes from.", field="address")
    _suppression_open(channel=channel, address=address, source=source, detail=detail)
    changed = []
    now = timezone.now()
    for customer_id in customers_with_address(channel=channel, address=address):
        consent, _ = ContactConsent.objects.select_for_update().get_or_create(
            customer_id=customer_id, channel=channel
        )
        if consent.opted_out_at is None:
            consent.opted_out_at, consent.marketing_opt_in = now, False
            consent.save(update_fields=["opted_out_at", "marketing_opt_in", "updated_at"])
            changed.append(customer_id)
    return changed


def _suppression_lift(*, channel: str, address: str, reason: str) -> bool:
    lifted = AddressSuppression.objects.filter(
        channel=channel, address=address, lifted_at__isnull=True
    ).update(lifted_at=timezone.now(), lifted_reason=reason[:2000] or "Opted in again.")
    return bool(lifted)


@transaction.atomic
def address_opt_in(
    *, channel: str, address: str, reason: str, marketing: bool = False
) -> list[int]:
    """The address itself opted in again (START, the same unsubscribe link): lift its
    suppression and the opt-out of every record with it; returns the ids that changed.
    `marketing` restores the marketing opt-in too (re-subscribing to a marketing email)."""
    if not address:
        return []
    _suppression_lift(channel=channel, address=address, reason=reason)
    ids = customers_with_address(channel=channel, address=address)
    opted_out = ContactConsent.objects.filter(
        customer_id__in=ids, channel=channel, opted_out_at__isnull=False
    )
    changed = sorted(opted_out.values_list("customer_id", flat=True))
    restored = {"marketing_opt_in": True} if marketing else {}
    opted_out.update(opted_out_at=None, updated_at=timezone.now(), **restored)
    return changed


@transaction.atomic
def consent_opt_out_clear(*, customer: Customer, channel: str, request: str) -> bool:
    """Clear one record's opt-out because the customer asked (`request` says how and when);
    the address's suppression is lifted too. Returns whether the address was suppressed."""
    if channel not in MessageChannel.values:
        raise ValidationFailed("Channel is WhatsApp, Email or SMS.", field="channel")
    if len(request.strip()) < REQUEST_MIN_LENGTH:
        raise ValidationFailed(
            "Record the customer's request: how and when they asked to hear from us again.",
            field="request",
        )
    consent = (
        ContactConsent.objects.select_for_update()
        .filter(customer=customer, channel=channel, opted_out_at__isnull=False)
        .first()
    )
    if consent is None:
        raise Conflict(f"{customer.name} is not opted out of {channel}.", field="channel")
    consent.opted_out_at = None
    consent.save(update_fields=["opted_out_at", "updated_at"])
    address = consent_address(customer, channel)
    return _suppression_lift(
        channel=channel, address=address, reason=f"Cleared by the office: {request.strip()}"
    )


def consents_suppression_apply(*, customers: Sequence[Customer]) -> int:
    """Opt each customer out of every channel whose address (their phone or email) is
    suppressed; returns how many consents changed. For new records and changed addresses."""
    changed = 0
    for start in range(0, len(customers), BATCH):
        changed += _suppression_apply_batch(customers[start : start + BATCH])
    return changed


def _suppression_apply_batch(customers: Sequence[Customer]) -> int:
    active = suppressions_of(customers=customers)
    changed = 0
    for customer in customers if active else []:
        for channel in MessageChannel.values:
            since = active.get((channel, consent_address(customer, channel)))
            if since is not None:
                changed += _consent_suppress(customer.pk, channel, since)
    return changed


def _consent_suppress(customer_id: int, channel: str, since: dt.datetime) -> int:
    consent, _ = ContactConsent.objects.get_or_create(customer_id=customer_id, channel=channel)
    if consent.opted_out_at is not None:
        return 0
    consent.opted_out_at, consent.marketing_opt_in = since, False
    consent.save(update_fields=["opted_out_at", "marketing_opt_in", "updated_at"])
    return 1


def consents_unchanged_since(*, customer: Customer, read_at: dt.datetime) -> None:
    """Refuse (409) when an opt-out of this customer arrived after `read_at`: a form opened
    before a STOP must not undo it, nor save anything else as if nothing had happened."""
    late = (
        ContactConsent.objects.filter(customer=customer, opted_out_at__gt=read_at)
        .order_by("opted_out_at")
        .first()
    )
    if late is not None:
        raise ConsentChangedMeanwhile(
            f"{customer.name} opted out of {late.channel} at "
            f"{written_moment(timezone.localtime(late.opted_out_at))}, after this form was "
            "opened. Nothing was saved: reload to see the change.",
            field="consents",
        )


def consent_opt_in_refusal(consent: ContactConsent, *, channel: str) -> OptOutStands:
    """The refusal for a change that would opt a record back in without its own action."""
    day = written_day(timezone.localtime(consent.opted_out_at))
    return OptOutStands(
        f"The customer opted out of {channel} on {day}. Clearing an "
        "opt-out is its own action that records the customer's request (Clear opt-out, or "
        f"POST /api/customer/{consent.customer_id}/consent/clear).",
        field="consents",
    )
