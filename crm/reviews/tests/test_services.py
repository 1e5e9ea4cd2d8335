import pytest

from crm.core.errors import Conflict, ValidationFailed
from crm.core.tests.factories import UserFactory
from crm.jobs.tests.factories import JobFactory
from crm.reviews.models import FollowUpStatus, Review
from crm.reviews.services import follow_up_handle, review_create, review_update
from crm.reviews.tests.factories import ServiceFollowUpFactory
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


def test_handling_a_low_score_records_who_and_when():
    # given
    user = UserFactory(username="dana")
    follow_up = ServiceFollowUpFactory(status=FollowUpStatus.COMPLETED, satisfaction_rating=2)
    # when
    follow_up_handle(follow_up_id=follow_up.pk, user=user)
    # then
    follow_up.refresh_from_db()
    assert follow_up.handled_by_id == user.pk
    assert follow_up.handled_at is not None


@pytest.mark.parametrize(
    ("rating", "reason"), [(3, "Only a survey answer scored 2"), (None, "Only")]
)
def test_handling_a_score_above_two_or_none_is_refused(rating, reason):
    # given
    follow_up = ServiceFollowUpFactory(satisfaction_rating=rating)
    # when
    with pytest.raises(Conflict, match=reason):
        follow_up_handle(follow_up_id=follow_up.pk, user=None)
    # then
    follow_up.refresh_from_db()
    assert (follow_up.handled_at, follow_up.handled_by_id) == (None, None)


def test_handling_twice_is_refused_and_keeps_the_first():
    # given
    first = UserFactory(username="dana")
    follow_up = ServiceFollowUpFactory(status=FollowUpStatus.COMPLETED, satisfaction_rating=1)
    follow_up_handle(follow_up_id=follow_up.pk, user=first)
    follow_up.refresh_from_db()
    handled_at = follow_up.handled_at
    # when
    with pytest.raises(Conflict, match="Already handled by dana"):
        follow_up_handle(follow_up_id=follow_up.pk, user=UserFactory())
    # then
    follow_up.refresh_from_db()
    assert (follow_up.handled_at, follow_up.handled_by_id) == (handled_at, first.pk)
