"""Writes for customers: create, update (preferences and consent included), preferred technician.

Phone numbers are stored in E.164 and emails lower-cased, so duplicates, consent and STOP
follow the number and the address whatever way they were typed. The merge is in merge.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from crm.audit.services import audit_bulk_created, audit_bulk_updated
from crm.core.bulk import model_columns, rows_set
from crm.core.errors import Conflict, ValidationFailed
from crm.core.phones import phone_normalize
from crm.core.validation import model_validate
from crm.customers.models import (
    REFERRAL_ALPHABET,
    ContactConsent,
    Customer,
    MessageChannel,
    referral_code_new,
)
from crm.customers.preferences import contact_times_clean, language_clean, timezone_clean
from crm.customers.selectors import customer_duplicate_of
from crm.customers.services.consent import (
    consent_opt_in_refusal,
    consents_suppression_apply,
    consents_unchanged_since,
)
from crm.customers.services.erasure import erased_opt_outs_carry
from crm.customers.services.locations import home_locations_follow
from crm.customers.services.merge import MergeSummary, customer_merge, customer_merge_preview
from crm.referrals.services import referral_create
from crm.technicians.models import Technician

EDITABLE_FIELDS = {
    "name", "email", "phone", "address", "preferred_contact_method", "preferred_contact_times",
    "communication_frequency_preference", "language_preference", "timezone",
}  # fmt: skip


__all__ = [
    "ConsentChange", "DuplicateCustomer", "MergeSummary", "consents_suppression_apply",
    "customer_create", "customer_merge", "customer_merge_preview",
    "customer_preferred_technician_set", "customer_update",
]  # fmt: skip


class DuplicateCustomer(Conflict):
    """Another customer already has this phone number or email; `duplicate` is that customer."""

    def __init__(self, *, field: str, duplicate: Customer) -> None:
        what = "phone number" if field == "phone" else "email"
        super().__init__(f"{duplicate.name} already has this {what}.", field=field)
        self.duplicate = duplicate

    def details(self) -> dict[str, Any]:
        return {"duplicateOf": {"id": self.duplicate.pk, "name": self.duplicate.name}}


@dataclass(frozen=True)
class ConsentChange:
    """A change to one channel's consent; None leaves that part as it is."""

    channel: str
    marketing_opt_in: bool | None = None
    opted_out: bool | None = None


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed(f"Unknown customer fields: {', '.join(sorted(unknown))}.")
    cleaned = dict(fields)
    if "name" in cleaned and not str(cleaned["name"]).strip():
        raise ValidationFailed("Name is required.", field="name")
    if "phone" in cleaned:
        cleaned["phone"] = phone_normalize(str(cleaned["phone"]))
    if "email" in cleaned:
        cleaned["email"] = str(cleaned["email"]).strip().lower()
    if "preferred_contact_times" in cleaned:
        cleaned["preferred_contact_times"] = contact_times_clean(cleaned["preferred_contact_times"])
    if "language_preference" in cleaned:
        cleaned["language_preference"] = language_clean(cleaned["language_preference"])
    if "timezone" in cleaned:
        cleaned["timezone"] = timezone_clean(cleaned["timezone"])
    return cleaned


def _consents_apply(customer: Customer, changes: list[ConsentChange]) -> None:
    """Record opt-outs and marketing choices; opting an opted-out channel back in is refused
    (OptOutStands): that is consent_opt_out_clear's job, with the customer's request."""
    for change in changes:
        if change.channel not in MessageChannel.values:
            raise ValidationFailed("Consent channel is WhatsApp, Email or SMS.", field="consents")
        consent, _ = ContactConsent.objects.select_for_update().get_or_create(
            customer=customer, channel=change.channel
        )
        opting_in = change.opted_out is False or change.marketing_opt_in is True
        if consent.opted_out_at is not None and opting_in:
            raise consent_opt_in_refusal(consent, channel=change.channel)
        if change.marketing_opt_in is not None:
            consent.marketing_opt_in = change.marketing_opt_in
        if change.opted_out is True and consent.opted_out_at is None:
            consent.opted_out_at = timezone.now()
        consent.save()


