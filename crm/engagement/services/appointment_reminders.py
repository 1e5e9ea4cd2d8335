"""The appointment reminder: one message per visit, APPOINTMENT_REMINDER_HOURS before it.

Every door that books or changes a job calls appointment_reminder_sync afterwards (through
crm.engagement.services.jobs), so the reminder follows the visit: booked -> scheduled, moved ->
the same message moves, cancelled / started / completed -> cancelled, reopened -> scheduled
again. Its idempotency key is the job's, so a visit never gets two reminders, whatever happens.
A visit booked (or moved) less than the lead time ahead gets none.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from crm.core.company import company
from crm.core.errors import ApplicationError
from crm.core.words import clock_time, spoken_date
from crm.customers.selectors import visit_zone
from crm.jobs.models import Job, JobStatus
from crm.messaging.models import (
    EDITABLE_STATUSES,
    MessageSource,
    MessageStatus,
    Purpose,
    ScheduledMessage,
)
from crm.messaging.services.outbox import (
    MessageChanges,
    MessageDraft,
    message_schedule,
    message_update,
)
from crm.messaging.services.surveys import usable_channel
from crm.messaging.services.transitions import status_move

logger = logging.getLogger(__name__)
WITHDRAWN = "The visit was cancelled, started or done before the reminder went out."
TOO_LATE = "The visit moved to less than the reminder's lead time ahead."


def reminder_key(job_id: int) -> str:
    """The one reminder of a visit (the outbox's idempotency key)."""
    return f"appointment:{job_id}"


def _window_length(job: Job) -> dt.timedelta | None:
    """The booked arrival window's length ("10:00-12:00": two hours); None without one."""
    start, _, end = job.arrival_window.partition("-")
    try:
        begins, ends = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
    except ValueError:
        return None
    minutes = (ends.hour * 60 + ends.minute) - (begins.hour * 60 + begins.minute)
    return dt.timedelta(minutes=minutes) if minutes > 0 else None


def _when(job: Job, spanish: bool) -> str:
    """`Tuesday, December 8, between 10:00 AM and 12:00 PM`, in the visit's time zone."""
    assert job.scheduled_for is not None
    start = job.scheduled_for.astimezone(visit_zone(location=job.location, customer=job.customer))
    day = spoken_date(start.date(), "es" if spanish else "en", weekday=True)
    length = _window_length(job)
    if length is None:
        return (
            f"el {day} a las {clock_time(start)}" if spanish else f"{day}, at {clock_time(start)}"
        )
    begins, ends = clock_time(start), clock_time(start + length)
    if spanish:
        return f"el {day}, entre las {begins} y las {ends}"
    return f"{day}, between {begins} and {ends}"


def reminder_text(job: Job) -> str:
    """Fixed wording (no LLM), in Spanish for Spanish speakers: day, window, who and what."""
    customer = job.customer
    first = (customer.name.split() or [""])[0]
    spanish = customer.language_preference.lower().startswith("es")
    appliance = job.appliance
    what = f"{appliance.brand} {appliance.get_type_display().lower()}".strip() if appliance else ""
    if spanish:
        who = job.technician.name if job.technician else "nuestro técnico"
        about = f" para su {what}" if what else ""
        return (
            f"Hola {first}, le recordamos su visita de {company().name} {_when(job, True)}: "
            f"le atenderá {who}{about}. Responda C para confirmar o R para cambiar la fecha."
        )
    who = job.technician.name if job.technician else "our technician"
    about = f" about your {what}" if what else ""
    return (
        f"Hi {first}, a reminder of your {company().name} visit on {_when(job, False)}: "
        f"{who} will come{about}. Reply C to confirm or R to reschedule."
    )


def reminder_send_at(job: Job) -> dt.datetime | None:
    """When the reminder goes: the lead time before the visit; None when it should not."""
    if job.status != JobStatus.SCHEDULED or job.scheduled_for is None:
        return None
    return job.scheduled_for - dt.timedelta(hours=settings.APPOINTMENT_REMINDER_HOURS)


def _stop(message: ScheduledMessage, reason: str) -> None:
    if message.status in EDITABLE_STATUSES:
        status_move(
            message=message, from_statuses=[message.status], to_status=MessageStatus.CANCELLED,
            detail=reason, last_error=reason,
        )  # fmt: skip


def _create(job: Job, send_at: dt.datetime) -> ScheduledMessage | None:
    channel = usable_channel(job.customer, purpose=Purpose.SERVICE)
    if channel is None:
        logger.info("No usable channel for the reminder of job %s", job.pk)
        return None
    draft = MessageDraft(
        customer_id=job.customer_id, channel=channel, body=reminder_text(job),
        purpose=Purpose.SERVICE, send_at=send_at, source=MessageSource.APPOINTMENT,
        idempotency_key=reminder_key(job.pk), job_id=job.pk,
    )  # fmt: skip
    return message_schedule(draft=draft, user=None)


def _follow(message: ScheduledMessage, job: Job, send_at: dt.datetime) -> ScheduledMessage:
    """Move the reminder not sent yet to the visit's new time (and wording); renew one this
    sync withdrew (never one the office cancelled by hand, nor one already sent)."""
    body = reminder_text(job)
    ours = message.last_error in (WITHDRAWN, TOO_LATE)
    if message.status == MessageStatus.CANCELLED and ours:
        changes = MessageChanges(body=body, send_at=send_at, status=MessageStatus.SCHEDULED)
    elif message.status in EDITABLE_STATUSES and (message.body, message.send_at) != (
        body,
        send_at,
    ):
        changes = MessageChanges(body=body, send_at=send_at)
    else:
        return message
    return message_update(message_id=message.pk, changes=changes, user=None)


@transaction.atomic
def appointment_reminder_sync(*, job: Job, now: dt.datetime | None = None) -> None:
    """Make the visit's reminder match the job now (see the module's docstring). Never fails
    the job's own write: a customer who cannot be reached simply gets no reminder."""
    message = (
        ScheduledMessage.objects.select_for_update()
        .filter(idempotency_key=reminder_key(job.pk))
        .first()
    )
    send_at = reminder_send_at(job)
    if send_at is None or send_at <= (now or timezone.now()):
        if message is not None:
            _stop(message, WITHDRAWN if send_at is None else TOO_LATE)
        return
    try:
        if message is None:
            _create(job, send_at)
        else:
            _follow(message, job, send_at)
    except ApplicationError:  # opted out, no phone: the visit stands without its reminder
        logger.info("Reminder for job %s not scheduled", job.pk)
