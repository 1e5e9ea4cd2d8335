"""JSON endpoints that create and change jobs, at the plan's paths: completing a job is
engagement's workflow (the survey follows), so its doors live here, above crm.jobs."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Status

from crm.core.api import ApiRouter, request_user
from crm.core.schemas import PathId
from crm.engagement.schemas import OnMyWayIn
from crm.engagement.services.jobs import job_create_and_follow_up, job_update_and_follow_up
from crm.engagement.services.on_my_way import on_my_way_send
from crm.jobs.models import Job
from crm.jobs.schemas import JobIn, JobOut, JobUpdateIn
from crm.jobs.selectors import job_get
from crm.messaging.models import ScheduledMessage
from crm.messaging.schemas import ScheduledMessageOut

router = ApiRouter(tags=["jobs"])


# operation_ids: the ones they had in crm.jobs.api, so generated clients keep their names.
@router.post("/add-job", response={201: JobOut}, operation_id="crm_jobs_api_add_job")
def add_job(request: HttpRequest, payload: JobIn) -> Status[Job]:
    """Create a job; status Completed sets completedAt (and schedules the survey)."""
    fields = payload.model_dump(exclude={"customer_id"}, exclude_unset=True)
    job = job_create_and_follow_up(customer_id=payload.customer_id, fields=fields)
    return Status(201, job_get(job_id=job.pk))


@router.put("/update-job/{job_id}", response=JobOut, operation_id="crm_jobs_api_update_job")
def update_job(request: HttpRequest, job_id: PathId, payload: JobUpdateIn) -> Job:
    """Change a job; moving it to Completed sets completedAt and schedules the survey, moving
    it back clears it and withdraws a survey not sent yet."""
    job_update_and_follow_up(job_id=job_id, fields=payload.model_dump(exclude_unset=True))
    return job_get(job_id=job_id)


@router.post("/job/{job_id}/on-my-way", response={201: ScheduledMessageOut})
def job_on_my_way(
    request: HttpRequest, job_id: PathId, payload: OnMyWayIn
) -> Status[ScheduledMessage]:
    """Tell the customer the technician is on the way, arriving in about etaMinutes (1-240):
    a Service message sent at once through the outbox (consent applies, contact hours do not)."""
    message = on_my_way_send(
        job_id=job_id, eta_minutes=payload.eta_minutes, user=request_user(request)
    )
    return Status(201, message)