@transaction.atomic
def customer_create(
    *,
    fields: dict[str, Any],
    consents: list[ConsentChange] | None = None,
    referred_by_id: int | None = None,
    allow_duplicate: bool = False,
) -> Customer:
    """Create a customer; a referrer given here is recorded as a Referral too.

    A phone number or email another customer has is refused (DuplicateCustomer) unless
    `allow_duplicate`: a household shares a number.
    """
    if referred_by_id is not None and not Customer.objects.filter(pk=referred_by_id).exists():
        raise ValidationFailed("No customer with that id.", field="referredById")
    customer = Customer(**_clean_fields(fields))
    model_validate(customer, exclude=["referral_code", "referred_by", "preferred_technician"])
    if not allow_duplicate:
        found = customer_duplicate_of(phone=customer.phone, email=customer.email)
        if found is not None:
            raise DuplicateCustomer(field=found.field, duplicate=found.customer)
    customer.save()
    home_locations_follow(customers=[customer], old_addresses={})
    _consents_apply(customer, consents or [])
    erased_opt_outs_carry(customer=customer)  # an anonymised customer's opt-out stays
    consents_suppression_apply(customers=[customer])
    if referred_by_id is not None:
        referral_create(referrer_id=referred_by_id, referred_customer_id=customer.pk)
        customer.refresh_from_db()
    return customer


@transaction.atomic
def customer_update(
    *,
    customer: Customer,
    fields: dict[str, Any],
    consents: list[ConsentChange] | None = None,
    consents_read_at: dt.datetime | None = None,
) -> Customer:
    """Update contact details and communication preferences; only the given fields change.

    With `consents_read_at` (when the form was opened) nothing is saved if an opt-out arrived
    since. A phone or email that is suppressed opts the customer out of its channels. A new
    address moves their first location too while it was still their own (home_locations_follow).
    """
    if consents_read_at is not None:
        consents_unchanged_since(customer=customer, read_at=consents_read_at)
    old_address = customer.address
    for name, value in _clean_fields(fields).items():
        setattr(customer, name, value)
    model_validate(customer, exclude=["referral_code", "referred_by", "preferred_technician"])
    customer.save()
    home_locations_follow(customers=[customer], old_addresses={customer.pk: old_address})
    _consents_apply(customer, consents or [])
    if {"phone", "email"} & set(fields):
        erased_opt_outs_carry(customer=customer)  # an anonymised customer's opt-out stays
        consents_suppression_apply(customers=[customer])
    return customer


@transaction.atomic
def customer_preferred_technician_set(*, customer: Customer, technician_id: int | None) -> Customer:
    """Set (or clear, with None) the preferred technician; only active technicians qualify."""
    technician = None
    if technician_id is not None:
        technician = Technician.objects.filter(pk=technician_id, active=True).first()
        if technician is None:
            raise ValidationFailed("No active technician with that id.", field="technicianId")
    customer.preferred_technician = technician
    customer.save(update_fields=["preferred_technician", "updated_at"])
    return customer


# Bulk writes for the CSV import (crm/office/importing): the caller validated every row and
# owns the one transaction; these only keep the tables' own rules.
BULK_BATCH = 500


def referral_codes_new(count: int) -> list[str]:
    """`count` random referral codes at once (as referral_code_new, about 20x faster)."""
    raw = secrets.token_bytes(8 * count)  # 256 is a multiple of 32: every letter equally likely
    letters = [REFERRAL_ALPHABET[byte % len(REFERRAL_ALPHABET)] for byte in raw]
    return ["".join(letters[start : start + 8]) for start in range(0, len(letters), 8)]


