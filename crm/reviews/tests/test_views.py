"""The review form of a completed job on the Customer View."""

from __future__ import annotations

import json

import pytest

from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import Review
from crm.reviews.tests.factories import ReviewFactory
from crm.technicians.models import CustomerTechnicianRating

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def url(job) -> str:  # type: ignore[no-untyped-def]
    return f"/customers/{job.customer_id}/jobs/{job.pk}/review/"


def test_the_form_offers_five_labelled_ratings(staff_client):
    job = JobFactory(completed=True)
    html = staff_client.get(url(job), **HTMX).content.decode()
    assert "<legend>Rating</legend>" in html
    for stars in range(1, 6):
        assert f'value="{stars}"' in html
        assert f'<span class="visually-hidden">{stars} out of 5</span>' in html
    assert f'id="review-{job.pk}-comment"' in html


def test_reviewing_a_completed_job_shows_its_stars_and_rates_the_technician(staff_client):
    # given
    job = JobFactory(completed=True)
    # when
    response = staff_client.post(url(job), {"rating": "4", "comment": "On time."}, **HTMX)
    # then
    assert response.status_code == 204
    assert set(json.loads(response["HX-Trigger"])) == {
        f"job-{job.pk}-changed",
        "technicians-changed",
        "crm:confirmed",
    }
    review = Review.objects.get(job=job)
    assert (review.rating, review.comment, review.technician_id) == (
        4,
        "On time.",
        job.technician_id,
    )
    rating = CustomerTechnicianRating.objects.get(job=job)
    assert (rating.technician_id, rating.rating) == (job.technician_id, 4)
    card = staff_client.get(f"/customers/{job.customer_id}/jobs/{job.pk}/", **HTMX)
    assert 'aria-label="4 out of 5"' in card.content.decode()


@pytest.mark.parametrize("rating", ["", "0", "6", "five"])
def test_a_rating_outside_one_to_five_is_refused_next_to_it(staff_client, rating):
    job = JobFactory(completed=True)
    response = staff_client.post(url(job), {"rating": rating, "comment": "x"}, **HTMX)
    assert response.status_code == 422
    assert f'id="review-{job.pk}-rating_error"' in response.content.decode()
    assert not Review.objects.exists()


def test_a_job_that_is_not_completed_cannot_be_reviewed(staff_client):
    job = JobFactory()
    response = staff_client.post(url(job), {"rating": "5"}, **HTMX)
    assert response.status_code == 422
    assert "Only completed jobs can be reviewed." in response.content.decode()
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_job_is_refused(staff_client):
    review = ReviewFactory(rating=5, comment="First")
    response = staff_client.post(url(review.job), {"rating": "1", "comment": "Second"}, **HTMX)
    assert response.status_code == 422
    assert "This job already has a review." in response.content.decode()
    assert list(Review.objects.values_list("comment", flat=True)) == ["First"]


def test_another_customers_job_cannot_be_reviewed_through_this_one(staff_client):
    job = JobFactory(completed=True)
    stranger = JobFactory().customer
    response = staff_client.post(
        f"/customers/{stranger.pk}/jobs/{job.pk}/review/", {"rating": "5"}, **HTMX
    )
    assert response.status_code == 404
    assert not Review.objects.exists()
