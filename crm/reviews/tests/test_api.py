"""The reviews API refuses bad ratings and a second review of a job, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import FollowUpStatus, Review, ServiceFollowUp
from crm.reviews.tests.factories import ReviewFactory, ServiceFollowUpFactory
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


def test_add_review_accepts_the_plans_technician_id_and_refuses_another(
    staff_client: Client,
) -> None:
    # given
    job = JobFactory(completed=True)
    stranger = JobFactory(completed=True).technician
    body = {"jobId": job.pk, "rating": 5}
    # when
    refused = staff_client.post(
        "/api/add-review", {**body, "technicianId": stranger.pk}, content_type="application/json"
    )
    added = staff_client.post(
        "/api/add-review", {**body, "technicianId": job.technician_id},
        content_type="application/json",
    )  # fmt: skip
    # then
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"field": "technicianId", "message": "That is not the technician of this job."}
    ]
    assert added.status_code == 201
    assert added.json()["technicianId"] == job.technician_id
    assert list(Review.objects.values_list("job_id", flat=True)) == [job.pk]


def test_a_second_pending_follow_up_is_a_409_naming_the_first(staff_client: Client) -> None:
    # given
    first = ServiceFollowUpFactory()
    # when
    response = staff_client.post(
        f"/api/job/{first.job_id}/follow-up", {"followUpDate": "2026-12-24"},
        content_type="application/json",
    )  # fmt: skip
    # then
    assert response.status_code == 409
    message = f"This job already has a pending follow-up (#{first.pk})."
    assert response.json() == {
        "detail": message, "errors": [{"field": "jobId", "message": message}],
        "existingId": first.pk,
    }  # fmt: skip
    assert list(ServiceFollowUp.objects.values_list("pk", flat=True)) == [first.pk]


def test_a_new_follow_up_is_made_once_the_pending_one_is_closed(staff_client: Client) -> None:
    # given
    first = ServiceFollowUpFactory(status=FollowUpStatus.NO_RESPONSE)
    # when
    response = staff_client.post(
        f"/api/job/{first.job_id}/follow-up", {"followUpDate": "2026-12-24"},
        content_type="application/json",
    )  # fmt: skip
    reopened = staff_client.put(
        f"/api/follow-up/{first.pk}", {"status": "Pending"}, content_type="application/json"
    )
    # then
    assert response.status_code == 201
    assert reopened.status_code == 409
    assert reopened.json()["existingId"] == response.json()["id"]
    first.refresh_from_db()
    assert first.status == FollowUpStatus.NO_RESPONSE


def test_the_database_allows_one_pending_follow_up_per_job() -> None:
    # given
    first = ServiceFollowUpFactory()
    # when / then
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceFollowUp.objects.create(
            job_id=first.job_id, customer_id=first.customer_id, follow_up_date=first.follow_up_date
        )