def _referral_codes_unique(customers: list[Customer]) -> None:
    """Give every new customer a referral code no other customer (saved or new) has; an
    empty code is filled in."""
    blank = [customer for customer in customers if not customer.referral_code]
    for customer, code in zip(blank, referral_codes_new(len(blank)), strict=True):
        customer.referral_code = code
    used: set[str] = set()
    for start in range(0, len(customers), BULK_BATCH):
        pending = customers[start : start + BULK_BATCH]
        while pending:  # 2^40 codes: a second round is already rare
            taken = set(
                Customer.objects.filter(
                    referral_code__in=[customer.referral_code for customer in pending]
                ).values_list("referral_code", flat=True)
            )
            clashes = []
            for customer in pending:
                if customer.referral_code in taken or customer.referral_code in used:
                    customer.referral_code = referral_code_new()
                    clashes.append(customer)
                else:
                    used.add(customer.referral_code)
            pending = clashes


def customers_bulk_create(*, customers: list[Customer]) -> list[Customer]:
    """Insert validated new customers in batches; each gets a unique referral code and its pk,
    and those with an address their "Home" location."""
    _referral_codes_unique(customers)
    created = Customer.objects.bulk_create(customers, batch_size=BULK_BATCH)
    audit_bulk_created(instances=created)
    home_locations_follow(customers=created, old_addresses={})
    return created


def customers_bulk_update(*, customers: list[Customer], fields: list[str]) -> int:
    """Save the given fields of validated existing customers (and their updated_at), with one
    prepared UPDATE run for them all (crm.core.bulk.rows_set); the audit trail records the
    audited fields' old and new values."""
    now = timezone.now()
    before = _stored(customers=customers, fields=fields)
    columns = model_columns(Customer, [*fields, "updated_at"])
    for customer in customers:
        customer.updated_at = now
    rows = (
        (customer.pk, [getattr(customer, column.attname) for column in columns])
        for customer in customers
    )
    updated = rows_set(Customer, fields=[column.name for column in columns], rows=rows)
    audit_bulk_updated(before=before, after=customers, fields=fields)
    if "address" in fields:
        old = {pk: customer.address for pk, customer in before.items()}
        home_locations_follow(customers=customers, old_addresses=old)
    return updated


def _stored(*, customers: list[Customer], fields: list[str]) -> dict[Any, Customer]:
    """The stored values of `fields` of these customers, before a bulk write changes them."""
    ids = [customer.pk for customer in customers]
    stored: dict[Any, Customer] = {}
    for start in range(0, len(ids), BULK_BATCH):
        batch = Customer.objects.filter(pk__in=ids[start : start + BULK_BATCH]).only("pk", *fields)
        stored.update((customer.pk, customer) for customer in batch)
    return stored


def consents_bulk_set(*, marketing: dict[tuple[int, str], bool]) -> int:
    """Set marketing opt-in per (customer id, channel); an opt-out date is never touched."""
    customer_ids = sorted({customer_id for customer_id, _ in marketing})
    existing: dict[tuple[int, str], ContactConsent] = {}
    for start in range(0, len(customer_ids), BULK_BATCH):
        for consent in ContactConsent.objects.filter(
            customer_id__in=customer_ids[start : start + BULK_BATCH]
        ):
            existing[(consent.customer_id, consent.channel)] = consent
    changed: list[ContactConsent] = []
    new: list[ContactConsent] = []
    before: dict[Any, ContactConsent] = {}
    for (customer_id, channel), opt_in in marketing.items():
        found = existing.get((customer_id, channel))
        if found is None:
            new.append(ContactConsent(customer_id=customer_id, channel=channel,
                                      marketing_opt_in=opt_in))  # fmt: skip
        elif found.marketing_opt_in != opt_in:
            before[found.pk] = copy.copy(found)
            found.marketing_opt_in, found.updated_at = opt_in, timezone.now()
            changed.append(found)
    ContactConsent.objects.bulk_create(new, batch_size=BULK_BATCH)
    ContactConsent.objects.bulk_update(
        changed, ["marketing_opt_in", "updated_at"], batch_size=BULK_BATCH
    )
    audit_bulk_created(instances=new)
    audit_bulk_updated(before=before, after=changed, fields=["marketing_opt_in"])
    return len(new) + len(changed)
