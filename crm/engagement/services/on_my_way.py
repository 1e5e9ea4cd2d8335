""" "On my way": the technician heading to a visit tells the customer when they will arrive.

A Service message about the job, through the outbox at once (send_at now) on the customer's
preferred usable channel. Consent and opt-out apply as to every message; contact hours do not
(crm.messaging.policy.IMMEDIATE_SOURCES): the customer is waiting for this visit now, and a text
held until the next morning would be worse than none.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from crm.core.company import company
from crm.core.errors import Conflict, NotFound, ValidationFailed
from crm.engagement.services.appointments import OPEN_STATUSES
from crm.jobs.models import Job
from crm.messaging.models import MessageSource, Purpose, ScheduledMessage
from crm.messaging.services.outbox import MessageDraft, message_schedule
from crm.messaging.services.surveys import usable_channel

ETA_MIN, ETA_MAX = 1, 240


def eta_checked(eta_minutes: object) -> int:
    """Whole minutes from 1 to 240 (four hours), else a 422 naming the field."""
    if isinstance(eta_minutes, int) and not isinstance(eta_minutes, bool):  # noqa: SIM102
        if ETA_MIN <= eta_minutes <= ETA_MAX:
            return eta_minutes
    raise ValidationFailed(
        f"Arrival time is whole minutes from {ETA_MIN} to {ETA_MAX}.", field="etaMinutes"
    )


def on_my_way_text(job: Job, eta_minutes: int) -> str:
    """Fixed wording (no LLM), in Spanish for Spanish speakers."""
    if job.customer.language_preference.lower().startswith("es"):
        who = job.technician.name if job.technician else "Nuestro técnico"
        return f"{who} de {company().name} va en camino y llegará en unos {eta_minutes} minutos."
    who = job.technician.name if job.technician else "Our technician"
    return f"{who} from {company().name} is on the way, arriving in about {eta_minutes} minutes."


def _visit(job_id: int, technician_id: int | None) -> Job:
    job = Job.objects.select_related("customer", "technician").filter(pk=job_id).first()
    if job is None or (technician_id is not None and job.technician_id != technician_id):
        raise NotFound("Job not found.")
    if job.status not in OPEN_STATUSES:
        raise Conflict(f"This job is {job.get_status_display().lower()}: no visit to head to.")
    return job


@transaction.atomic
def on_my_way_send(
    *, job_id: int, eta_minutes: object, user: AbstractBaseUser | AnonymousUser | None = None,
    technician_id: int | None = None,
) -> ScheduledMessage:  # fmt: skip
    """Send "<technician> is on the way, arriving in about N minutes" now, through the outbox.
    `technician_id` limits it to that technician's own jobs (404 otherwise: My visits)."""
    eta = eta_checked(eta_minutes)
    job = _visit(job_id, technician_id)
    channel = usable_channel(job.customer, purpose=Purpose.SERVICE)
    if channel is None:
        raise ValidationFailed(
            "The customer cannot get texts or email (no number or address, or they opted "
            "out): call them instead.",
            field="etaMinutes",
        )
    draft = MessageDraft(
        customer_id=job.customer_id, channel=channel, body=on_my_way_text(job, eta),
        purpose=Purpose.SERVICE, send_at=timezone.now(), source=MessageSource.ON_MY_WAY,
        idempotency_key=f"on-my-way:{job.pk}:{uuid.uuid4().hex}", job_id=job.pk,
    )  # fmt: skip
    return message_schedule(draft=draft, user=user)
