"""Jobs as the office records them: the job write (crm.jobs) and what completing or reopening a
job sets in motion beyond the job itself (the satisfaction survey, crm.messaging).

Completing a job is a workflow above both apps, so every door that changes a job's status (the
API, the Edit job modal, the Today page) calls these, never crm.jobs.services directly. Both
also keep the visit's appointment reminder in step with its time and status.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from crm.engagement.services.appointment_reminders import appointment_reminder_sync
from crm.jobs.models import Job, JobStatus
from crm.jobs.services import job_create, job_update
from crm.messaging.services.surveys import survey_schedule_for_job, survey_withdraw_for_job


def _survey_follows(job: Job, previous_status: str | None) -> None:
    """Just completed: schedule the survey; reopened: withdraw it (renewed on completion)."""
    was_completed = previous_status == JobStatus.COMPLETED
    if job.status == JobStatus.COMPLETED and not was_completed:
        survey_schedule_for_job(job=job)
    elif was_completed and job.status != JobStatus.COMPLETED:
        survey_withdraw_for_job(job_id=job.pk)  # reopened: no "how did we do?" for now


@transaction.atomic
def job_create_and_follow_up(*, customer_id: int, fields: dict[str, Any]) -> Job:
    """Create a job (crm.jobs rules); one created Completed gets its satisfaction survey."""
    job = job_create(customer_id=customer_id, fields=fields)
    _survey_follows(job, None)
    appointment_reminder_sync(job=job)
    return job


@transaction.atomic
def job_update_and_follow_up(*, job_id: int, fields: dict[str, Any]) -> Job:
    """Update a job (crm.jobs rules); completing it schedules the satisfaction survey,
    reopening it withdraws a survey not sent yet."""
    previous_status = (
        Job.objects.select_for_update().filter(pk=job_id).values_list("status", flat=True).first()
    )
    job = job_update(job_id=job_id, fields=fields)
    _survey_follows(job, previous_status)
    appointment_reminder_sync(job=job)
    return job
