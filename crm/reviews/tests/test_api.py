"""The reviews API refuses bad ratings and a second review of a job, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import Review
from crm.reviews.tests.factories import ReviewFactory
from crm.technicians.models import CustomerTechnicianRating

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("rating", "comment"),
    [(0, ""), (6, ""), ("5", ""), (4.5, ""), (True, ""), (4, "x" * 5001)],
    ids=["0", "6", "text", "fraction", "true", "oversize comment"],
)
def test_invalid_review_is_a_422_and_saves_nothing(
    rating: Any, comment: str, staff_client: Client
) -> None:
    # given
    job = JobFactory(completed=True)
    # when
    response = staff_client.post(
        "/api/add-review",
        {"jobId": job.pk, "rating": rating, "comment": comment},
        content_type="application/json",
    )
    # then
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == ("comment" if comment else "rating")
    assert (Review.objects.count(), CustomerTechnicianRating.objects.count()) == (0, 0)


def test_second_review_of_a_job_is_a_409_and_the_first_stays(staff_client: Client) -> None:
    # given
    first = ReviewFactory(rating=5, comment="Great")
    # when
    response = staff_client.post(
        "/api/add-review",
        {"jobId": first.job_id, "rating": 1, "comment": "Changed my mind"},
        content_type="application/json",
    )
    # then
    assert response.status_code == 409
    assert response.json() == {
        "detail": "This job already has a review.",
        "errors": [{"field": "jobId", "message": "This job already has a review."}],
    }
    assert list(Review.objects.values_list("rating", "comment")) == [(5, "Great")]


def test_review_of_an_unknown_job_is_a_422_and_of_an_unknown_review_a_404(
    staff_client: Client,
) -> None:
    # when
    unknown_job = staff_client.post(
        "/api/add-review", {"jobId": 999999, "rating": 4}, content_type="application/json"
    )
    unknown_review = staff_client.put(
        "/api/update-review/999999", {"rating": 4}, content_type="application/json"
    )
    # then
    assert (unknown_job.status_code, unknown_review.status_code) == (422, 404)
    assert unknown_job.json()["errors"][0]["field"] == "jobId"


def test_reviews_list_needs_a_job_or_a_customer(staff_client: Client) -> None:
    # when
    response = staff_client.get("/api/reviews")
    # then
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "jobId", "message": "Give jobId or customerId."}]
