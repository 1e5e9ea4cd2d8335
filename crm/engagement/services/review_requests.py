"""Asking a happy customer for a public review: a survey answered REVIEW_REQUEST_MIN_RATING or
better (4 or 5), with the company's review link set (PUBLIC_REVIEW_URL, or Settings), schedules
a review request for the customer's next allowed hour. It is Marketing (it needs the customer's
opt-in, and the marketing frequency rules hold it), and goes at most once per customer per
REVIEW_REQUEST_INTERVAL_DAYS. Low answers never reach it: they go to the office (surveys.py).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.services import activity_create
from crm.core.company import company
from crm.core.errors import ApplicationError
from crm.core.words import written_moment
from crm.customers.models import Customer
from crm.messaging.models import MessageSource, MessageStatus, Purpose, ScheduledMessage
from crm.messaging.policy import contact_slot
from crm.messaging.services.outbox import MessageDraft, message_schedule
from crm.messaging.services.surveys import usable_channel
from crm.reviews.models import ServiceFollowUp

logger = logging.getLogger(__name__)


def review_request_text(customer: Customer, rating: int, link: str) -> str:
    """Fixed wording (no LLM), in Spanish for Spanish speakers."""
    first = (customer.name.split() or [""])[0]
    if customer.language_preference.lower().startswith("es"):
        return (
            f"¡Gracias por calificarnos con {rating}/5, {first}! Si tiene un minuto, una reseña "
            f"pública ayuda a sus vecinos a encontrar {company().name}: {link}"
        )
    return (
        f"Thank you for rating us {rating}/5, {first}! If you have a minute, a public review "
        f"helps your neighbors find {company().name}: {link}"
    )


def _interval_key(customer_id: int, now: dt.datetime) -> str:
    """One request per customer per interval window (the outbox's idempotency key)."""
    window = now.date().toordinal() // max(settings.REVIEW_REQUEST_INTERVAL_DAYS, 1)
    return f"review-request:{customer_id}:{window}"


def _asked_lately(customer_id: int, now: dt.datetime) -> bool:
    """A request sent or scheduled for this customer within the interval (a cancelled one, the
    customer never got, does not count)."""
    since = now - dt.timedelta(days=settings.REVIEW_REQUEST_INTERVAL_DAYS)
    asked = ScheduledMessage.objects.filter(
        customer_id=customer_id, source=MessageSource.REVIEW_REQUEST, send_at__gt=since
    ).exclude(status=MessageStatus.CANCELLED)
    return asked.exists()


def _next_hour(now: dt.datetime) -> dt.datetime:
    return now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


@transaction.atomic
def review_request_schedule(
    *, follow_up: ServiceFollowUp, now: dt.datetime | None = None
) -> ScheduledMessage | None:
    """Schedule the review request a good survey answer earns (see the module), and note on
    the timeline that it was asked; None when it is not (low score, no link, no opt-in, asked
    within the interval). Never fails the survey answer."""
    rating, link, now = follow_up.satisfaction_rating, company().review_link, now or timezone.now()
    if rating is None or rating < settings.REVIEW_REQUEST_MIN_RATING or not link:
        return None
    key = _interval_key(follow_up.customer_id, now)
    if _asked_lately(follow_up.customer_id, now) or (
        ScheduledMessage.objects.filter(idempotency_key=key).exists()
    ):
        return None
    customer = Customer.objects.get(pk=follow_up.customer_id)
    channel = usable_channel(customer, purpose=Purpose.MARKETING)
    if channel is None:
        return None
    send_at = contact_slot(customer, _next_hour(now))
    draft = MessageDraft(
        customer_id=customer.pk, channel=channel, body=review_request_text(customer, rating, link),
        purpose=Purpose.MARKETING, send_at=send_at, source=MessageSource.REVIEW_REQUEST,
        idempotency_key=key, job_id=follow_up.job_id,
    )  # fmt: skip
    try:
        message = message_schedule(draft=draft, user=None)
    except ApplicationError:
        logger.info("Review request for customer %s not scheduled", customer.pk)
        return None
    activity_create(
        customer_id=customer.pk, kind=ActivityKind.SYSTEM, direction=Direction.INTERNAL,
        job_id=follow_up.job_id,
        content=f"Asked for a public review ({rating}/5 on the survey): the {channel} message "
        f"goes {written_moment(timezone.localtime(send_at))}.",
    )  # fmt: skip
    return message
