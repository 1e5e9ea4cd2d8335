"""Reads of reviews and follow-ups."""

from __future__ import annotations

from django.db.models import QuerySet

from crm.core.errors import NotFound
from crm.reviews.models import Review, ServiceFollowUp


def review_list(*, job_id: int | None = None, customer_id: int | None = None) -> QuerySet[Review]:
    reviews = Review.objects.select_related("technician")
    if job_id is not None:
        reviews = reviews.filter(job_id=job_id)
    if customer_id is not None:
        reviews = reviews.filter(customer_id=customer_id)
    return reviews.order_by("-created_at", "-id")


def review_get(*, review_id: int) -> Review:
    review = Review.objects.select_related("technician").filter(pk=review_id).first()
    if review is None:
        raise NotFound("Review not found.")
    return review


def follow_up_list(*, customer_id: int) -> QuerySet[ServiceFollowUp]:
    return (
        ServiceFollowUp.objects.filter(customer_id=customer_id)
        .select_related("job")
        .order_by("-follow_up_date", "-id")
    )
