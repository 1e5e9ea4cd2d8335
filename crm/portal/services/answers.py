"""What a customer does on their portal page: answer a booked visit, change how we contact
them, request service. Each change is recorded as the customer's own, through their link, and
reaches only that link's customer: a job or appliance of anyone else is not found."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from crm.core.errors import NotFound, ValidationFailed
from crm.customers.models import (
    ContactMethod,
    Customer,
    FrequencyPreference,
    MessageChannel,
    SuppressionSource,
    consent_address,
)
from crm.customers.services import ConsentChange, customer_update
from crm.engagement.models import Reminder
from crm.engagement.services.appointments import visit_confirm, visit_reschedule_ask
from crm.engagement.services.service_request import service_request_create
from crm.jobs.models import Job
from crm.messaging.services.consent import channel_opt_out_set
from crm.portal.models import PortalLink
from crm.portal.services.links import VIA, as_the_customer

LANGUAGES = ("en", "es")
NOTE_MAX_LENGTH = 500


@dataclass(frozen=True)
class ChannelChoice:
    """One channel's two boxes: messages about visits (unticked = opted out), offers."""

    channel: str
    messages: bool
    offers: bool


@dataclass(frozen=True)
class PortalChoices:
    """What the preferences form sends."""

    preferred_contact_method: str
    frequency: str
    language: str
    channels: Sequence[ChannelChoice]


def _own_job(link: PortalLink, job_id: int) -> int:
    if not Job.objects.filter(pk=job_id, customer_id=link.customer_id).exists():
        raise NotFound("No such visit.")
    return job_id


@transaction.atomic
def portal_visit_confirm(*, link: PortalLink, job_id: int) -> Job:
    """The customer confirms one of their own booked visits (Conflict when no longer booked)."""
    with as_the_customer(link):
        return visit_confirm(job_id=_own_job(link, job_id), via=VIA)


@transaction.atomic
def portal_visit_reschedule(*, link: PortalLink, job_id: int, note: str = "") -> Reminder:
    """The customer asks to move one of their own booked visits: the office's High reminder."""
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationFailed(f"At most {NOTE_MAX_LENGTH} characters.", field="note")
    with as_the_customer(link):
        return visit_reschedule_ask(job_id=_own_job(link, job_id), via=VIA, note=note)


@transaction.atomic
def portal_service_request(
    *, link: PortalLink, appliance_id: int | None, problem: str, preferred_days: Sequence[str]
) -> Reminder:
    """The customer asks for a visit: the office's reminder and a timeline entry."""
    with as_the_customer(link):
        return service_request_create(
            customer_id=link.customer_id, appliance_id=appliance_id, problem=problem,
            preferred_days=preferred_days, via=VIA,
        )  # fmt: skip


def _choices_check(choices: PortalChoices) -> None:
    if choices.preferred_contact_method not in ContactMethod.values:
        raise ValidationFailed("Choose a way to reach you.", field="preferred_contact_method")
    if choices.frequency not in FrequencyPreference.values:
        raise ValidationFailed("Choose how often.", field="frequency")
    if choices.language not in LANGUAGES:
        raise ValidationFailed("Choose English or Spanish.", field="language")
    if any(c.channel not in MessageChannel.values for c in choices.channels):
        raise ValidationFailed("Unknown channel.", field="channels")


def _language_tag(customer: Customer, language: str) -> str:
    """Keep the customer's regional tag (es-MX) when the language itself did not change."""
    same = customer.language_preference.lower().startswith(language)
    return customer.language_preference if same else language


@transaction.atomic
def portal_preferences_save(*, link: PortalLink, choices: PortalChoices) -> Customer:
    """The customer's own contact preferences and consents. Unticking a channel's messages
    opts its address out (suppressed for every record with it, pending messages cancelled);
    ticking it again is their own request to hear from us, which clears the opt-out."""
    _choices_check(choices)
    customer = Customer.objects.select_for_update().get(pk=link.customer_id)
    reason = "The customer changed it on their portal page."
    with as_the_customer(link):
        for choice in choices.channels:
            if consent_address(customer, choice.channel):
                channel_opt_out_set(
                    customer_id=customer.pk, channel=choice.channel,
                    opted_out=not choice.messages, reason=reason,
                    source=SuppressionSource.PORTAL,
                )  # fmt: skip
        fields = {
            "preferred_contact_method": choices.preferred_contact_method,
            "communication_frequency_preference": choices.frequency,
            "language_preference": _language_tag(customer, choices.language),
        }
        offers = [
            ConsentChange(channel=c.channel, marketing_opt_in=c.offers and c.messages)
            for c in choices.channels
            if consent_address(customer, c.channel)
        ]
        customer.refresh_from_db()
        return customer_update(customer=customer, fields=fields, consents=offers)
