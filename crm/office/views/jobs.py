"""The Edit job modal of the Customer View's job card: the job's rules are crm.jobs', what
completing or reopening it sets in motion (the satisfaction survey) is engagement's workflow."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from crm.core.htmx import HtmxHttpRequest
from crm.core.views import form_data, not_found_as_404
from crm.engagement.forms import OnMyWayForm
from crm.engagement.services.jobs import job_update_and_follow_up
from crm.engagement.services.on_my_way import on_my_way_send
from crm.jobs.forms import JobForm
from crm.jobs.selectors import job_of_customer
from crm.jobs.views import JOB_EVENTS, job_form_answer


@not_found_as_404
@require_http_methods(["GET", "POST"])
def job_edit(request: HtmxHttpRequest, customer_id: int, job_id: int) -> HttpResponse:
    """Change a job's status, visit, technician, appliance and notes (the workflow does the rest:
    completed_at, the satisfaction survey); a completed job's card then asks for its review."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    form = JobForm(form_data(request), job=job)
    return job_form_answer(
        request, job, form, title="Edit job", submit="Save job", events=JOB_EVENTS,
        said=lambda _: "Job saved",
        fields={"technicianId": "technician", "applianceId": "appliance", "locationId": "location"},
        save=lambda _: job_update_and_follow_up(job_id=job.pk, fields=form.job_fields()),
    )  # fmt: skip


@not_found_as_404
@require_http_methods(["GET", "POST"])
def job_on_my_way(request: HtmxHttpRequest, customer_id: int, job_id: int) -> HttpResponse:
    """Tell the customer the technician is on the way (sent at once through the outbox)."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    form = OnMyWayForm(form_data(request))
    return job_form_answer(
        request, job, form, title="On my way", submit="Send now", events=(),
        said=lambda data: f"On my way sent: arriving in about {data['eta_minutes']} minutes",
        fields={"etaMinutes": "eta_minutes"},
        save=lambda data: on_my_way_send(
            job_id=job.pk, eta_minutes=data["eta_minutes"], user=request.user
        ),
    )  # fmt: skip
