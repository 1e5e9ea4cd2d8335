"""A few outbox rows that need a person, as a working office has them: sends that failed for
good and sends whose outcome nobody knows (a worker restarted mid-send, a provider timed out).
They give Today's "Messages needing you" something real to act on."""

from __future__ import annotations

import datetime as dt

from crm.customers.models import ContactConsent, Customer, MessageChannel
from crm.demo.context import SeedContext
from crm.messaging.models import (
    EventKind,
    MessageEvent,
    MessageSource,
    MessageStatus,
    ScheduledMessage,
)

# (status, channel, hours ago, text, what went wrong)
PROBLEMS = (
    (MessageStatus.FAILED, MessageChannel.SMS, 20,
     "Hi {first}, reminder: your technician arrives tomorrow between 9 and 11 am.",
     "Gave up after 5 attempts. Last error: Twilio 30003, unreachable destination handset."),
    (MessageStatus.UNKNOWN, MessageChannel.WHATSAPP, 5,
     "Hi {first}, your replacement part has arrived. Reply here to book the fitting visit.",
     "The dispatcher stopped while sending (crash or restart): it may or may not have gone "
     "out. Check with the provider before sending again."),
    (MessageStatus.FAILED, MessageChannel.WHATSAPP, 30,
     "Hello {first}! It's been about a year since we serviced your appliance. Shall we book "
     "the annual check-up?",
     "WhatsApp 131047: more than 24 hours since the customer last wrote, and no approved "
     "template is set up."),
    (MessageStatus.UNKNOWN, MessageChannel.SMS, 2,
     "Hi {first}, your technician is on the way and should arrive in about 30 minutes.",
     "No answer from Twilio within 15 s: the message may have been accepted."),
)  # fmt: skip


def _reachable(channel: str) -> list[Customer]:
    """Customers with a phone who have not opted out of `channel`, oldest first."""
    opted_out = ContactConsent.objects.filter(channel=channel, opted_out_at__isnull=False)
    return list(
        Customer.objects.exclude(phone="")
        .exclude(pk__in=opted_out.values("customer_id"))
        .order_by("id")[:50]
    )


def outbox_problems_add(ctx: SeedContext) -> int:
    """Write the PROBLEMS for customers picked by the seeded RNG; returns the messages."""
    messages = []
    for number, (status, channel, hours, text, error) in enumerate(PROBLEMS):
        candidates = _reachable(channel)
        if not candidates:
            continue
        customer = ctx.pick(candidates)
        at = ctx.now - dt.timedelta(hours=hours)
        message = ScheduledMessage(
            customer=customer, channel=channel, body=text.format(first=customer.name.split()[0]),
            send_at=at, status=status, source=MessageSource.MANUAL, last_error=error,
            idempotency_key=f"demo:outbox:{number}:{customer.pk}",
            attempts=5 if status == MessageStatus.FAILED else 1,
            needs_review=status == MessageStatus.UNKNOWN,
            sending_started_at=at, status_changed_at=at, created_at=at,
        )  # fmt: skip
        messages.append(message)
    ScheduledMessage.objects.bulk_create(messages)
    MessageEvent.objects.bulk_create(
        MessageEvent(
            message=message,
            customer_id=message.customer_id,
            kind=EventKind.STATUS,
            from_status=MessageStatus.SENDING,
            to_status=message.status,
            detail=message.last_error,
            created_at=message.status_changed_at,
        )
        for message in messages
    )
    return len(messages)
