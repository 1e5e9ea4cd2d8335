"""The review form of a completed job on the Customer View: the review answers the job's
satisfaction survey too (engagement's workflow), so its door lives here, above crm.reviews."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from crm.core.htmx import HtmxHttpRequest
from crm.core.views import (
    customer_url,
    form_data,
    form_saved,
    form_shown,
    form_submitted,
    not_found_as_404,
)
from crm.engagement.services.reviews import review_create_and_follow_up
from crm.jobs.selectors import job_of_customer
from crm.reviews.forms import ReviewForm


@not_found_as_404
@require_http_methods(["GET", "POST"])
def review_add(request: HtmxHttpRequest, customer_id: int, job_id: int) -> HttpResponse:
    """The customer's review of a completed job; the technician's rating follows it and the
    job's pending survey is answered by it."""
    job = job_of_customer(customer_id=customer_id, job_id=job_id)
    form = ReviewForm(form_data(request), auto_id=f"review-{job.pk}-%s")
    back = customer_url(customer_id, f"job-{job.pk}")
    saved = form_submitted(
        request,
        form,
        lambda data: review_create_and_follow_up(job_id=job.pk, customer_id=customer_id, **data),
    )
    if saved:
        events = [f"job-{job.pk}-changed", "technicians-changed"]
        return form_saved(request, events=events, redirect_to=back, said="Review added")
    context = {"customer": job.customer, "job": job, "form": form, "title": "Review of the job",
               "action": request.path, "back_url": back}  # fmt: skip
    return form_shown(request, "reviews/cards.html#review_form", context, form=form)
