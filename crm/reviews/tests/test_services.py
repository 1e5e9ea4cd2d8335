import pytest

from crm.core.errors import Conflict, ValidationFailed
from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import Review
from crm.reviews.services import review_create, review_update
from crm.technicians.models import CustomerTechnicianRating

pytestmark = pytest.mark.django_db


def test_review_records_the_technician_rating_too():
    # given
    job = JobFactory(completed=True)
    # when
    review = review_create(job_id=job.pk, rating=4, comment="Good")
    # then
    rating = CustomerTechnicianRating.objects.get(job=job)
    assert (review.rating, review.technician_id, review.customer_id) == (
        4,
        job.technician_id,
        job.customer_id,
    )
    assert (rating.rating, rating.technician_id, rating.customer_id) == (
        4,
        job.technician_id,
        job.customer_id,
    )


def test_second_review_for_a_job_conflicts_and_the_first_stays():
    job = JobFactory(completed=True)
    review_create(job_id=job.pk, rating=5)
    with pytest.raises(Conflict):
        review_create(job_id=job.pk, rating=1)
    assert list(Review.objects.values_list("rating", flat=True)) == [5]


def test_unfinished_jobs_cannot_be_reviewed():
    job = JobFactory()
    with pytest.raises(ValidationFailed):
        review_create(job_id=job.pk, rating=5)
    assert Review.objects.count() == 0
    assert CustomerTechnicianRating.objects.count() == 0


def test_updating_the_rating_updates_the_technician_rating():
    job = JobFactory(completed=True)
    review = review_create(job_id=job.pk, rating=5)
    review_update(review_id=review.pk, rating=2)
    assert CustomerTechnicianRating.objects.get(job=job).rating == 2
    assert CustomerTechnicianRating.objects.count() == 1
