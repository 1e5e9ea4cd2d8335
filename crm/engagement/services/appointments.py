"""A booked visit, answered by its customer: confirmed, or asked to be moved.

Both the reply to an appointment reminder ("C" / "R") and the customer portal come here, so the
job, the timeline and the office's queue read the same whichever way the customer answered.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from crm.activities.models import ActivityKind, Direction
from crm.activities.services import activity_create
from crm.core.errors import Conflict
from crm.engagement.models import Reminder, ReminderKind, ReminderPriority
from crm.engagement.services.reminders import reminder_create
from crm.jobs.models import Job, JobStatus

OPEN_STATUSES = (JobStatus.SCHEDULED, JobStatus.IN_PROGRESS)


def _open_visit(job_id: int) -> Job:
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status not in OPEN_STATUSES or job.scheduled_for is None:
        raise Conflict("This visit is no longer booked.")
    return job


@transaction.atomic
def visit_confirm(*, job_id: int, via: str) -> Job:
    """The customer confirms the visit (`via` says how: "a WhatsApp reply", "the portal").

    Confirming twice changes nothing the second time."""
    job = _open_visit(job_id)
    if job.confirmed_at is not None:
        return job
    job.confirmed_at = timezone.now()
    job.save(update_fields=["confirmed_at", "updated_at"])
    activity_create(
        customer_id=job.customer_id, kind=ActivityKind.SYSTEM, direction=Direction.INTERNAL,
        content=f"The customer confirmed the visit ({via}).", job_id=job.pk,
    )  # fmt: skip
    return job


@transaction.atomic
def visit_reschedule_ask(*, job_id: int, via: str, note: str = "") -> Reminder:
    """The customer asks to move the visit: a High reminder for the office, due today, and a
    timeline entry. Asking again while that reminder is open returns it."""
    job = _open_visit(job_id)
    visit_at = job.scheduled_for
    assert visit_at is not None  # _open_visit refuses a job with no visit time
    when = timezone.localtime(visit_at).strftime("%a %b %-d")
    key = f"reschedule:{job.pk}:{visit_at.isoformat()}"
    asked = Reminder.objects.filter(source_key=key).first()
    if asked is not None:
        return asked
    details = f"Asked through {via}." + (f" They wrote: {note.strip()}" if note.strip() else "")
    reminder = reminder_create(
        customer_id=job.customer_id, kind=ReminderKind.RESCHEDULE_REQUEST,
        title=f"Reschedule the {when} visit: the customer asked", details=details,
        due_date=timezone.localdate(), priority=ReminderPriority.HIGH, job_id=job.pk,
        appliance_id=job.appliance_id,
        source_key=key,
    )  # fmt: skip
    activity_create(
        customer_id=job.customer_id, kind=ActivityKind.SYSTEM, direction=Direction.INTERNAL,
        content=f"The customer asked to reschedule the {when} visit ({via}).", job_id=job.pk,
    )  # fmt: skip
    return reminder
