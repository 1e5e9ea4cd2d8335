"""Anonymising a customer instead of deleting them (docs/adr: anonymising customers).

Deleting a customer would cascade away the evidence the company must keep: consent and its
history, message events (with the webhook dedupe keys that stop a repeated delivery from
counting twice), referral rewards. Anonymising erases what is personal and keeps the rows:
money stays as it was, consent stays (also under a hash of each address, so a returning
opted-out address is still known), and every count (jobs, messages, reviews) is unchanged.

The rows are found as the merge finds them, through Customer._meta.related_objects, and every
model that points at Customer must have a line in ERASURES: a model added later without one
makes anonymising refuse (and a test fail) rather than leave personal data behind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models, transaction
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.services import activity_create
from crm.audit.services import audit_entries_erase
from crm.core.errors import Conflict, NotFound
from crm.customers.models import Customer, referral_code_new
from crm.customers.services.erasure import erased_consents_record
from crm.customers.services.merge import customer_relations, relation_label
from crm.engagement.models import Reminder, ReminderStatus
from crm.messaging.models import EventKind, MessageEvent, MessageStatus, ScheduledMessage
from crm.messaging.services.transitions import status_move
from crm.reviews.models import FollowUpStatus, ServiceFollowUp

ERASED = "(erased)"
DELETE = "delete"  # derived rows with nothing to keep (an AI summary of the customer)
CANCELLED_REASON = "The customer's personal data was erased."

# Per model pointing at Customer: the values its rows take (an empty dict keeps them as they
# are: no personal data, kept for money or counts), or DELETE.
ERASURES: dict[str, dict[str, Any] | str] = {
    "customers.Customer": {},  # the customers they referred: other people, untouched
    "customers.ContactConsent": {},  # channel, opt-in, opt-out date: evidence, kept
    "technicians.CustomerTechnicianRating": {},
    "appliances.Appliance": {"serial_number": ""},
    "customers.ServiceLocation": {"address": ERASED, "access_notes": ""},  # label: unique, kept
    "plans.MaintenancePlan": {},  # name, dates and price: money
    "portal.PortalLink": DELETE,  # a way into personal pages: gone
    "jobs.Job": {"description": ERASED, "outcome": "", "issues_found": "", "service_address": ""},
    "jobs.Payment": {"reference": ""},  # amount, date and method stay
    "jobs.Expense": {"description": ""},  # amount, date and category stay
    "reviews.Review": {"comment": ""},
    "reviews.ServiceFollowUp": {"feedback": ""},
    "referrals.Referral": {},  # status and reward: money
    "activities.Activity": {"content": ERASED},
    "engagement.FollowUpLog": {"notes": ""},
    "engagement.Reminder": {"title": ERASED, "details": ""},
    "engagement.SuggestionDecision": {"title": ERASED},
    "messaging.ScheduledMessage": {
        "subject": "",
        "body": ERASED,
        "template_params": [],
        "last_error": "",
    },
    "messaging.MessageEvent": {"payload": None},  # dedupe keys stay; details below
    "insights.InsightResult": DELETE,
}


class AnonymiseNotCovered(RuntimeError):
    """A model points at Customer and ERASURES does not say what to do with it."""


@dataclass(frozen=True)
class AnonymiseSummary:
    """What anonymising erases, keeps and removes, per kind of row (counts and words)."""

    customer: Customer
    erased: dict[str, int]
    kept: dict[str, int]
    deleted: dict[str, int]
    erased_words: list[str]
    kept_words: list[str]
    deleted_words: list[str]


def _erasure(relation: models.ForeignObjectRel) -> dict[str, Any] | str:
    label = relation.related_model._meta.label
    if label not in ERASURES:
        raise AnonymiseNotCovered(f"{label} points at Customer: say in ERASURES what to erase.")
    return ERASURES[label]


def _rows(relation: models.ForeignObjectRel, customer_id: int) -> models.QuerySet[Any]:
    return relation.related_model._base_manager.filter(**{relation.field.name: customer_id})


def _summary(customer: Customer) -> AnonymiseSummary:
    groups: dict[str, dict[models.ForeignObjectRel, int]] = {
        "erased": {},
        "kept": {},
        "deleted": {},
    }
    for relation in customer_relations():
        erasure = _erasure(relation)
        count = _rows(relation, customer.pk).count()
        if count:
            group = "deleted" if erasure == DELETE else ("erased" if erasure else "kept")
            groups[group][relation] = count

    def words(group: str) -> list[str]:
        rows = groups[group].items()
        return [f"{n} {relation_label(relation, count=n)}" for relation, n in rows]

    def counts(group: str) -> dict[str, int]:
        return {relation_label(relation): n for relation, n in groups[group].items()}

    return AnonymiseSummary(
        customer=customer, erased=counts("erased"), kept=counts("kept"),
        deleted=counts("deleted"), erased_words=words("erased"), kept_words=words("kept"),
        deleted_words=words("deleted"),
    )  # fmt: skip


def _customer(customer_id: int, *, lock: bool) -> Customer:
    found = Customer.objects.select_for_update() if lock else Customer.objects
    customer = found.filter(pk=customer_id).first()
    if customer is None:
        raise NotFound("Customer not found.")
    if customer.anonymised_at is not None:
        day = timezone.localdate(customer.anonymised_at)
        raise Conflict(f"This customer was already anonymised on {day}.", field="customerId")
    return customer


def customer_anonymise_preview(*, customer_id: int) -> AnonymiseSummary:
    """What customer_anonymise would erase, keep and remove, changing nothing."""
    return _summary(_customer(customer_id, lock=False))


def _stop_what_is_pending(customer_id: int, now: dt.datetime) -> None:
    """Nothing more goes to, or is asked of, an erased customer."""
    pending = ScheduledMessage.objects.select_for_update().filter(
        customer_id=customer_id, status__in=[MessageStatus.DRAFT, MessageStatus.SCHEDULED]
    )
    for message in pending:
        status_move(
            message=message, from_statuses=[message.status], to_status=MessageStatus.CANCELLED,
            detail=CANCELLED_REASON,
        )  # fmt: skip
    ServiceFollowUp.objects.filter(customer_id=customer_id, status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.NO_RESPONSE, updated_at=now
    )
    Reminder.objects.filter(
        customer_id=customer_id, status__in=[ReminderStatus.OPEN, ReminderStatus.SNOOZED]
    ).update(status=ReminderStatus.DISMISSED, snoozed_until=None, resolved_at=now, updated_at=now)


def _erase_rows(customer_id: int) -> None:
    for relation in customer_relations():
        erasure = _erasure(relation)
        if erasure == DELETE:
            _rows(relation, customer_id).delete()
        elif isinstance(erasure, dict) and erasure:
            _rows(relation, customer_id).update(**erasure)
    # Status events can name the address (a provider's refusal); consent events are evidence.
    MessageEvent.objects.filter(customer_id=customer_id).exclude(kind=EventKind.CONSENT).update(
        detail=""
    )
    # Webhook events may point at the message only: their raw payloads hold the address too.
    MessageEvent.objects.filter(message__customer_id=customer_id).update(payload=None, detail="")


# The customer's own personal fields, which _erase_customer blanks.
PERSONAL_FIELDS = ("name", "email", "phone", "address", "preferred_contact_times", "referral_code")


def _erase_recorded_changes(customer_id: int) -> None:
    """The audit trail's old and new values of what was erased (its own entry of this
    anonymisation included): who changed what, and when, stay."""
    fields = {
        label: list(erasure) for label, erasure in ERASURES.items() if isinstance(erasure, dict)
    }
    fields["customers.Customer"] = list(PERSONAL_FIELDS)
    audit_entries_erase(customer_id=customer_id, fields=fields)


def _erase_customer(customer: Customer) -> None:
    customer.name = f"Anonymised customer #{customer.pk}"
    customer.email = customer.phone = customer.address = ""
    customer.preferred_contact_times = []
    customer.referral_code = referral_code_new()
    customer.save()


@transaction.atomic
def customer_anonymise(*, customer_id: int, user: User | None) -> AnonymiseSummary:
    """Erase the customer's personal data and keep their money, consent and counts.

    One transaction: all of it or nothing. Refused (409) for a customer already anonymised;
    recorded on the customer's timeline as a System event by `user`, with when.
    """
    customer = _customer(customer_id, lock=True)
    summary = _summary(customer)
    now = timezone.now()
    erased_consents_record(customer=customer, moment=now)
    _stop_what_is_pending(customer.pk, now)
    _erase_rows(customer.pk)
    customer.anonymised_at = now
    _erase_customer(customer)
    _erase_recorded_changes(customer.pk)
    who = user.get_username() if user is not None else "the system"
    activity_create(
        customer_id=customer.pk, kind=ActivityKind.SYSTEM, direction=Direction.INTERNAL,
        author=user, occurred_at=now,
        content=f"Personal data erased (customer anonymised) by {who}.",
    )  # fmt: skip
    return summary
