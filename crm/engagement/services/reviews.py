"""A review entered by hand (the API, the job card's form) is the customer's answer to the
job's satisfaction survey too: crm.reviews records it, crm.messaging closes the survey (the
follow-up is Completed, a survey message not sent yet is cancelled), so the customer is not
asked again; a score of 2 or less raises its call-back reminder as a survey answer does."""

from __future__ import annotations

from django.db import transaction

from crm.engagement.services.surveys import low_score_reminders
from crm.messaging.services.surveys import survey_close_by_review
from crm.reviews.models import Review, ServiceFollowUp
from crm.reviews.services import review_create


@transaction.atomic
def review_create_and_follow_up(
    *, job_id: int, rating: int, comment: str = "", customer_id: int | None = None,
    technician_id: int | None = None,
) -> Review:  # fmt: skip
    """Review a completed job (crm.reviews rules) and close its pending satisfaction survey."""
    review = review_create(
        job_id=job_id, rating=rating, comment=comment, customer_id=customer_id,
        technician_id=technician_id,
    )  # fmt: skip
    follow_up = survey_close_by_review(review=review)
    if follow_up is not None:
        low_score_reminders(ServiceFollowUp.objects.filter(pk=follow_up.pk))  # only if 2 or less
    return review
