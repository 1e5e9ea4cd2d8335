"""The jobs API: profit worked out by hand, and money refusals that save nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from crm.customers.models import Customer
from crm.customers.tests.factories import CustomerFactory
from crm.jobs.models import Expense, Job, Payment
from crm.jobs.tests.factories import ExpenseFactory, JobFactory, PaymentFactory
from crm.technicians.tests.factories import TechnicianFactory

pytestmark = pytest.mark.django_db


def _profit(client: Client, path: str) -> dict[str, Any]:
    response = client.get(path)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _customer_with_three_kinds_of_money() -> tuple[Customer, Job]:
    """Technician at 40.00/h. The paid job: 200.00 + 49.99 paid, 80.00 parts, 1.50 h.
    The unpaid job: 20.01 parts, 1.25 h. A scheduled job: 3.00 h (no labour yet).
    Not linked to any job: a 50.00 payment and a 10.00 expense."""
    technician = TechnicianFactory(hourly_cost=Decimal("40.00"))
    customer = CustomerFactory()
    paid = JobFactory(customer=customer, technician=technician, completed=True,
                      labor_hours=Decimal("1.50"))  # fmt: skip
    unpaid = JobFactory(customer=customer, technician=technician, completed=True,
                        labor_hours=Decimal("1.25"))  # fmt: skip
    JobFactory(customer=customer, technician=technician, labor_hours=Decimal("3.00"))
    PaymentFactory(customer=customer, job=paid, amount=Decimal("200.00"))
    PaymentFactory(customer=customer, job=paid, amount=Decimal("49.99"))
    PaymentFactory(customer=customer, job=None, amount=Decimal("50.00"))
    ExpenseFactory(customer=customer, job=paid, amount=Decimal("80.00"))
    ExpenseFactory(customer=customer, job=unpaid, amount=Decimal("20.01"))
    ExpenseFactory(customer=customer, job=None, amount=Decimal("10.00"))
    return customer, unpaid


def test_customer_profit_counts_money_linked_only_to_the_customer(staff_client: Client) -> None:
    # given
    customer, _ = _customer_with_three_kinds_of_money()
    # when
    profit = _profit(staff_client, f"/api/customer/{customer.pk}/profit")
    # then: revenue 249.99 + 50.00; expenses 80.00 + 20.01 + 10.00; margin 189.98 / 299.99;
    # labour (1.50 + 1.25) h x 40.00 for the two completed jobs only
    assert profit == {
        "revenue": "299.99",
        "expenses": "110.01",
        "netProfit": "189.98",
        "margin": "63.33",
        "status": "Profitable",
        "classification": "Highly Profitable",
        "laborCost": "110.00",
        "netProfitAfterLabor": "79.98",
        "paymentCount": 3,
        "expenseCount": 3,
    }


def test_job_with_no_payments_is_a_loss_with_no_margin(staff_client: Client) -> None:
    # given
    _, unpaid = _customer_with_three_kinds_of_money()
    # when
    profit = _profit(staff_client, f"/api/job/{unpaid.pk}/profit")
    # then: 0.00 - 20.01; labour 1.25 h x 40.00 shown apart
    assert profit == {
        "revenue": "0.00",
        "expenses": "20.01",
        "netProfit": "-20.01",
        "margin": None,
        "status": "Loss",
        "classification": "Loss-Making",
        "laborCost": "50.00",
        "netProfitAfterLabor": "-70.01",
        "paymentCount": 0,
        "expenseCount": 1,
    }


def test_zero_revenue_and_no_costs_is_no_revenue_not_a_division_by_zero(
    staff_client: Client,
) -> None:
    # given: a scheduled job with hours planned but no money yet
    job = JobFactory(technician=TechnicianFactory(hourly_cost=Decimal("40.00")))
    # when
    job_profit = _profit(staff_client, f"/api/job/{job.pk}/profit")
    customer_profit = _profit(staff_client, f"/api/customer/{job.customer_id}/profit")
    # then
    nothing = {
        "revenue": "0.00",
        "expenses": "0.00",
        "netProfit": "0.00",
        "margin": None,
        "status": "No Revenue",
        "classification": "Insufficient data",
        "laborCost": "0.00",
        "netProfitAfterLabor": "0.00",
        "paymentCount": 0,
        "expenseCount": 0,
    }
    assert job_profit == nothing
    assert customer_profit == nothing


def test_revenue_equal_to_expenses_breaks_even(staff_client: Client) -> None:
    # given
    job = JobFactory(completed=True, labor_hours=Decimal("0"))
    PaymentFactory(customer=job.customer, job=job, amount=Decimal("75.50"))
    ExpenseFactory(customer=job.customer, job=job, amount=Decimal("75.50"))
    # when
    profit = _profit(staff_client, f"/api/job/{job.pk}/profit")
    # then
    assert (profit["netProfit"], profit["margin"], profit["status"], profit["classification"]) == (
        "0.00",
        "0.00",
        "Break-Even",
        "Break-Even",
    )


def test_profit_of_unknown_ids_is_a_404(staff_client: Client) -> None:
    assert staff_client.get("/api/job/999999/profit").status_code == 404
    assert staff_client.get("/api/customer/999999/profit").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-1.00"}, "amount"),
        ({"amount": "10.005"}, "amount"),
        ({"amount": 0}, "amount"),
        ({"amount": False}, "amount"),
        ({"paymentMethod": "Bitcoin"}, "paymentMethod"),
        ({"customerId": 999999}, "customerId"),
        ({"reference": "x" * 101}, "reference"),
    ],
    ids=["negative", "three decimals", "zero", "false", "unknown enum", "unknown id", "oversize"],
)
def test_invalid_payment_is_a_422_naming_the_field_and_saves_nothing(
    change: dict[str, Any], field: str, staff_client: Client
) -> None:
    # given
    customer = CustomerFactory()
    body = {"customerId": customer.pk, "amount": "10.00", "date": "2026-01-05",
            "paymentMethod": "Card", **change}  # fmt: skip
    # when
    response = staff_client.post("/api/add-payment", body, content_type="application/json")
    # then
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Payment.objects.exists()


def test_expense_for_a_job_of_another_customer_is_a_422_and_changes_nothing(
    staff_client: Client,
) -> None:
    # given
    expense = ExpenseFactory(amount=Decimal("40.00"))
    someone_elses_job = JobFactory()
    # when
    created = staff_client.post(
        "/api/add-expense",
        {"customerId": expense.customer_id, "jobId": someone_elses_job.pk, "amount": "5.00",
         "date": "2026-01-05", "category": "Parts"},
        content_type="application/json",
    )  # fmt: skip
    moved = staff_client.put(
        f"/api/expense/{expense.pk}",
        {"jobId": someone_elses_job.pk},
        content_type="application/json",
    )
    # then
    assert (created.status_code, moved.status_code) == (422, 422)
    assert created.json()["errors"] == [
        {"field": "jobId", "message": "That job belongs to another customer."}
    ]
    assert Expense.objects.count() == 1
    expense.refresh_from_db()
    assert (expense.job_id, expense.amount) == (None, Decimal("40.00"))


def test_update_of_an_unknown_payment_or_expense_is_a_404(staff_client: Client) -> None:
    # when
    payment = staff_client.put(
        "/api/update-payment/999999", {"amount": "1.00"}, content_type="application/json"
    )
    expense = staff_client.get("/api/expense/999999")
    # then
    assert (payment.status_code, expense.status_code) == (404, 404)
    assert payment.json() == {"detail": "Payment not found.", "errors": []}
