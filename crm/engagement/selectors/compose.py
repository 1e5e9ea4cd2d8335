"""What the office sees before writing to a customer: each channel's address, consent and,
for WhatsApp, whether the 24-hour window is open (the outbox's own rules, read here)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from crm.activities.models import Activity
from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.customers.selectors import consents_for_sending
from crm.messaging.models import Purpose
from crm.messaging.policy import consent_problem, contact_slot, recipient_address
from crm.messaging.selectors import whatsapp_window_closes_at


@dataclass(frozen=True)
class ChannelState:
    """One channel as the compose form shows it; `refusal` is why nothing can go ('' if it can)."""

    channel: str
    address: str
    consent: ContactConsent | None
    refusal: str
    window_closes_at: dt.datetime | None = None
    template_name: str = ""

    @property
    def is_whatsapp(self) -> bool:
        return self.channel == MessageChannel.WHATSAPP


def channel_states(*, customer: Customer) -> list[ChannelState]:
    """Every channel of the customer for a Service message (a reply or a direct word)."""
    consents = consents_for_sending(customers=[customer])
    window = whatsapp_window_closes_at(customer_id=customer.pk)
    states = []
    for channel in MessageChannel.values:
        consent = consents.get((customer.pk, channel))
        address = recipient_address(customer, channel)
        refusal = consent_problem(consent, channel=channel, purpose=Purpose.SERVICE)
        if not address:
            kind = "email address" if channel == MessageChannel.EMAIL else "phone number"
            refusal = f"No {kind} on file."
        states.append(
            ChannelState(
                channel=channel, address=address, consent=consent, refusal=refusal,
                window_closes_at=window if channel == MessageChannel.WHATSAPP else None,
                template_name=settings.WHATSAPP_TEMPLATE_NAME,
            )
        )  # fmt: skip
    return states


def reply_subject(reply_to: Activity) -> str:
    """An email reply's subject: the customer's message by its day (no subject is stored)."""
    day = timezone.localtime(reply_to.occurred_at)
    return f"Re: your message of {day:%b} {day.day}"


def scheduled_words(*, customer: Customer, channel: str, send_at: dt.datetime) -> str:
    """The confirmation of a scheduled message, with the time it will really go when that is
    not now (a chosen time, or the end of the quiet hours)."""
    text = f"Message scheduled: {channel} to {customer.name}"
    goes = timezone.localtime(contact_slot(customer, send_at))
    if goes > timezone.now() + dt.timedelta(minutes=1):
        text += f", goes {goes:%b} {goes.day}, {goes:%I:%M %p}".replace(" 0", " ")
    return text
