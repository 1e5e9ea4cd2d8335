"""A customer's reply to their appointment reminder: "C" or "1" confirms the visit, "R" or "2"
asks to move it (crm.engagement.services.appointments does either). Any other text, or a reply
with no recent reminder of an open visit, is only what it already is: a message on the timeline.

crm.messaging stores inbound messages and cannot import engagement (it sits below it), so it
tells us through its `inbound_message_stored` signal; crm/engagement/receivers.py connects it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.core.errors import ApplicationError
from crm.customers.models import MessageChannel
from crm.engagement.services.appointments import (
    OPEN_STATUSES,
    visit_confirm,
    visit_reschedule_ask,
)
from crm.messaging.models import MessageSource, MessageStatus, ScheduledMessage

logger = logging.getLogger(__name__)
CONFIRM_CODES = frozenset({"C", "1"})
RESCHEDULE_CODES = frozenset({"R", "2"})
WENT_OUT = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.READ)


def reply_code(text: str) -> str:
    """ "c", " 1. ", "R!" -> "C", "1", "R"; anything else as it is, upper-cased."""
    return text.strip().rstrip(".!").strip().upper()


def _answered_job_id(customer_id: int, now: dt.datetime) -> int | None:
    """The open visit whose reminder went to this customer most recently, within the days a
    reply still counts (APPOINTMENT_REPLY_DAYS)."""
    since = now - dt.timedelta(days=settings.APPOINTMENT_REPLY_DAYS)
    reminders = ScheduledMessage.objects.filter(
        customer_id=customer_id, source=MessageSource.APPOINTMENT, status__in=WENT_OUT,
        sent_at__gte=since, job__status__in=OPEN_STATUSES,
    )  # fmt: skip
    return reminders.order_by("-sent_at").values_list("job_id", flat=True).first()


@transaction.atomic
def appointment_reply_apply(
    *, customer_id: int, channel: str, text: str, now: dt.datetime | None = None
) -> str:
    """Act on a reply to a reminder: "confirmed", "reschedule" or "" (not an answer)."""
    code = reply_code(text)
    if code not in CONFIRM_CODES | RESCHEDULE_CODES:
        return ""
    job_id = _answered_job_id(customer_id, now or timezone.now())
    if job_id is None:
        return ""
    via = "a WhatsApp reply" if channel == MessageChannel.WHATSAPP else "an SMS reply"
    try:
        if code in CONFIRM_CODES:
            visit_confirm(job_id=job_id, via=via)
            return "confirmed"
        visit_reschedule_ask(job_id=job_id, via=via)
        return "reschedule"
    except ApplicationError:  # the visit closed meanwhile: the reply stays on the timeline
        logger.info("Reply to the reminder of job %s not applied", job_id)
        return ""
