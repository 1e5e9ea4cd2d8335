"""Consent evidence that outlives an anonymised customer (docs/adr: anonymising customers).

Anonymising erases the phone number and email, but an opt-out given from that address must
still stop a later record with the same address (a returning customer, a household member, an
import). The consent is kept under a keyed hash of the normalised address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from crm.customers.models import (
    ContactConsent,
    Customer,
    ErasedAddressConsent,
    MessageChannel,
    address_hash,
)

# The customer field that holds each channel's address.
ADDRESS_FIELD = {
    MessageChannel.EMAIL: "email",
    MessageChannel.WHATSAPP: "phone",
    MessageChannel.SMS: "phone",
}


def _hashes(address: str) -> list[str]:
    """The address's hash under SECRET_KEY and each SECRET_KEY_FALLBACKS (a rotated key)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [address_hash(address, secret=secret) for secret in secrets]


def erased_consents_record(*, customer: Customer, moment: dt.datetime) -> int:
    """Keep the customer's consents under their addresses' hashes, before the addresses are
    erased; where the address is already known the stricter answer stays. Returns rows kept."""
    kept = 0
    for consent in ContactConsent.objects.filter(customer=customer):
        address = getattr(customer, ADDRESS_FIELD[MessageChannel(consent.channel)])
        if not address:
            continue
        known = ErasedAddressConsent.objects.select_for_update().filter(
            channel=consent.channel, address_hash__in=_hashes(address)
        )
        row = known.first() or ErasedAddressConsent(
            channel=consent.channel, address_hash=address_hash(address)
        )
        opted_out = [at for at in (row.opted_out_at, consent.opted_out_at) if at]
        row.opted_out_at = min(opted_out, default=None)
        row.marketing_opt_in = consent.marketing_opt_in and (row.pk is None or row.marketing_opt_in)
        row.erased_at = moment
        row.save()
        kept += 1
    return kept


def erased_opt_outs_carry(*, customer: Customer) -> int:
    """A new record with an address an anonymised customer had opted out from starts opted
    out on that channel. Returns the channels it was opted out of."""
    carried = 0
    for channel, field in ADDRESS_FIELD.items():
        address = getattr(customer, field)
        if not address:
            continue
        evidence = (
            ErasedAddressConsent.objects.filter(
                channel=channel, address_hash__in=_hashes(address), opted_out_at__isnull=False
            )
            .values_list("opted_out_at", flat=True)
            .first()
        )
        if evidence is None:
            continue
        ContactConsent.objects.update_or_create(
            customer=customer, channel=channel,
            defaults={"opted_out_at": evidence, "marketing_opt_in": False},
        )  # fmt: skip
        carried += 1
    return carried
