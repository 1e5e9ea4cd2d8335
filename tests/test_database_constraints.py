"""The database itself refuses bad rows, whatever code writes them.

Each case writes straight through the ORM's `update()` (no model validation, no service), so only
the schema's CHECK, UNIQUE and trigger constraints stand in the way. Runs on SQLite and, in CI,
on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.referrals.models import Referral
from crm.referrals.tests.factories import ReferralFactory
from crm.reviews.models import Review, ServiceFollowUp
from crm.reviews.tests.factories import ReviewFactory, ServiceFollowUpFactory
from crm.technicians.models import CustomerTechnicianRating, Technician
from crm.technicians.tests.factories import TechnicianFactory


def _refused(write: Callable[[], object]) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


@pytest.mark.django_db
class TestRatings:
    @pytest.mark.parametrize("rating", [0, 6, -1])
    def test_review_rating_outside_1_to_5(self, rating: int) -> None:
        review = ReviewFactory(rating=4)
        _refused(lambda: Review.objects.filter(pk=review.pk).update(rating=rating))
        review.refresh_from_db()
        assert review.rating == 4

    def test_technician_rating_outside_1_to_5(self) -> None:
        review = ReviewFactory(rating=4)
        rating = CustomerTechnicianRating.objects.create(
            customer=review.customer, technician=review.technician, job=review.job, rating=3
        )
        _refused(lambda: CustomerTechnicianRating.objects.filter(pk=rating.pk).update(rating=9))

    def test_survey_satisfaction_outside_1_to_5(self) -> None:
        follow_up = ServiceFollowUpFactory()
        _refused(
            lambda: ServiceFollowUp.objects.filter(pk=follow_up.pk).update(satisfaction_rating=0)
        )

    def test_one_review_per_job(self) -> None:
        review = ReviewFactory()
        _refused(
            lambda: Review.objects.create(
                job=review.job, customer=review.customer, technician=review.technician, rating=5
            )
        )


@pytest.mark.django_db
class TestMoney:
    @pytest.mark.parametrize("amount", [Decimal("-0.01"), Decimal("0.00")])
    def test_payment_amount_must_be_positive(self, amount: Decimal) -> None:
        payment = PaymentFactory()
        _refused(lambda: Payment.objects.filter(pk=payment.pk).update(amount=amount))
        payment.refresh_from_db()
        assert payment.amount == Decimal("150.00")

    def test_expense_amount_must_be_positive(self) -> None:
        expense = ExpenseFactory()
        _refused(lambda: Expense.objects.filter(pk=expense.pk).update(amount=Decimal("-5")))

    def test_technician_hourly_cost_not_negative(self) -> None:
        technician = TechnicianFactory()
        _refused(
            lambda: Technician.objects.filter(pk=technician.pk).update(hourly_cost=Decimal("-1"))
        )

    def test_labor_hours_not_negative(self) -> None:
        job = JobFactory()
        _refused(lambda: Job.objects.filter(pk=job.pk).update(labor_hours=Decimal("-1")))

    def test_expense_needs_a_customer_or_a_job(self) -> None:
        expense = ExpenseFactory()
        _refused(lambda: Expense.objects.filter(pk=expense.pk).update(customer=None, job=None))

    def test_expense_with_a_job_of_another_customer(self) -> None:
        job = JobFactory()
        other = CustomerFactory()
        _refused(lambda: Expense.objects.create(customer=other, job=job, amount=Decimal("10")))

    def test_payment_with_a_job_of_another_customer(self) -> None:
        job = JobFactory()
        payment = PaymentFactory(customer=job.customer, job=job)
        _refused(lambda: Payment.objects.filter(pk=payment.pk).update(customer=CustomerFactory()))

    def test_a_job_with_money_rows_keeps_its_customer(self) -> None:
        job = JobFactory()
        PaymentFactory(customer=job.customer, job=job)
        _refused(lambda: Job.objects.filter(pk=job.pk).update(customer=CustomerFactory()))

    def test_deleting_a_customer_with_payments_is_refused_and_loses_nothing(self) -> None:
        payment = PaymentFactory()
        with pytest.raises(ProtectedError), transaction.atomic():
            payment.customer.delete()
        assert Payment.objects.filter(pk=payment.pk).exists()
        assert Customer.objects.filter(pk=payment.customer_id).exists()

    def test_deleting_a_job_with_expenses_is_refused(self) -> None:
        job = JobFactory()
        ExpenseFactory(customer=job.customer, job=job)
        with pytest.raises(ProtectedError), transaction.atomic():
            job.delete()
        assert Job.objects.filter(pk=job.pk).exists()


@pytest.mark.django_db
class TestReferrals:
    def test_referral_codes_are_unique(self) -> None:
        first, second = CustomerFactory(), CustomerFactory()
        assert first.referral_code != second.referral_code
        _refused(
            lambda: Customer.objects.filter(pk=second.pk).update(referral_code=first.referral_code)
        )

    def test_no_self_referral(self) -> None:
        customer = CustomerFactory()
        _refused(lambda: Referral.objects.create(referrer=customer, referred_customer=customer))

    def test_a_customer_is_referred_at_most_once(self) -> None:
        referral = ReferralFactory()
        _refused(
            lambda: Referral.objects.create(
                referrer=CustomerFactory(), referred_customer=referral.referred_customer
            )
        )

    def test_customer_not_referred_by_self(self) -> None:
        customer = CustomerFactory()
        _refused(lambda: Customer.objects.filter(pk=customer.pk).update(referred_by=customer))

    def test_reward_not_negative(self) -> None:
        referral = ReferralFactory()
        _refused(
            lambda: Referral.objects.filter(pk=referral.pk).update(reward_amount=Decimal("-1"))
        )


@pytest.mark.django_db
class TestChoices:
    def test_unknown_job_status(self) -> None:
        job = JobFactory()
        _refused(lambda: Job.objects.filter(pk=job.pk).update(status="Lost"))

    def test_completed_job_needs_completed_at(self) -> None:
        job = JobFactory(completed=True)
        _refused(lambda: Job.objects.filter(pk=job.pk).update(completed_at=None))

    def test_unknown_payment_method(self) -> None:
        payment = PaymentFactory()
        _refused(lambda: Payment.objects.filter(pk=payment.pk).update(payment_method="Bitcoin"))

    def test_unknown_contact_method(self) -> None:
        customer = CustomerFactory()
        _refused(
            lambda: Customer.objects.filter(pk=customer.pk).update(
                preferred_contact_method="Pigeon"
            )
        )
