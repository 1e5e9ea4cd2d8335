"""JSON endpoint that adds a review, at the plan's path: a review entered by hand answers the
job's satisfaction survey (engagement's workflow), so its door lives here, above crm.reviews."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Status

from crm.core.api import ApiRouter
from crm.engagement.services.reviews import review_create_and_follow_up
from crm.reviews.models import Review
from crm.reviews.schemas import ReviewIn, ReviewOut

router = ApiRouter(tags=["reviews"])


# operation_id: the one it had in crm.reviews.api, so generated clients keep its name.
@router.post("/add-review", response={201: ReviewOut}, operation_id="crm_reviews_api_add_review")
def add_review(request: HttpRequest, payload: ReviewIn) -> Status[Review]:
    """Review a completed job (one review per job); the technician gets the same rating and the
    job's pending satisfaction survey is answered by it (the customer is not asked again)."""
    return Status(201, review_create_and_follow_up(**payload.model_dump()))
