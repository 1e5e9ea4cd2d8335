import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from crm.appliances.tests.factories import ApplianceFactory
from crm.core.errors import NotFound, ValidationFailed
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Expense, JobStatus, Payment
from crm.jobs.selectors import (
    customer_financials,
    customer_financials_by_year,
    job_list,
    job_profit,
)
from crm.jobs.services import expense_create, expense_update, job_create, job_update, payment_create
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def test_completing_a_job_sets_completed_at_and_the_appliance_service_date():
    # given
    appliance = ApplianceFactory(last_service_date=dt.date(2020, 1, 1))
    job = JobFactory(customer=appliance.customer, appliance=appliance)
    # when
    job = job_update(job_id=job.pk, fields={"status": JobStatus.COMPLETED})
    # then
    assert job.completed_at is not None
    appliance.refresh_from_db()
    assert appliance.last_service_date == timezone.localdate(job.completed_at)


def test_moving_a_job_back_from_completed_clears_completed_at():
    job = JobFactory(completed=True)
    job = job_update(job_id=job.pk, fields={"status": JobStatus.IN_PROGRESS})
    assert job.completed_at is None


def test_job_refuses_an_appliance_of_another_customer():
    # given
    customer = CustomerFactory()
    foreign_appliance = ApplianceFactory()
    # when / then
    with pytest.raises(ValidationFailed) as error:
        job_create(
            customer_id=customer.pk,
            fields={"description": "Fix", "appliance_id": foreign_appliance.pk},
        )
    assert error.value.field == "applianceId"
    assert customer.jobs.count() == 0


def test_payment_for_a_job_of_another_customer_is_refused_and_nothing_saved():
    # given
    customer = CustomerFactory()
    other_job = JobFactory()
    # when / then
    with pytest.raises(ValidationFailed) as error:
        payment_create(
            customer_id=customer.pk, job_id=other_job.pk, amount=Decimal("10.00"),
            date=dt.date(2026, 1, 1), payment_method="Card",
        )  # fmt: skip
    assert error.value.field == "jobId"
    assert Payment.objects.count() == 0


def test_expense_with_only_a_job_belongs_to_the_jobs_customer():
    job = JobFactory()
    expense = expense_create(
        customer_id=None,
        job_id=job.pk,
        amount=Decimal("12.50"),
        date=dt.date(2026, 2, 1),
        category="Parts",
    )
    assert expense.customer_id == job.customer_id


def test_expense_needs_a_customer_or_a_job():
    with pytest.raises(ValidationFailed):
        expense_create(
            customer_id=None,
            job_id=None,
            amount=Decimal("1.00"),
            date=dt.date(2026, 2, 1),
            category="Parts",
        )
    assert Expense.objects.count() == 0


def test_expense_update_can_unlink_the_job():
    job = JobFactory()
    expense = ExpenseFactory(customer=job.customer, job=job)
    expense = expense_update(expense_id=expense.pk, fields={"job_id": None})
    assert expense.job_id is None
    assert expense.customer_id == job.customer_id


def test_update_of_a_missing_job_is_not_found():
    with pytest.raises(NotFound):
        job_update(job_id=999_999, fields={"status": "Completed"})


def test_job_profit_counts_its_payments_expenses_and_labour():
    # given: 2 payments (300.00), 1 expense (80.00), 2.5 h at 40.00/h
    technician = TechnicianFactory(hourly_cost=Decimal("40.00"))
    job = JobFactory(completed=True, technician=technician, labor_hours=Decimal("2.50"))
    PaymentFactory(customer=job.customer, job=job, amount=Decimal("200.00"))
    PaymentFactory(customer=job.customer, job=job, amount=Decimal("100.00"))
    ExpenseFactory(customer=job.customer, job=job, amount=Decimal("80.00"))
    # when
    profit = job_profit(job_id=job.pk)
    # then
    assert (profit.revenue, profit.expenses, profit.net_profit) == (
        Decimal("300.00"),
        Decimal("80.00"),
        Decimal("220.00"),
    )
    assert profit.labor_cost == Decimal("100.00")
    assert profit.net_profit_after_labor == Decimal("120.00")
    assert profit.margin == Decimal("73.33")
    assert profit.status == "Profitable"
    assert profit.classification == "Highly Profitable"


def test_customer_profit_includes_expenses_linked_only_to_the_customer():
    # given: a paid job, an unpaid job with an expense, and a customer-only expense
    customer = CustomerFactory()
    paid = JobFactory(customer=customer, completed=True, labor_hours=0)
    unpaid = JobFactory(customer=customer, completed=True, labor_hours=0)
    PaymentFactory(customer=customer, job=paid, amount=Decimal("500.00"), date=dt.date(2025, 3, 1))
    ExpenseFactory(
        customer=customer, job=unpaid, amount=Decimal("120.00"), date=dt.date(2025, 3, 2)
    )
    ExpenseFactory(customer=customer, job=None, amount=Decimal("30.00"), date=dt.date(2026, 1, 5))
    # when
    totals = customer_financials(customer_id=customer.pk)
    # then
    assert (totals.revenue, totals.expenses, totals.net_profit) == (
        Decimal("500.00"),
        Decimal("150.00"),
        Decimal("350.00"),
    )
    assert totals.margin == Decimal("70.00")
    assert (totals.payment_count, totals.expense_count) == (1, 2)
    years = customer_financials_by_year(customer_id=customer.pk)
    assert [(y.year, y.revenue, y.expenses, y.net_profit) for y in years] == [
        (2025, Decimal("500.00"), Decimal("120.00"), Decimal("380.00")),
        (2026, Decimal("0.00"), Decimal("30.00"), Decimal("-30.00")),
    ]


def test_customer_with_no_revenue_has_no_margin_and_is_loss_making_when_costs_exist():
    customer = CustomerFactory()
    ExpenseFactory(customer=customer, amount=Decimal("45.00"))
    totals = customer_financials(customer_id=customer.pk)
    assert totals.margin is None
    assert totals.net_profit == Decimal("-45.00")
    assert totals.status == "Loss"
    assert totals.classification == "Loss-Making"


def test_customer_with_nothing_has_insufficient_data():
    totals = customer_financials(customer_id=CustomerFactory().pk)
    assert (totals.revenue, totals.status, totals.classification) == (
        Decimal("0.00"),
        "No Revenue",
        "Insufficient data",
    )


def test_job_list_annotates_totals_per_job(django_assert_num_queries):
    # given
    customer = CustomerFactory()
    for amount in ("10.00", "20.00", "30.00"):
        job = JobFactory(customer=customer)
        PaymentFactory(customer=customer, job=job, amount=Decimal(amount))
    # when / then: jobs + review + payments + expenses, whatever the number of jobs
    with django_assert_num_queries(4):
        totals = sorted(j.revenue_total for j in job_list(customer_id=customer.pk))
    assert totals == [Decimal("10.00"), Decimal("20.00"), Decimal("30.00")]
